import type { RecordedEvent } from '@city/eventsourcing';
import type { SqlDatabase } from '@city/sql';
import type { ContextReadModel } from '../read-model/context-read-model';

/** Every projection of a context (its figures and, for canvass, the reference data), driven by hand in tests. */
export function contextProjections(context: ContextReadModel) {
  const projections = context.projections;
  return {
    async migrate(db: SqlDatabase): Promise<void> {
      for (const p of projections) await p.migrate(db);
    },
    apply(db: SqlDatabase, events: readonly RecordedEvent[]): Promise<void> {
      return db.transaction(async (tx) => {
        for (const p of projections) await p.apply(tx, events);
      });
    },
    reset(db: SqlDatabase): Promise<void> {
      return db.transaction(async (tx) => {
        for (const p of projections) await p.reset?.(tx);
      });
    },
  };
}
