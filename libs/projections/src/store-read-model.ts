import { asError, Resubscribing, type EventStore, type RecordedEvent, type Subscription } from '@city/eventsourcing';
import type { SqlDatabase } from '@city/sql';
import { DEFAULT_PROJECTION_SOURCE } from './event-store-projection-runner';
import { ProjectionProgress } from './progress';
import type { Projection, ProjectionObserver } from './projection';
import { loadPositions, lockProjection, migrateProjectionTables, savePosition } from './schema';

export interface StoreReadModelOptions {
  readonly store: EventStore;
  /** Where the projection's tables and its checkpoint (`projection_positions`) live. */
  readonly db: SqlDatabase;
  /** The department's tables and handlers; `reset` makes it rebuildable with `rebuildProjection`. */
  readonly projection: Projection;
  /** Only streams whose id starts with this prefix (e.g. `canvass.`). */
  readonly streamPrefix?: string;
  /** Name of the store's position in `projection_positions`; default `event-store`. */
  readonly source?: string;
  /** Events read and applied per transaction; default 1000. */
  readonly batchSize?: number;
  /**
   * Keep up with the log between queries (a store subscription delivers new
   * events, applied as they come), so a query rarely has more than a few events
   * to wait for; default true. Without it, catching up happens only when someone waits.
   */
  readonly follow?: boolean;
  readonly observer?: ProjectionObserver;
  /**
   * How long the stored checkpoint may stay behind events the projection does not handle, passed
   * without a transaction (see `StoreReadModel.saved`); default 1000 ms.
   */
  readonly saveUnhandledEveryMs?: number;
  /** Failures of background work (start-up catch-up, following); a waiting caller gets its own rejection. */
  readonly onError?: (error: Error) => void;
}

