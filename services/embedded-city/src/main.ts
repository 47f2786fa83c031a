/**
 * `npm start`: the whole city in one process, with nothing to install.
 *
 * PGlite files under the data folder hold the event store and the read models;
 * the store's own subscription stands in for Kafka; the canvass service and the
 * operations center (with its dashboard) run as they do in stack mode; and a
 * scenario registers a realistic city and keeps its officials canvassing.
 */
import 'reflect-metadata';
import { startEmbeddedCity } from './embedded-city';
import { resolveEmbeddedConfig } from './embedded-config';

async function main(): Promise<void> {
  const city = await startEmbeddedCity(resolveEmbeddedConfig());
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the city (the data stays in ${city.dataDir})\n`);
    city.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
