/**
 * Rebuilds the operations-center read models of one context from its event
 * store's global log.
 *
 * Stack mode (stop the operations-center's Kafka consumers first):
 *   READ_DATABASE_URL=postgres://…/ops EVENT_STORE_DATABASE_URL=postgres://…/canvass \
 *   node -r @swc-node/register services/operations-center/src/cli/rebuild.ts
 * Embedded mode (stop `npm start` first; the read models and the store share one PGlite folder):
 *   PGLITE_DATA_DIR=data/city node -r @swc-node/register services/operations-center/src/cli/rebuild.ts
 *
 * CONTEXT picks the context (a key of contexts/registry.ts; default the first, canvass); PROJECTION_SOURCE overrides the
 * positions' source (default: the context's CloudEvents source in stack mode,
 * `event-store` embedded); EVENT_STORE_SCHEMA the store's schema (default event_store).
 */
import 'reflect-metadata';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PostgresEventStore } from '@city/event-store-postgres';
import { ConfigurationError, loadConfig } from '@city/observability';
import { DEFAULT_PROJECTION_SOURCE } from '@city/projections';
import { PgDatabase, PgliteDatabase, type SqlDatabase } from '@city/sql';
import { contextByKey, OPERATIONS_CONTEXTS } from '../contexts/registry';
import { rebuildContext } from '../rebuild';

class RebuildConfig {
  @IsIn(OPERATIONS_CONTEXTS.map((c) => c.key)) CONTEXT = OPERATIONS_CONTEXTS[0].key;
  @IsOptional() @IsString() READ_DATABASE_URL?: string;
  @IsOptional() @IsString() EVENT_STORE_DATABASE_URL?: string;
  @IsOptional() @IsString() EVENT_STORE_SCHEMA?: string;
  @IsOptional() @IsString() PGLITE_DATA_DIR?: string;
  @IsOptional() @IsString() PROJECTION_SOURCE?: string;
}

async function main(): Promise<void> {
  const config = loadConfig(RebuildConfig);
  const embedded = config.PGLITE_DATA_DIR !== undefined;
  if (!embedded && (!config.READ_DATABASE_URL || !config.EVENT_STORE_DATABASE_URL)) {
    throw new ConfigurationError(['set PGLITE_DATA_DIR (embedded), or READ_DATABASE_URL and EVENT_STORE_DATABASE_URL (stack)']);
  }
  const context = (contextByKey(config.CONTEXT) ?? OPERATIONS_CONTEXTS[0]).readModel();
  const readDb: SqlDatabase = embedded ? new PgliteDatabase(config.PGLITE_DATA_DIR) : new PgDatabase(config.READ_DATABASE_URL as string);
  const storeDb: SqlDatabase = embedded ? readDb : new PgDatabase(config.EVENT_STORE_DATABASE_URL as string);
  const store = new PostgresEventStore(storeDb, { schema: config.EVENT_STORE_SCHEMA });
  const source = config.PROJECTION_SOURCE ?? (embedded ? DEFAULT_PROJECTION_SOURCE : context.cloudEventSource);
  try {
    const started = Date.now();
    let lastReport = 0;
    const results = await rebuildContext(store, readDb, context, {
      source,
      onProgress: (projection, position, applied) => {
        if (Date.now() - lastReport < 1000) return;
        lastReport = Date.now();
        process.stdout.write(`${JSON.stringify({ projection, position: position.toString(), eventsApplied: applied })}\n`);
      },
    });
    for (const r of results) {
      process.stdout.write(
        `${JSON.stringify({ rebuilt: r.projection, source, position: r.position.toString(), eventsApplied: r.eventsApplied, seconds: (Date.now() - started) / 1000 })}\n`,
      );
    }
  } finally {
    await store.close();
    if (storeDb !== readDb) await storeDb.close();
    await readDb.close();
  }
}

main().catch((error: unknown) => {
  const missingTable = (error as { code?: string }).code === '42P01';
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${missingTable ? `No event store there (${message}): check EVENT_STORE_DATABASE_URL / EVENT_STORE_SCHEMA` : message}\n`);
  process.exitCode = 1;
});
