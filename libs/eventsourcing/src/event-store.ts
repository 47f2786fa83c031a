import type { NewEvent, RecordedEvent } from './event';

/**
 * What the writer believes the stream's version is:
 * a number (the 0-based version of its last event), `'no_stream'` (must not exist),
 * `'stream_exists'` (must exist, any version) or `'any'` (no check).
 */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

/** Version of a stream that has no events. */
export const NO_STREAM_VERSION = -1;

export interface AppendResult {
  /** Version of the last appended event in the stream. */
  readonly nextExpectedVersion: number;
  /** Global position of the last appended event. */
  readonly lastPosition: bigint;
}

export interface ReadStreamOptions {
  /** First version to read (inclusive); default 0. */
  readonly fromVersion?: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this global position; default: from the start. */
  readonly after?: bigint;
  /** Maximum number of events; adapters choose a sensible default. */
  readonly limit?: number;
  /** Only streams whose id starts with this prefix (e.g. `canvass.`). */
  readonly streamPrefix?: string;
}

export interface CountEventsOptions {
  /** Count events strictly after this global position. */
  readonly after: bigint;
  readonly streamPrefix?: string;
  /** Stop counting here (a bound on the work); the answer is then `max`. */
  readonly max: number;
}

export interface SubscribeToAllOptions extends Omit<ReadAllOptions, 'limit'> {
  /** Maximum events per delivered batch. */
  readonly batchSize?: number;
  /**
   * Called with each batch in global order. The next batch is not delivered
   * before the promise resolves; a rejection stops the subscription and is
   * passed to `onError`.
   */
  onEvents(events: readonly RecordedEvent[]): Promise<void>;
  /** Called once the subscription has caught up with the log and goes live. */
  onLive?(): void;
  onError?(error: Error): void;
}

export interface Subscription {
  /** Stops delivering; resolves when the batch in flight is done. */
  stop(): Promise<void>;
}

/**
 * The one event-store port. Adapters: PostgreSQL (`pg`), the same on embedded
 * PGlite, and EventStoreDB/KurrentDB. All pass one contract test suite.
 *
 * Guarantees every adapter keeps:
 * - `appendToStream` is atomic per call and checks `expectedVersion`, throwing
 *   `ConcurrencyError` when it does not hold; nothing is appended then.
 * - Global positions become visible in commit order: a reader that resumes
 *   "after P" never skips a committed event.
 */
export interface EventStore {
  appendToStream(streamId: string, events: readonly NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  /** Position of the last committed event in the global log (0n when empty). */
  headPosition(): Promise<bigint>;
  /**
   * Names this store's global log: its kind and where it lives, e.g.
   * `postgres:city_canvass/event_store/<id>`. It differs for another server,
   * database or schema, and for the same one dropped and created again, so
   * positions kept elsewhere (a relay's checkpoint) are kept per store: a
   * position of one log means nothing in another.
   */
  identity(): Promise<string>;
  /**
   * Committed events after `after` (of the streams with `streamPrefix`),
   * counted up to `max`: what a relay has still to publish, in events (global
   * positions may be bytes, and count other streams' events). Optional; a
   * reader without it counts through `readAll`.
   */
  countEvents?(options: CountEventsOptions): Promise<number>;
  /** Resolves when the store answers; rejects otherwise (used by readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
