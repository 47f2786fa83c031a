import { ConsumerOffsets } from '@city/kafka';
import type { SqlExecutor } from '@city/sql';

/**
 * The runners' bookkeeping, next to the read models (the Kafka offsets of the
 * projections are in `consumer_offsets` of @city/kafka, shared with every consumer):
 * - `projection_positions`: per projection and source (an event store), the
 *   global position up to which every event of that source is in the read
 *   model (written by the event-store runner and by rebuilds);
 * - `projection_dead_letters`: events the event-store runner could not apply
 *   (Kafka-fed runners use `<topic>.dlq` instead).
 */
export async function migrateProjectionTables(db: SqlExecutor): Promise<void> {
  await ConsumerOffsets.migrate(db);
  await db.query(`CREATE TABLE IF NOT EXISTS projection_positions (
    projection text NOT NULL,
    source text NOT NULL,
    position bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, source)
  )`);
  await db.query(`CREATE TABLE IF NOT EXISTS projection_dead_letters (
    projection text NOT NULL,
    source text NOT NULL,
    position bigint NOT NULL,
    event_id text NOT NULL,
    event_type text NOT NULL,
    stream_id text NOT NULL,
    error text NOT NULL,
    error_type text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, source, position)
  )`);
}

/**
 * Serialises every transaction that writes one projection (runner batches of
 * any partition or instance, rebuilds), so that the offsets and positions a
 * transaction reads stay true until it commits.
 */
export async function lockProjection(tx: SqlExecutor, projection: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`city.projection:${projection}`]);
}

/** Positions per source of one projection. */
export async function loadPositions(tx: SqlExecutor, projection: string): Promise<Map<string, bigint>> {
  const { rows } = await tx.query<{ source: string; position: string }>(
    'SELECT source, position::text AS position FROM projection_positions WHERE projection = $1',
    [projection],
  );
  return new Map(rows.map((r) => [r.source, BigInt(r.position)]));
}

export async function savePosition(tx: SqlExecutor, projection: string, source: string, position: bigint): Promise<void> {
  await tx.query(
    `INSERT INTO projection_positions (projection, source, position) VALUES ($1, $2, $3)
     ON CONFLICT (projection, source) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    [projection, source, position.toString()],
  );
}

export async function recordDeadLetter(
  tx: SqlExecutor,
  projection: string,
  source: string,
  event: { readonly globalPosition: bigint; readonly eventId: string; readonly type: string; readonly streamId: string },
  error: Error,
): Promise<void> {
  await tx.query(
    `INSERT INTO projection_dead_letters (projection, source, position, event_id, event_type, stream_id, error, error_type)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (projection, source, position) DO NOTHING`,
    [projection, source, event.globalPosition.toString(), event.eventId, event.type, event.streamId, error.message.slice(0, 2000), error.name || 'Error'],
  );
}
