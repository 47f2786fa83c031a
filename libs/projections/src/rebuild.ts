import type { EventStore } from '@city/eventsourcing';
import type { SqlDatabase } from '@city/sql';
import { applyToProjections, DEFAULT_PROJECTION_SOURCE } from './event-store-projection-runner';
import type { Projection } from './projection';
import { lockProjection, migrateProjectionTables, savePosition } from './schema';

export interface RebuildOptions {
  /**
   * Name of the store's positions. For a projection fed from Kafka, pass the
   * relay's `ce_source` (e.g. `/city/canvass`): the Kafka runner then skips the
   * events of that source the rebuild already applied, whatever its offsets.
   * Default `event-store` (the embedded runner's).
   */
  readonly source?: string;
  /** Only streams whose id starts with this prefix. */
  readonly streamPrefix?: string;
  /** Events read and applied per transaction; default 1000. */
  readonly batchSize?: number;
  readonly onProgress?: (position: bigint, eventsApplied: number) => void;
}

/**
 * Empties a projection and replays the store's whole global log into it.
 *
 * Batched with a checkpoint, not one transaction: the reset commits first
 * (with the position set back to 0), then every batch is read from the store
 * OUTSIDE any transaction and applied with the new position in its own
 * transaction. One long transaction would hold the read model locked for the
 * whole replay and cannot work on embedded PGlite when the store shares the
 * database (PGlite has one connection: reading the store would wait for the
 * transaction that waits for the read). Consequences, by design:
 * - while it runs, readers see the figures grow back from zero;
 * - if it stops half-way, the position says how far it got, and the
 *   event-store runner (same source) simply continues from there;
 * - an event-store runner may keep running meanwhile: both lock the projection
 *   and re-read the position inside their transactions, so no event is applied
 *   twice. A Kafka-fed runner of the projection must be stopped during the
 *   rebuild and started after it (it skips what the rebuild applied).
 *
 * Resolves with the position reached and the number of events applied.
 */
export async function rebuildProjection(
  store: EventStore,
  db: SqlDatabase,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<{ position: bigint; eventsApplied: number }> {
  const reset = projection.reset;
  if (!reset) throw new Error(`Projection ${projection.name} cannot be rebuilt: it has no reset()`);
  const source = options.source ?? DEFAULT_PROJECTION_SOURCE;
  const batchSize = options.batchSize ?? 1000;
  const handled = new Map([[projection.name, new Set(projection.handles)]]);

  await migrateProjectionTables(db);
  await projection.migrate(db);
  await db.transaction(async (tx) => {
    await lockProjection(tx, projection.name);
    await reset.call(projection, tx);
    await savePosition(tx, projection.name, source, 0n);
  });

  let position = 0n;
  let eventsApplied = 0;
  for (;;) {
    const events = await store.readAll({ after: position, limit: batchSize, streamPrefix: options.streamPrefix });
    if (events.length === 0) break;
    const reports = await db.transaction((tx) => applyToProjections(tx, [projection], handled, source, events));
    eventsApplied += reports.reduce((n, r) => n + r.applied.length, 0);
    position = events[events.length - 1].globalPosition;
    options.onProgress?.(position, eventsApplied);
  }
  return { position, eventsApplied };
}
