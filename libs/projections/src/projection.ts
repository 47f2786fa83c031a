import type { RecordedEvent } from '@city/eventsourcing';
import type { SqlExecutor } from '@city/sql';

/**
 * A read model built from events. Runners call `apply` inside the transaction
 * that also stores how far the projection has read (Kafka offsets or a global
 * position), so each event takes effect exactly once even though delivery is
 * at least once.
 */
export interface Projection {
  /** Unique, stable name: the key of its stored offsets and positions. */
  readonly name: string;
  /** Event types it applies; the runner filters every other type out before `apply`. */
  readonly handles: readonly string[];
  /** Creates its tables (idempotent); runs at start, outside any batch. */
  migrate(db: SqlExecutor): Promise<void>;
  /** Applies events, in order, inside the runner's transaction. */
  apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void>;
  /** Empties the read model, for a rebuild from the event store. */
  reset?(tx: SqlExecutor): Promise<void>;
}

/** Callbacks through which a runner reports progress (the observability lib turns them into metrics). */
export interface ProjectionObserver {
  /** `city_projection_events_total{projection,type}`: `count` events of `type` applied. */
  eventsApplied?(projection: string, type: string, count: number): void;
  /** `city_projection_checkpoint_position{projection}`: global position of the last event read. */
  checkpoint?(projection: string, position: bigint): void;
  /**
   * `city_projection_lag_seconds{projection}`: while behind its source, now minus the recording time
   * of the newest event read; 0 once caught up (the Kafka runner compares with the broker's end offsets).
   */
  lag?(projection: string, seconds: number): void;
}

/** What a runner knows about one projection since it started. */
export interface ProjectionStatus {
  readonly position: bigint;
  readonly lagSeconds: number;
  readonly applied: Readonly<Record<string, number>>;
}
