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

/**
 * `lockProjection` for several projections, in the order given, in one statement. Every
 * writer of a projection takes its locks in its runner's order, as one by one before.
 */
export async function lockProjections(tx: SqlExecutor, projections: readonly string[]): Promise<void> {
  if (projections.length === 1) return lockProjection(tx, projections[0]);
  if (projections.length === 0) return;
  // A function scan yields the array in order; the locks are taken row after row in that order.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('city.projection:' || p.name)) FROM unnest($1::text[]) WITH ORDINALITY AS p(name, n) ORDER BY p.n`, [
    projections,
  ]);
}

/** What a Kafka-fed runner needs to know of one projection before applying a batch of one partition. */
export interface ProjectionBookkeeping {
  /** The stored next offset of the partition, if any. */
  readonly stored: bigint | undefined;
  /** Positions per source (rebuilds from an event store). */
  readonly positions: Map<string, bigint>;
}

/**
 * The stored next offset of (topic, partition) and the positions of each projection, in one
 * statement. Read after `lockProjections`, in a statement of its own: a READ COMMITTED
 * statement sees the data as of its start, so a read in the locking statement could miss
 * what the previous holder of the lock committed while this one waited.
 */
export async function loadBookkeeping(
  tx: SqlExecutor,
  projections: readonly string[],
  topic: string,
  partition: number,
): Promise<Map<string, ProjectionBookkeeping>> {
  const { rows } = await tx.query<{ name: string; stored: string | null; sources: string[]; positions: string[] }>(
    `SELECT p.name,
            (SELECT o.next_offset::text FROM consumer_offsets o WHERE o.consumer = p.name AND o.topic = $2 AND o.partition = $3) AS stored,
            ARRAY(SELECT s.source FROM projection_positions s WHERE s.projection = p.name ORDER BY s.source) AS sources,
            ARRAY(SELECT s.position::text FROM projection_positions s WHERE s.projection = p.name ORDER BY s.source) AS positions
       FROM unnest($1::text[]) AS p(name)`,
    [projections, topic, partition],
  );
  return new Map(
    rows.map((r) => [
      r.name,
      { stored: r.stored === null ? undefined : BigInt(r.stored), positions: new Map(r.sources.map((source, i) => [source, BigInt(r.positions[i])])) },
    ]),
  );
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
