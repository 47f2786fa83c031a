/** A stream's folded state and the version it was folded up to. */
export interface CachedStreamState<State> {
  readonly version: number;
  readonly state: State;
}

/**
 * The state of the streams this process wrote most recently, so that the next
 * command on one of them decides without reading the stream back. It is only
 * an optimisation: the append still expects the cached version, so a stream
 * another process wrote meanwhile answers with a conflict, and the command
 * handler drops the entry, reads the stream and decides again.
 *
 * Bounded: the least recently used entries go when `capacity` is exceeded (a tenth of it at once).
 * States are shared with callers; deciders must treat them as immutable.
 */
export class StreamStateCache<State> {
  private readonly entries = new Map<string, CachedStreamState<State>>();

  constructor(readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`StreamStateCache capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(streamId: string): CachedStreamState<State> | undefined {
    const entry = this.entries.get(streamId);
    if (entry === undefined) return undefined;
    // A Map iterates in insertion order: re-inserting marks the entry as most recently used.
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry;
  }

  set(streamId: string, entry: CachedStreamState<State>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) {
      // A tenth goes at once: finding the oldest walks past the holes that deletions leave at the
      // front of a Map (until it is rehashed), so one walk serves many evictions.
      let evict = this.entries.size - this.capacity + Math.floor(this.capacity / 10);
      for (const oldest of this.entries.keys()) {
        if (evict-- <= 0) break;
        this.entries.delete(oldest);
      }
    }
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}
