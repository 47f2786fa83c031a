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
 * Bounded: the least recently used entry goes when `capacity` is exceeded.
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
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}
