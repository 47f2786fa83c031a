import type { AllStreamResolvedEvent, AllStreamSubscription, EventStoreDBClient, Position } from '@eventstore/db-client';
import { START } from '@eventstore/db-client';
import { backoffDelay, wakeableSleep, type RecordedEvent, type SubscribeToAllOptions, type Subscription, type WakeableSleep } from '@city/eventsourcing';
import { isPermanentSubscriptionError } from './esdb-errors';
import { serverFilter } from './esdb-filtered-read';
import { commitPositionOf, isCityEvent, toReadPosition, toRecordedEvent } from './esdb-mapping';

export interface ResubscribeBackoff {
  /** Ceiling of the first delay before resubscribing after an error; doubles each time (`backoffDelay`). */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

const DEFAULT_BATCH_SIZE = 500;

/** A subscription to `$all` that cannot go on (see `isPermanentSubscriptionError`); `cause` is the client's error. */
export class EventStoreDbSubscriptionError extends Error {
  constructor(override readonly cause: unknown) {
    super(`EventStoreDB subscription to $all failed for good: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
    this.name = 'EventStoreDbSubscriptionError';
  }
}

/**
 * A catch-up subscription to `$all` that survives connection errors: it
 * resubscribes from the last position it handled, waiting with exponential
 * back-off (reset by every event received). Errors no retry can cure (access
 * denied, TLS, a bad position) end it and go to `onError`. Events are filtered on the server
 * by stream-name prefix (or, without a prefix, by excluding system events),
 * and again on the client, and handed to `onEvents` in batches of up to
 * `batchSize`: whatever has arrived, once the client has nothing more buffered.
 *
 * `onLive` fires once every event up to the head is delivered: on the server's
 * caught-up signal (servers 23.10+), or when the subscription passes the head
 * position read at start (older servers).
 */
export class EsdbAllSubscription implements Subscription {
  private stopped = false;
  private live = false;
  private current?: AllStreamSubscription;
  private readonly done: Promise<void>;
  private retryWait?: WakeableSleep;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeToAllOptions,
    private readonly headAtStart: Promise<bigint>,
    private readonly backoff: ResubscribeBackoff,
    private readonly onFinished: (subscription: EsdbAllSubscription) => void,
  ) {
    this.done = this.run().finally(() => this.onFinished(this));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retryWait?.wake();
    const current = this.current;
    await current?.unsubscribe().catch(() => undefined);
    current?.destroy(); // ends the for-await loop even if the cancelled call never ends the stream
    await this.done;
  }

  private async run(): Promise<void> {
    const { options } = this;
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    const head = await this.headAtStart.catch(() => undefined);
    /** Position of the last event handled (delivered or filtered out); resubscriptions start after it. */
    let cursor: Position | undefined = options.after !== undefined && options.after > 0n ? toReadPosition(options.after) : undefined;
    let after = options.after ?? 0n;
    /** Failed subscriptions since the last event received. */
    let failures = 0;
    if (head !== undefined && head <= after) this.goLive();

    while (!this.stopped) {
      let pending: RecordedEvent[] = [];
      let pendingCursor: Position | undefined;
      /** The server said we are caught up, or a filter checkpoint passed the head read at start. */
      let caughtUp = false;
      let delivering = false;
      const markCaughtUp = () => {
        caughtUp = true;
        if (subscription.readableLength === 0 && pending.length === 0 && !delivering) this.goLive();
      };
      const subscription = this.client.subscribeToAll({
        fromPosition: cursor ?? START,
        filter: serverFilter(options.streamPrefix, (checkpoint) => head !== undefined && checkpoint.commit >= head && markCaughtUp()),
        resolveLinkTos: false,
      });
      this.current = subscription;
      subscription.on('caughtUp', markCaughtUp);
      const deliver = async (): Promise<boolean> => {
        if (pending.length > 0) {
          const batch = pending;
          pending = [];
          delivering = true;
          try {
            await options.onEvents(batch);
          } catch (error) {
            this.stopped = true;
            options.onError?.(error instanceof Error ? error : new Error(String(error)));
            return false;
          } finally {
            delivering = false;
          }
        }
        cursor = pendingCursor ?? cursor;
        return true;
      };
      try {
        for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
          if (this.stopped) break;
          failures = 0;
          const event = resolved.event;
          const position = event ? commitPositionOf(event) : undefined;
          if (!event || position === undefined || position <= after) continue;
          after = position;
          pendingCursor = event.position;
          if (isCityEvent(event, options.streamPrefix)) pending.push(toRecordedEvent(event));
          const drained = subscription.readableLength === 0;
          if (pending.length >= batchSize || drained) {
            if (!(await deliver())) break;
            if (drained && (caughtUp || (head !== undefined && position >= head))) this.goLive();
          }
        }
        if (!this.stopped) await deliver();
      } catch (error) {
        if (!this.stopped) await deliver();
        if (isPermanentSubscriptionError(error) && !this.stopped) {
          // Access denied, TLS mismatch, a bad position: no retry cures it. The owner hears it (and logs it).
          this.stopped = true;
          options.onError?.(new EventStoreDbSubscriptionError(error));
        }
        // Otherwise (connection lost, server restarted, leader changed...): resubscribe below.
      } finally {
        await subscription.unsubscribe().catch(() => undefined);
        subscription.destroy();
      }
      if (this.stopped) break;
      this.retryWait = wakeableSleep(backoffDelay(failures++, this.backoff.initialDelayMs, this.backoff.maxDelayMs));
      await this.retryWait.done;
    }
  }

  private goLive(): void {
    if (this.live || this.stopped) return;
    this.live = true;
    this.options.onLive?.();
  }
}
