/**
 * Stack mode: the canvass service as its own process on PostgreSQL and Kafka.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass KAFKA_BROKERS=127.0.0.1:9092 \
 *   JWT_SECRET=… node -r @swc-node/register services/canvass/src/main.ts
 */
import 'reflect-metadata';
import { loadConfig } from '@city/observability';
import { CanvassConfig } from './canvass-config';
import { startCanvassStack } from './canvass-stack';

async function main(): Promise<void> {
  const config = loadConfig(CanvassConfig);
  await startCanvassStack({
    port: config.PORT,
    ...(config.HOST === undefined ? {} : { host: config.HOST }),
    databaseUrl: config.DATABASE_URL,
    ...(config.EVENT_STORE === 'eventstoredb' ? { eventStoreDbConnectionString: config.EVENTSTORE_CONNECTION_STRING } : {}),
    kafkaBrokers: config.KAFKA_BROKERS.split(','),
    jwtSecret: config.JWT_SECRET,
    relayProducerThreads: config.RELAY_PRODUCER_THREADS,
    ...(config.LOG_LEVEL === undefined ? {} : { logLevel: config.LOG_LEVEL }),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`canvass failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
