import type { RecordedEvent } from '@city/eventsourcing';
import type { LogPage } from './log-subscription';

/**
 * The newest stretch of the global log as this store instance appended it, kept so that its own
 * subscriptions (the relay, the service's read models) get new events from memory instead of
 * each reading them back from the server: at a few thousand appends a second, reading every
 * event once per subscriber cost more than appending it, on both sides.
 *
 * What is held is always a gap-free run of positions (start, end]. One `append_batch` takes
 * consecutive positions under the store's lock, so a committed batch is gap-free by itself, and
 * it continues the run only if its first position is `end + 1`. Anything else (another process
 * or store instance appended in between, a batch whose outcome was lost) starts a new run, and
 * a reader whose position lies before it reads the server, as does one at `end` when a
 * notification has told of a higher head (`heard`). The log subscription also reads the server
 * after every wait that no signal ended, since a notification may have been lost.
 */
export class RecentLog {
  private events: RecordedEvent[] = [];
  /** The run is (start, end]; -1 while nothing is held. */
  private start = -1n;
  private end = -1n;
  private knownHead = 0n;

  constructor(private readonly capacity: number) {}

  /** Events one committed batch appended, in position order (consecutive). */
  appended(batch: readonly RecordedEvent[]): void {
    if (batch.length === 0) return;
    const first = batch[0].globalPosition;
    const last = batch[batch.length - 1].globalPosition;
    if (last > this.knownHead) this.knownHead = last;
    if (this.capacity <= 0) return;
    if (first - 1n !== this.end || this.end < 0n) {
      this.events = [];
      this.start = first - 1n;
    }
    for (const event of batch) this.events.push(event);
    this.end = last;
    const excess = this.events.length - this.capacity;
    if (excess > 0) {
      this.events.splice(0, excess);
      this.start = this.events[0].globalPosition - 1n;
    }
  }

  /** A head the server announced (an append of anyone's). */
  heard(head: bigint): void {
    if (head > this.knownHead) this.knownHead = head;
  }

  /**
   * The page `readPage` would answer, from memory, or undefined when the log after `after` is
   * not all here. `atHead` is as far as this instance knows: a later append of another process
   * is announced (`heard`) or found when the subscription reads the server after its poll interval,
   * so a reader at the highest head known gets an empty page at the head.
   */
  page(after: bigint, limit: number, streamPrefix: string | undefined): LogPage | undefined {
    // Nothing newer known (e.g. a notification of a batch of ours that is still being answered).
    if (after >= this.knownHead) return { events: [], nextAfter: after, atHead: true };
    if (this.end < 0n || after < this.start || after > this.end) return undefined;
    const atHead = this.end >= this.knownHead;
    if (after === this.end && !atHead) return undefined;
    const events: RecordedEvent[] = [];
    for (let i = Number(after - this.start); i < this.events.length && events.length < limit; i++) {
      const event = this.events[i];
      if (streamPrefix === undefined || event.streamId.startsWith(streamPrefix)) events.push(event);
    }
    if (events.length < limit) return { events, nextAfter: this.end, atHead };
    const last = events[events.length - 1].globalPosition;
    return { events, nextAfter: last, atHead: atHead && last === this.end };
  }
}
