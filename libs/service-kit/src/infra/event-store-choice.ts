import type { EventStore } from '@city/eventsourcing';
import { EventStoreDbEventStore } from '@city/event-store-esdb';
import { PostgresEventStore } from '@city/event-store-postgres';
import type { SqlDatabase } from '@city/sql';

/**
 * The department's event store: EventStoreDB/KurrentDB when a connection
 * string is given (the deployment default), else PostgreSQL tables in `db`,
 * which may be a PostgreSQL server (`PgDatabase`) or PGlite (`PgliteDatabase`,
 * the embedded city). Migrated and ready to use.
 */
export async function openEventStore(db: SqlDatabase, eventStoreDbConnectionString?: string): Promise<EventStore> {
  if (eventStoreDbConnectionString) return EventStoreDbEventStore.fromConnectionString(eventStoreDbConnectionString);
  const store = new PostgresEventStore(db);
  await store.migrate();
  return store;
}
