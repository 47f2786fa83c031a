import type { RecordedEvent } from '@city/eventsourcing';
import type { ProjectionObserver, ProjectionStatus } from './projection';

/** Keeps each projection's status and reports it to the observer after a committed transaction. */
export class ProjectionProgress {
  private readonly statuses = new Map<string, { position: bigint; lagSeconds: number; applied: Record<string, number> }>();

  constructor(private readonly observer: ProjectionObserver = {}) {}

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
    status.lagSeconds = Number.isNaN(recordedAt) ? 0 : Math.max(0, (Date.now() - recordedAt) / 1000);
    this.observer.lag?.(projection, status.lagSeconds);
  }

  status(projection: string): ProjectionStatus {
    const s = this.statusOf(projection);
    return { position: s.position, lagSeconds: s.lagSeconds, applied: { ...s.applied } };
  }

  private statusOf(projection: string) {
    let status = this.statuses.get(projection);
    if (!status) this.statuses.set(projection, (status = { position: 0n, lagSeconds: 0, applied: {} }));
    return status;
  }
}
