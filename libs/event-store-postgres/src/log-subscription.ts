import type { RecordedEvent, SubscribeToAllOptions, Subscription } from '@city/eventsourcing';
import { Wakeup } from './wakeup';

/** One page of the global log, read so that no committed event can be skipped. */
export interface LogPage {
  readonly events: readonly RecordedEvent[];
  /** Position to resume after: the last event read, or the head if the page reached it. */
  readonly nextAfter: bigint;
  /** True when the page reached the head of the log as it was when read. */
  readonly atHead: boolean;
}

export interface LogSource {
  /** `fromServer`: read the server's log, not a copy kept in memory (after a wait that no signal ended: a signal may have been missed). */
  readPage(after: bigint, limit: number, streamPrefix: string | undefined, fromServer: boolean): Promise<LogPage>;
  /** Calls `signal` when new events may have been committed; resolves to an unsubscribe. */
  listen(signal: () => void): Promise<() => Promise<void>>;
}

export interface LogSubscriptionTiming {
  /** Re-read the log this often when no notification arrives (a NOTIFY can be missed). */
  readonly pollIntervalMs: number;
  /** First retry delay after a failed read; doubles up to `maxRetryDelayMs`. */
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * Catch-up then live, without gaps: read pages after the checkpoint until the
 * head, call `onLive` once, then wait for a notification (or the poll interval)
 * and read again. The listener is registered before the first read, so an
 * append that commits between a read and the wait still wakes the loop.
 * Read errors are retried with exponential back-off; a rejection from
 * `onEvents` stops the subscription and goes to `onError`.
 */
export class LogSubscription implements Subscription {
  readonly wakeup = new Wakeup();
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly source: LogSource,
    private readonly options: SubscribeToAllOptions,
    private readonly timing: LogSubscriptionTiming,
    private readonly onFinished: (subscription: LogSubscription) => void,
  ) {
    this.done = this.run().finally(() => this.onFinished(this));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeup.ring();
    await this.done;
  }

  private async run(): Promise<void> {
    const { options, timing } = this;
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    let unlisten: (() => Promise<void>) | undefined;
    try {
      unlisten = await this.source.listen(() => this.wakeup.ring());
    } catch {
      unlisten = undefined; // no notifications: polling alone still delivers everything
    }
    let position = options.after ?? 0n;
    let live = false;
    let retryDelay = timing.retryDelayMs;
    let fromServer = true;
    try {
      while (!this.stopped) {
        let page: LogPage;
        try {
          page = await this.source.readPage(position, batchSize, options.streamPrefix, fromServer);
          fromServer = false;
          retryDelay = timing.retryDelayMs;
        } catch {
          await this.wakeup.wait(retryDelay);
          retryDelay = Math.min(retryDelay * 2, timing.maxRetryDelayMs);
          continue;
        }
        if (this.stopped) break;
        if (page.events.length > 0) {
          try {
            await options.onEvents(page.events);
          } catch (error) {
            this.stopped = true;
            options.onError?.(error instanceof Error ? error : new Error(String(error)));
            break;
          }
        }
        position = page.nextAfter;
        if (page.atHead) {
          if (!live) {
            live = true;
            if (!this.stopped) options.onLive?.();
          }
          if (!this.stopped) fromServer = !(await this.wakeup.wait(timing.pollIntervalMs));
        }
      }
    } finally {
      await unlisten?.().catch(() => undefined);
    }
  }
}
