import { asError, backoffDelay, CityError, Resubscribing, sleep, type EventStore, type RecordedEvent, type Subscription } from '@city/eventsourcing';
import type { SqlDatabase, SqlExecutor } from '@city/sql';
import { ProjectionProgress } from './progress';
import type { Projection, ProjectionObserver, ProjectionStatus } from './projection';
import { loadPositions, lockProjection, migrateProjectionTables, recordDeadLetter, savePosition } from './schema';

export interface ProjectionReport {
  readonly projection: string;
  /** Events newer than the projection's position (applied or not of its types). */
  readonly read: RecordedEvent[];
  readonly applied: RecordedEvent[];
}

/** Name under which positions of an event store are kept when the caller gives none. */
export const DEFAULT_PROJECTION_SOURCE = 'event-store';

export interface EventStoreProjectionRunnerOptions {
  readonly store: EventStore;
  /** The read-model database; positions live in it too. */
  readonly db: SqlDatabase;
  /** Create the bookkeeping and projection tables at start (default true); false when the caller has migrated them already, once. */
  readonly migrate?: boolean;
  readonly projections: readonly Projection[];
  /** Name of the store's positions in `projection_positions`; default `event-store`. */
  readonly source?: string;
  /** Only streams whose id starts with this prefix (e.g. `canvass.`). */
  readonly streamPrefix?: string;
  /** Events per transaction; default 500. */
  readonly batchSize?: number;
  readonly observer?: ProjectionObserver;
  /** Wait before re-subscribing after a failed batch: doubles from `initial` to `max`. */
  readonly restartDelayMs?: { readonly initial: number; readonly max: number };
  /** Attempts after the first for a failing batch, then for each event; default 3 (none for `CityError`s). */
  readonly maxRetries?: number;
  readonly retryDelayMs?: { readonly initial: number; readonly max: number };
  readonly onError?: (error: Error) => void;
  /** An event a projection refused for good (recorded in `projection_dead_letters`). */
  readonly onDeadLetter?: (projection: string, event: RecordedEvent, error: Error) => void;
  /** Called each time the subscription has caught up with the log. */
  readonly onLive?: () => void;
  /** How often the lag is measured against the store (`checkLag`); default 5 s. */
  readonly lagCheckIntervalMs?: number;
}

/**
 * Feeds projections from an event store's `subscribeToAll` instead of Kafka:
 * the embedded run mode, where the store's subscription is the bus. Each
 * delivered batch is applied and the global position stored in ONE
 * transaction (per projection: lock, read position, apply what is newer, save),
 * so a restart resumes exactly where the last commit left off.
 *
 * Failures: see `applyBatch`. When a batch fails for good (database down), the
 * subscription stops; the runner reports it, waits and subscribes again from
 * the stored positions.
 */
export class EventStoreProjectionRunner {
  private readonly loop: Resubscribing;
  private readonly progress: ProjectionProgress;
  private readonly source: string;
  private readonly handled: Map<string, ReadonlySet<string>>;
  private lagTimer?: NodeJS.Timeout;
  /** Per projection: no event of its streams lies in (from, head], as a lag check found. */
  private readonly emptyUpTo = new Map<string, { readonly from: bigint; readonly head: bigint }>();