interface Waiter {
  readonly position: bigint;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * A department's read model for its own queries and rules: PostgreSQL (or
 * PGlite) tables kept by a `Projection`, with a stored checkpoint, caught up
 * from the event store's global log.
 *
 * - Start-up does not replay history: the tables and the checkpoint survive
 *   restarts, so a start reads only what was appended since the last commit,
 *   and it does so in the background (`start()` returns at once).
 * - Read-your-writes: `catchUp()` reads the store's head when called and
 *   resolves once the checkpoint has reached it, so a query that calls it first
 *   sees every command completed before it started, on this instance or
 *   another sharing the store. Concurrent callers share one pass.
 * - Several instances may keep the same tables: every transaction locks the
 *   projection and checks that the stored checkpoint is where this instance last
 *   read or left it (past it, only events the projection does not handle), so no
 *   event is applied twice and none is skipped; an instance that finds
 *   the checkpoint moved by another simply reads on from there.
 *
 * The checkpoint can pass events of other types and streams: when a read
 * returns less than a page, every event up to the head read before it has been
 * seen (the store's snapshots are gap-free prefixes), so the checkpoint moves to
 * that head even if the last events belong to another prefix.
 */
export class StoreReadModel {
  private readonly source: string;
  private readonly batchSize: number;
  private readonly saveUnhandledEveryMs: number;
  private readonly handles: ReadonlySet<string>;
  private readonly progress: ProjectionProgress;
  private readonly follower?: Resubscribing;
  /**
   * Highest checkpoint this instance knows the tables are up to date with (-1: not read yet):
   * committed, or past events of which the projection handles none (see `saved`).
   */
  private checkpoint = -1n;
  /**
   * The stored checkpoint as this instance last read or wrote it (-1: not read yet), and when
   * (ms). A pass whose events hold nothing the projection handles moves `checkpoint` alone, with
   * no transaction, for up to `saveUnhandledEveryMs`: the next transaction checks the stored one
   * against this and saves past them. The stored checkpoint may trail by events the projection
   * does not handle, which a restart reads again (reads only, nothing applied twice).
   */
  private saved = -1n;
  private savedAt = 0;
  private waiters: Waiter[] = [];
  private pass?: Promise<void>;
  private migrated?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private firstCatchUp?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: StoreReadModelOptions) {
    this.source = options.source ?? DEFAULT_PROJECTION_SOURCE;
    this.batchSize = options.batchSize ?? 1000;
    this.saveUnhandledEveryMs = options.saveUnhandledEveryMs ?? 1000;
    this.handles = new Set(options.projection.handles);
    this.progress = new ProjectionProgress(options.observer);
    if (options.follow !== false) {
      this.follower = new Resubscribing({
        subscribe: () => this.subscribe(),
        onError: (error) => this.options.onError?.(error),
      });
    }
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** The highest checkpoint committed as far as this instance knows (-1 before the first read). */
  get position(): bigint {
    return this.checkpoint;
  }

  /**
   * Starts catching up and following in the background; does not wait for
   * either. Queries wait for their own position with `catchUp()`.
   */
  start(): void {
    this.firstCatchUp ??= this.catchUp();
    this.firstCatchUp.catch((error: unknown) => this.options.onError?.(asError(error)));
    void this.follower?.start();
  }

  /** Resolves once the catch-up begun by `start()` is done (for tests, benchmarks, readiness if one wants it). */
  whenStarted(): Promise<void> {
    return this.firstCatchUp ?? this.catchUp();
  }

  /** Stops following; the pass in flight commits, and whoever still waits is refused. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.follower?.stop();
    await this.pass?.catch(() => undefined);
    this.failWaiters(new Error(`Read model ${this.name} stopped`));
    // What was only moved in memory is stored, so that a restart does not read it again.
    if (this.checkpoint > this.saved && this.saved >= 0n) {
      await this.commitPass(this.saved, this.checkpoint, []).catch((error: unknown) => this.options.onError?.(asError(error)));
    }
  }

  /** Resolves once every event committed before the call is in the tables. */
  async catchUp(): Promise<void> {
    await this.waitFor(await this.options.store.headPosition());
  }

  /** Resolves once the checkpoint has reached `position` (a global position of the store). */
  waitFor(position: bigint): Promise<void> {
    if (position <= this.checkpoint) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ position, resolve, reject });
      this.drive();
    });
  }

  /** One pass at a time; whoever arrives during a pass is served by it or by the next one. */
  private drive(): void {
    if (this.stopped) return this.failWaiters(new Error(`Read model ${this.name} stopped`));
    if (this.pass || this.retryTimer) return;
    let head = -1n;
    this.pass = this.passToHead()
      .then(
        (reached) => {
          head = reached;
          this.settle();
        },
        (error: unknown) => this.failWaiters(asError(error)),
      )
      .finally(() => {
        this.pass = undefined;
        if (this.waiters.length === 0) return;
        // Waiters that came with a head newer than the pass's: go again at once. Any other is waiting for
        // a position the store has not reached (not from its head): look again after a pause, not in a busy loop.
        if (head >= 0n && this.waiters.some((w) => w.position > head)) this.drive();
        else {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            this.drive();
          }, 20);
        }
      });
  }

  private settle(): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.position <= this.checkpoint) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  private failWaiters(error: Error): void {
    const failed = this.waiters;
    this.waiters = [];
    for (const w of failed) w.reject(error);
  }

  /** Reads and applies from the stored checkpoint up to the head read at the start of the pass; answers that head. */
  private async passToHead(): Promise<bigint> {
    const { store } = this.options;
    await this.migrate();
    const head = await store.headPosition();
    // The checkpoint this instance last committed or read, without a round trip: the
    // transaction below checks it against the stored one anyway, and reads on from
    // there when another instance (or a rebuild) moved it.
    let position = this.checkpoint >= 0n ? this.checkpoint : await this.storedPosition();
    for (;;) {
      const events = await store.readAll({ after: position, limit: this.batchSize, streamPrefix: this.options.streamPrefix });
      const complete = events.length < this.batchSize;
      const last = events.length > 0 ? events[events.length - 1].globalPosition : position;
      const upTo = complete && head > last ? head : last;
      if (upTo <= position) return head;
      const moved = await this.applyPage(position, events, upTo);
      position = moved.position;
      if (moved.applied) {
        if (complete) return head;
      }
      // Moved by another writer: read on from where it stands (it may be at or past the head already).
      else if (position >= head && complete) return head;
    }
  }

  /** Applies `events`, all those of the log in (position, upTo], and moves the checkpoint to `upTo`; see `commitPass` for another writer. */
  private async applyPage(position: bigint, events: readonly RecordedEvent[], upTo: bigint): Promise<{ position: bigint; applied?: readonly RecordedEvent[] }> {
    const applied = events.filter((e) => this.handles.has(e.type));
    // Nothing to apply (e.g. registrations passing a model of observations): no transaction, the stored checkpoint saved later.
    const skip = applied.length === 0 && this.saved >= 0n && Date.now() - this.savedAt < this.saveUnhandledEveryMs;
    const moved = skip ? { position: upTo, applied } : await this.commitPass(this.saved >= 0n ? this.saved : position, upTo, applied);
    if (moved.position > this.checkpoint) this.checkpoint = moved.position;
    if (moved.applied) {
      this.progress.committed(this.name, events, moved.applied);
      this.settle();
    }
    return moved;
  }

  /**
   * Events the subscription delivered: all of the log's (of the prefix) in (`from`, last]. When the
   * tables stand inside that stretch and no pass runs, they are applied as delivered, without
   * reading them again; otherwise a pass reads up to them.
   */
  private async delivered(from: bigint, events: readonly RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1].globalPosition;
    if (this.pass || this.retryTimer || this.stopped || this.saved < 0n || this.checkpoint < from || this.checkpoint >= last) return this.waitFor(last);
    const fresh = events.filter((e) => e.globalPosition > this.checkpoint);
    let failure: Error | undefined;
    // In `pass`, so that no pass starts meanwhile; cleared before the subscription delivers the next page.
    const applying: Promise<void> = this.applyPage(this.checkpoint, fresh, last)
      .then(
        () => undefined,
        (error: unknown) => {
          failure = asError(error);
          this.failWaiters(failure);
        },
      )
      .finally(() => {
        if (this.pass === applying) this.pass = undefined;
        if (this.waiters.length > 0) this.drive();
      });
    this.pass = applying;
    await applying;
    if (failure) throw failure;
    // Moved by another writer to short of `last`: a pass reads on from there.
    await this.waitFor(last);
  }

  /**
   * One transaction: applies `applied` and stores `upTo` if the stored checkpoint is still `from`
   * (what this instance last read or wrote); else answers the stored one and applies nothing.
   */
  private async commitPass(from: bigint, upTo: bigint, applied: readonly RecordedEvent[]): Promise<{ position: bigint; applied?: readonly RecordedEvent[] }> {
    const moved = await this.options.db.transaction(async (tx) => {
      await lockProjection(tx, this.name);
      const stored = (await loadPositions(tx, this.name)).get(this.source) ?? 0n;
      if (stored !== from) return { position: stored, applied: undefined };
      if (applied.length > 0) await this.options.projection.apply(tx, applied);
      await savePosition(tx, this.name, this.source, upTo);
      return { position: upTo, applied };
    });
    this.saved = moved.position;
    this.savedAt = Date.now();
    return moved;
  }

  private async storedPosition(): Promise<bigint> {
    const position = (await loadPositions(this.options.db, this.name)).get(this.source) ?? 0n;
    if (position > this.checkpoint) this.checkpoint = position;
    this.saved = position;
    this.savedAt = Date.now();
    return position;
  }

  private migrate(): Promise<void> {
    // Under a lock: replicas starting together would otherwise race on CREATE TABLE IF NOT EXISTS.
    this.migrated ??= this.options.db
      .transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['city.read-model:migrate']);
        await migrateProjectionTables(tx);
        await this.options.projection.migrate(tx);
      })
      .catch((error: unknown) => {
        this.migrated = undefined;
        throw error;
      });
    return this.migrated;
  }

  /** New events of the prefix: applied as delivered when the tables stand where they begin, else a pass reads them from the checkpoint. */
  private async subscribe(): Promise<Subscription | undefined> {
    const after = await this.options.store.headPosition();
    if (!this.follower?.running) return undefined;
    // Whatever came in while no subscription was open is caught up now.
    this.waitFor(after).catch((error: unknown) => this.options.onError?.(asError(error)));
    let deliveredUpTo = after;
    return this.options.store.subscribeToAll({
      after,
      ...(this.options.streamPrefix === undefined ? {} : { streamPrefix: this.options.streamPrefix }),
      batchSize: this.batchSize,
      onEvents: async (events: readonly RecordedEvent[]) => {
        if (events.length === 0) return;
        const from = deliveredUpTo;
        deliveredUpTo = events[events.length - 1].globalPosition;
        await this.delivered(from, events);
        this.follower?.succeeded();
      },
      onError: (error) => this.follower?.fail(error),
    });
  }
}
