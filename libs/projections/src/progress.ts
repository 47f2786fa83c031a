import type { RecordedEvent } from '@city/eventsourcing';
import type { ProjectionObserver, ProjectionStatus } from './projection';

interface Progress {
  position: bigint;
  lagSeconds: number;
  applied: Record<string, number>;
  /** Recording time (ms) of the newest event read since the projection was last seen caught up. */
  lastRecordedAt?: number;
  /** When the projection was first seen behind its source without having read anything since (ms). */
  behindSince?: number;
}

/** Keeps each projection's status and reports it to the observer after a committed transaction. */
export class ProjectionProgress {
  private readonly statuses = new Map<string, Progress>();

  constructor(
    private readonly observer: ProjectionObserver = {},
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `read` is every event the transaction read for the projection (applied or
   * filtered out: the model is up to date with all of them), `applied` those it applied.
   */
  committed(projection: string, read: readonly RecordedEvent[], applied: readonly RecordedEvent[]): void {
    const status = this.statusOf(projection);
    const counts = new Map<string, number>();
    for (const event of applied) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
    for (const [type, count] of counts) {
      status.applied[type] = (status.applied[type] ?? 0) + count;
      this.observer.eventsApplied?.(projection, type, count);
    }
    if (read.length === 0) return;
    let position = status.position;
    for (const event of read) if (event.globalPosition > position) position = event.globalPosition;
    status.position = position;
    this.observer.checkpoint?.(projection, position);
    const recordedAt = Date.parse(read[read.length - 1].recordedAt);
    if (!Number.isNaN(recordedAt)) status.lastRecordedAt = recordedAt;
    status.behindSince = undefined;
    this.report(projection, status, Number.isNaN(recordedAt) ? 0 : this.secondsSince(recordedAt));
  }

  /**
   * What the runner found comparing its stored position with the source's end
   * (the broker's end offsets, or the event store's head). Caught up: the lag
   * is 0, also when no event comes for hours. Behind: the age of the oldest
   * event not yet applied when the source tells it (`oldestPendingAt`, ms; the
   * event store does), else of the newest event read; either keeps growing
   * while the projection does not move (a stalled consumer shows), or, when
   * nothing was read since it was last caught up, the time since it fell behind.
   */
  sourceChecked(projection: string, caughtUp: boolean, oldestPendingAt?: number): void {
    const status = this.statusOf(projection);
    if (caughtUp) {
      status.lastRecordedAt = undefined;
      status.behindSince = undefined;
      this.report(projection, status, 0);
      return;
    }
    if (oldestPendingAt !== undefined && !Number.isNaN(oldestPendingAt)) {
      this.report(projection, status, this.secondsSince(oldestPendingAt));
      return;
    }
    const since = status.lastRecordedAt ?? (status.behindSince ??= this.now());
    this.report(projection, status, this.secondsSince(since));
  }

  status(projection: string): ProjectionStatus {
    const s = this.statusOf(projection);
    return { position: s.position, lagSeconds: s.lagSeconds, applied: { ...s.applied } };
  }

  private report(projection: string, status: Progress, lagSeconds: number): void {
    status.lagSeconds = lagSeconds;
    this.observer.lag?.(projection, lagSeconds);
  }

  private secondsSince(ms: number): number {
    return Math.max(0, (this.now() - ms) / 1000);
  }

  private statusOf(projection: string): Progress {
    let status = this.statuses.get(projection);
    if (!status) this.statuses.set(projection, (status = { position: 0n, lagSeconds: 0, applied: {} }));
    return status;
  }
}
