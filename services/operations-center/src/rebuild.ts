import { DISTRICT_CODES } from '@city/contracts';
import type { EventStore } from '@city/eventsourcing';
import { DEFAULT_PROJECTION_SOURCE, rebuildProjection } from '@city/projections';
import type { SqlDatabase } from '@city/sql';
import type { ContextReadModel } from './read-model/context-read-model';
import { migrateOpsSchema, notifyChanged } from './read-model/ops-schema';

export interface RebuildReadModelOptions {
  /**
   * Name of the store's positions. Embedded mode: `event-store` (default, the
   * embedded runner's). Stack mode: the context's CloudEvents source (e.g.
   * `/city/canvass`), so the Kafka runner, started again after the rebuild,
   * skips what the rebuild applied. Stop the Kafka-fed service while rebuilding.
   */
  readonly source?: string;
  readonly batchSize?: number;
  readonly onProgress?: (projection: string, position: bigint, eventsApplied: number) => void;
}

export interface RebuildResult {
  readonly projection: string;
  readonly position: bigint;
  readonly eventsApplied: number;
}

/**
 * Empties a context's read models and replays its events from the event
 * store's global log, then tells live clients every district changed.
 */
export async function rebuildContext(
  store: EventStore,
  readDb: SqlDatabase,
  context: ContextReadModel,
  options: RebuildReadModelOptions = {},
): Promise<RebuildResult[]> {
  await migrateOpsSchema(readDb);
  const results: RebuildResult[] = [];
  for (const projection of context.projections) {
    const { position, eventsApplied } = await rebuildProjection(store, readDb, projection, {
      source: options.source ?? DEFAULT_PROJECTION_SOURCE,
      streamPrefix: context.streamPrefix,
      batchSize: options.batchSize,
      onProgress: (p, n) => options.onProgress?.(projection.name, p, n),
    });
    results.push({ projection: projection.name, position, eventsApplied });
  }
  await readDb.transaction((tx) => notifyChanged(tx, 'rebuild', DISTRICT_CODES));
  return results;
}
