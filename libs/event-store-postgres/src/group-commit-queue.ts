/**
 * Collects concurrent requests and hands them to `flush` in batches, one batch
 * at a time. A batch starts on the next macrotask (setImmediate) so that every
 * caller that is ready in the current turn of the event loop joins it; while a
 * batch is being written, new requests wait and form the next one.
 */
export interface Queued<Request, Result> {
  readonly request: Request;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export interface GroupCommitQueueOptions<Request> {
  /** Upper bound on the summed `weight` of one batch (a single heavier request still goes alone). */
  readonly maxBatchWeight: number;
  /** Weight of one request, e.g. its number of events. */
  readonly weight: (request: Request) => number;
}

export class GroupCommitQueue<Request, Result> {
  private readonly pending: Queued<Request, Result>[] = [];
  private draining = false;
  private scheduled = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    /** Writes one batch and settles every entry itself; must not throw. */
    private readonly flush: (batch: Queued<Request, Result>[]) => Promise<void>,
    private readonly options: GroupCommitQueueOptions<Request>,
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /** Number of requests not yet handed to a flush. */
  get size(): number {
    return this.pending.length;
  }

  /** Resolves once every request submitted so far has been flushed. */
  whenIdle(): Promise<void> {
    if (!this.draining && !this.scheduled && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.draining || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.takeBatch();
        try {
          await this.flush(batch);
        } catch (error) {
          batch.forEach((entry) => entry.reject(error)); // a flush bug must not strand its callers
        }
        // Let callers whose appends just settled submit their next one, so it joins the next batch.
        if (this.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
      this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  private takeBatch(): Queued<Request, Result>[] {
    let weight = 0;
    let count = 0;
    for (const entry of this.pending) {
      const w = this.options.weight(entry.request);
      if (count > 0 && weight + w > this.options.maxBatchWeight) break;
      weight += w;
      count++;
    }
    return this.pending.splice(0, count);
  }
}
