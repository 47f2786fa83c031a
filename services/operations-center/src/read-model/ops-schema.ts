import type { SqlExecutor } from '@city/sql';

/** All operations-center read models live in this PostgreSQL schema. */
export const OPS_SCHEMA = 'ops';

/** NOTIFY channel on which projections announce the districts a committed batch changed. */
export const OPS_CHANGES_CHANNEL = 'ops_changes';

/**
 * Tables shared by every context's projections:
 * - `processed_events`: the ids of events a projection has applied. A projection
 *   skips an event whose id is already there, so a replay (rebuild overlapping
 *   live, at-least-once delivery) never counts twice.
 * - `subdistricts`: reference data registered by districts (names for the tables),
 *   kept by ReferenceDataProjection (reference-data.projection.ts), not by a context.
 */
const STATEMENTS = [
  `CREATE SCHEMA IF NOT EXISTS ops`,
  `CREATE TABLE IF NOT EXISTS ops.processed_events (
     projection      text        NOT NULL,
     event_id        text        NOT NULL,
     global_position bigint,
     processed_at    timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (projection, event_id)
   )`,
  `CREATE TABLE IF NOT EXISTS ops.subdistricts (
     district_code    text        NOT NULL,
     subdistrict_code text        NOT NULL,
     name             text        NOT NULL,
     registered_at    timestamptz NOT NULL,
     PRIMARY KEY (district_code, subdistrict_code)
   )`,
];

export function migrateOpsSchema(db: SqlExecutor): Promise<void> {
  return once(db, STATEMENTS);
}

const migrated = new WeakMap<SqlExecutor, Map<readonly string[], Promise<void>>>();

/**
 * Runs shared DDL once per database handle: the start-up, and every projection
 * that also works on its own (a rebuild, a test), all ask for the shared tables,
 * but only the first ask reaches the database. A failed run is forgotten, so the
 * next ask tries again.
 */
export function once(db: SqlExecutor, statements: readonly string[]): Promise<void> {
  const done = migrated.get(db) ?? new Map<readonly string[], Promise<void>>();
  migrated.set(db, done);
  let run = done.get(statements);
  if (!run) {
    run = runDdl(db, statements).catch((error: unknown) => {
      done.delete(statements);
      throw error;
    });
    done.set(statements, run);
  }
  return run;
}

/**
 * Runs idempotent DDL one statement at a time (PGlite takes one statement per
 * query). Two replicas migrating at once can race on `IF NOT EXISTS`; the loser
 * sees a duplicate-object error, which means the object is there: retry once.
 */
export async function runDdl(db: SqlExecutor, statements: readonly string[]): Promise<void> {
  for (const sql of statements) {
    try {
      await db.query(sql);
    } catch (error) {
      if (!isDuplicateObject(error)) throw error;
      await db.query(sql);
    }
  }
}

function isDuplicateObject(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '23505' || code === '42P07' || code === '42710' || code === '42P06';
}

/**
 * Keeps only the events this projection has not applied yet, and marks them
 * applied, in the caller's transaction. Duplicates inside the batch count once.
 */
export async function claimUnprocessed<E extends { readonly eventId: string; readonly globalPosition?: bigint }>(
  tx: SqlExecutor,
  projection: string,
  events: readonly E[],
): Promise<E[]> {
  if (events.length === 0) return [];
  const { rows } = await tx.query<{ event_id: string }>(
    `INSERT INTO ops.processed_events (projection, event_id, global_position)
     SELECT $1, e.id, e.pos FROM unnest($2::text[], $3::bigint[]) AS e(id, pos)
     ON CONFLICT DO NOTHING
     RETURNING event_id`,
    [projection, events.map((e) => e.eventId), events.map((e) => (e.globalPosition === undefined ? null : e.globalPosition.toString()))],
  );
  const claimed = new Set(rows.map((r) => r.event_id));
  const seen = new Set<string>();
  return events.filter((e) => {
    if (!claimed.has(e.eventId) || seen.has(e.eventId)) return false;
    seen.add(e.eventId);
    return true;
  });
}

/** Announces changed districts; PostgreSQL delivers it on commit only, to every listener. */
export async function notifyChanged(tx: SqlExecutor, projection: string, districts: Iterable<string>): Promise<void> {
  const payload = changeNotice(projection, districts);
  if (payload === undefined) return;
  await tx.query(`SELECT pg_notify($1, $2)`, [OPS_CHANGES_CHANNEL, payload]);
}

/** The payload `notifyChanged` sends on OPS_CHANGES_CHANNEL, for a statement that sends it itself; undefined when no district changed. */
export function changeNotice(projection: string, districts: Iterable<string>): string | undefined {
  const list = [...new Set(districts)].sort();
  return list.length === 0 ? undefined : JSON.stringify({ projection, districts: list });
}