  constructor(private readonly options: EventStoreProjectionRunnerOptions) {
    const names = options.projections.map((p) => p.name);
    if (new Set(names).size !== names.length) throw new Error(`Projection names must be unique: ${names.join(', ')}`);
    this.source = options.source ?? DEFAULT_PROJECTION_SOURCE;
    this.handled = new Map(options.projections.map((p) => [p.name, new Set(p.handles)]));
    this.progress = new ProjectionProgress(options.observer);
    this.loop = new Resubscribing({
      subscribe: () => this.subscribe(),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.restartDelayMs ? { delayMs: options.restartDelayMs } : {}),
    });
  }

  async start(): Promise<void> {
    if (this.loop.running) return;
    if (this.options.migrate !== false) {
      await migrateProjectionTables(this.options.db);
      for (const projection of this.options.projections) await projection.migrate(this.options.db);
    }
    await this.loop.start();
    this.lagTimer ??= setInterval(() => void this.checkLag().catch(() => undefined), this.options.lagCheckIntervalMs ?? LAG_CHECK_INTERVAL_MS);
    this.lagTimer.unref();
  }

  /** Lets the batch in flight commit, then stops. */
  async stop(): Promise<void> {
    clearInterval(this.lagTimer);
    this.lagTimer = undefined;
    await this.loop.stop();
  }

  /**
   * Measures each projection's lag against the store's head: 0 when no event
   * of its streams lies after its stored position, so an idle, caught-up
   * projection shows 0 however long the city is quiet; otherwise the age of
   * the oldest event it has not applied, which keeps growing while it does not
   * move. Runs every `lagCheckIntervalMs`; answers whether every projection is
   * caught up. Throws when the store or the database does not answer (the
   * gauge keeps its value; readiness reports them).
   */
  async checkLag(): Promise<boolean> {
    const { db, store, streamPrefix, projections } = this.options;
    let caughtUp = true;
    for (const projection of projections) {
      const position = (await loadPositions(db, projection.name)).get(this.source) ?? 0n;
      // What an earlier check found empty is not searched again: a context quiet for a long time is not a scan of the log every time.
      const empty = this.emptyUpTo.get(projection.name);
      const from = empty && position >= empty.from && empty.head > position ? empty.head : position;
      // Positions become visible in commit order: nothing at or below a head read first can appear later.
      const head = await store.headPosition();
      const [oldestPending] = await store.readAll({ after: from, limit: 1, ...(streamPrefix ? { streamPrefix } : {}) });
      if (oldestPending) caughtUp = false;
      else this.emptyUpTo.set(projection.name, { from: position, head });
      this.progress.sourceChecked(projection.name, !oldestPending, oldestPending && Date.parse(oldestPending.recordedAt));
    }
    return caughtUp;
  }

  status(projection: string): ProjectionStatus {
    return this.progress.status(projection);
  }

  /** Starts after the smallest stored position over the projections (0 for a projection never run). */
  private async subscribe(): Promise<Subscription | undefined> {
    let after: bigint | undefined;
    for (const projection of this.options.projections) {
      const position = (await loadPositions(this.options.db, projection.name)).get(this.source) ?? 0n;
      if (after === undefined || position < after) after = position;
    }
    if (!this.loop.running) return undefined;
    return this.options.store.subscribeToAll({
      after: after ?? 0n,
      streamPrefix: this.options.streamPrefix,
      batchSize: this.options.batchSize ?? 500,
      onEvents: (events) => this.applyBatch(events),
      onError: (error) => this.loop.fail(error),
      onLive: () => this.options.onLive?.(),
    });
  }

  /**
   * The whole batch in one transaction, retried with backoff when the error may
   * be transient; if it keeps failing, event by event and projection by
   * projection, so that one poison event cannot block the others: the event a
   * projection refuses is recorded in `projection_dead_letters` and the
   * projection's position moves past it in the SAME transaction (no Kafka here
   * to dead-letter to). If even that fails (database down), the batch fails,
   * the subscription stops and restarts from the stored positions.
   */
  private async applyBatch(events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { db, projections } = this.options;
    try {
      const reports = await this.withRetries(() => db.transaction((tx) => applyToProjections(tx, projections, this.handled, this.source, events)));
      this.report(reports);
      return;
    } catch (error) {
      if (!this.loop.running) throw error;
      this.options.onError?.(new Error(`Projection batch failed, applying event by event: ${asError(error).message}`));
    }
    for (const event of events) {
      for (const projection of projections) {
        try {
          this.report(await this.withRetries(() => db.transaction((tx) => applyToProjections(tx, [projection], this.handled, this.source, [event]))));
        } catch (error) {
          if (!this.loop.running) throw error;
          const e = asError(error);
          await db.transaction(async (tx) => {
            await lockProjection(tx, projection.name);
            const position = (await loadPositions(tx, projection.name)).get(this.source) ?? 0n;
            if (position >= event.globalPosition) return;
            await recordDeadLetter(tx, projection.name, this.source, event, e);
            await savePosition(tx, projection.name, this.source, event.globalPosition);
          });
          this.options.onDeadLetter?.(projection.name, event, e);
        }
      }
    }
  }

  private async withRetries<T>(work: () => Promise<T>): Promise<T> {
    const { initial, max } = this.options.retryDelayMs ?? { initial: 100, max: 2000 };
    const maxRetries = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const e = asError(error);
        if (e instanceof CityError || attempt >= maxRetries || !this.loop.running) throw e;
        await sleep(backoffDelay(attempt, initial, max));
      }
    }
  }

  private report(reports: readonly ProjectionReport[]): void {
    this.loop.succeeded();
    for (const r of reports) this.progress.committed(r.projection, r.read, r.applied);
  }
}

const LAG_CHECK_INTERVAL_MS = 5000;

/**
 * Applies events of one store, in global order, to each projection that has
 * not seen them yet, and stores each projection's new position: the caller's
 * transaction makes it all-or-nothing. Shared by the runner and by rebuilds.
 */
export async function applyToProjections(
  tx: SqlExecutor,
  projections: readonly Projection[],
  handled: ReadonlyMap<string, ReadonlySet<string>>,
  source: string,
  events: readonly RecordedEvent[],
): Promise<ProjectionReport[]> {
  const last = events[events.length - 1].globalPosition;
  const reports: ProjectionReport[] = [];
  for (const projection of projections) {
    await lockProjection(tx, projection.name);
    const position = (await loadPositions(tx, projection.name)).get(source) ?? 0n;
    if (position >= last) continue;
    const handles = handled.get(projection.name) ?? new Set(projection.handles);
    const read = events.filter((e) => e.globalPosition > position);
    const applied = read.filter((e) => handles.has(e.type));
    if (applied.length > 0) await projection.apply(tx, applied);
    await savePosition(tx, projection.name, source, last);
    reports.push({ projection: projection.name, read, applied });
  }
  return reports;
}
