import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { asError, backoffDelay, ConcurrencyError, CityError, ValidationError } from '@city/eventsourcing';
import { PgDatabase, PgLeaderLock, PgliteDatabase } from '@city/sql';
import type { SqlDatabase, SqlExecutor } from '@city/sql';
import { systemClock, type Clock } from './clock';
import { scheduledCommandId } from './command-id';
import { ScheduleStore, type ScheduledCommandRecord, type ScheduleRequest } from './schedule-store';
import { SchedulerMetrics } from './scheduler-metrics';

/*
 * Time as a command (ARCHITECTURE.md decision 14), and which race is accepted.
 *
 * A due command is a row in the service's own database; issuing it appends
 * events to the event store, which is another store (or another transaction on
 * the same one). So "mark fired" cannot commit in the same transaction as the
 * command's events, and one of two windows must stay open:
 * - mark fired first, then issue: a crash in between loses the command;
 * - issue first, then mark fired: a crash in between fires it again.
 * The scheduler takes the second one: firing is at least once, and the command
 * is made idempotent instead. Each firing carries a command id derived from the
 * schedule id alone (`scheduledCommandId`), the same on every attempt and every
 * replica; the handler derives its event ids from it (`eventIdOfCommand`), so a
 * second issue re-appends the same ids (an idempotent retry for the event
 * store), or its decider finds the work already done and decides nothing.
 *
 * Everything else keeps the second firing to that crash window: only the
 * replica holding the leader lock polls; a due row is claimed (row lock with
 * SKIP LOCKED, then a claim with a lease) before it is issued, so a replica that
 * takes over the lock during a hand-over does not issue what the old leader is
 * still issuing; and the outcome is written only under the claim that fired.
 * A claim whose lease runs out (its replica died mid-command) is taken again.
 */

/** A due command as its handler receives it. */
export interface DueCommand<Payload extends object = object> {
  readonly scheduleId: string;
  readonly kind: string;
  readonly payload: Payload;
  readonly dueAt: Date;
  /** When it is issued, by the scheduler's clock: what the events should say as "when". */
  readonly issuedAt: Date;
  /** Same on every attempt and replica: build the command's event ids and causation from it. */
  readonly commandId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

/** Issues one kind of due command as an ordinary command of the service; throws to have it retried. */
export type DueCommandHandler<Payload extends object = object> = (command: DueCommand<Payload>) => Promise<void>;

/** Who may fire: `PgLeaderLock` satisfies it. */
export interface Leadership {
  readonly isLeader: boolean;
  /** Resolves once leading; rejects if `release()` is called first. */
  acquire(): Promise<void>;
  release(): Promise<void>;
}

/** In-process databases (PGlite) have one process: it leads. */
export class SingleProcessLeadership implements Leadership {
  isLeader = false;
  async acquire(): Promise<void> {
    this.isLeader = true;
  }
  async release(): Promise<void> {
    this.isLeader = false;
  }
}

export interface CommandSchedulerOptions {
  readonly db: SqlDatabase;
  /** Owner of the schedules (rows of other services in the same table are never touched). */
  readonly service: string;
  readonly clock?: Clock;
  /** The service's registry (`createServiceRegistry`); default a private one. */
  readonly registry?: Registry;
  /** Default: the PostgreSQL leader lock `scheduler:<service>`, or the process itself on PGlite. */
  readonly leadership?: Leadership;
  /** How often the leader looks for due commands; default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** Due commands claimed per look; default 50. */
  readonly batchSize?: number;
  /** Attempts after the first before a command is parked; default 5. */
  readonly maxRetries?: number;
  readonly retryDelayMs?: { readonly initial: number; readonly max: number };
  /** Errors worth another attempt; default: all but deterministic `CityError`s (a conflict is retried). */
  readonly isRetriable?: (error: Error) => boolean;
  /** How long a claim holds before another attempt may take the command again; default 60 s. */
  readonly claimLeaseMs?: number;
  readonly onError?: (error: Error) => void;
}

/**
 * A durable scheduler of commands: `schedule` stores a command with its due
 * time (idempotent by the caller's schedule id, also inside the caller's
 * transaction), `cancel` withdraws it, and while `start`ed the leader issues
 * each due command through the handler registered for its kind. A failing
 * command is retried with backoff, then parked with its error (`parked()`, the
 * `city_scheduled_commands_parked` gauge), never dropped.
 */
export class CommandScheduler {
  private readonly store: ScheduleStore;
  private readonly clock: Clock;
  private readonly metrics: SchedulerMetrics;
  private readonly leadership: Leadership;
  private readonly handlers = new Map<string, DueCommandHandler>();
  private running?: Promise<void>;
  private stopped = true;
  private wake?: () => void;

  constructor(private readonly options: CommandSchedulerOptions) {
    this.store = new ScheduleStore(options.db, options.service);
    this.clock = options.clock ?? systemClock;
    this.metrics = new SchedulerMetrics(options.registry ?? new Registry(), () => this.store.counts(this.clock.now()));
    this.leadership = options.leadership ?? defaultLeadership(options.db, options.service);
  }

  /** Registers the handler that issues `kind`; before `start`. */
  register<Payload extends object>(kind: string, handler: DueCommandHandler<Payload>): this {
    if (this.handlers.has(kind)) throw new Error(`A handler for scheduled command ${kind} is already registered`);
    this.handlers.set(kind, handler as DueCommandHandler);
    return this;
  }

  async migrate(): Promise<void> {
    await this.store.migrate();
  }

  /**
   * Stores a command to issue at `dueAt`; pass `tx` to schedule in the same
   * transaction as the caller's own writes. Scheduling an id that exists keeps
   * the stored one and answers `false`.
   */
  async schedule<Payload extends object>(request: ScheduleRequest<Payload>, tx?: SqlExecutor): Promise<boolean> {
    if (!request.scheduleId) throw new ValidationError('A scheduled command needs an id', { scheduleId: ['required'] });
    if (!this.handlers.has(request.kind)) throw new ValidationError(`No handler for scheduled command ${request.kind}`, { kind: ['unknown'] });
    if (Number.isNaN(new Date(request.dueAt).getTime())) throw new ValidationError('Invalid due time', { dueAt: ['must be a date-time'] });
    return this.store.insert(request, this.clock.now(), tx);
  }

  /** Withdraws a pending command; `false` when it has fired, is firing right now, was parked or does not exist. */
  cancel(scheduleId: string, tx?: SqlExecutor): Promise<boolean> {
    return this.store.cancel(scheduleId, this.clock.now(), tx);
  }

  get(scheduleId: string): Promise<ScheduledCommandRecord | undefined> {
    return this.store.get(scheduleId);
  }

  /** Commands given up after their retries, with their last error. */
  parked(limit?: number): Promise<ScheduledCommandRecord[]> {
    return this.store.list('parked', limit);
  }

  /** Creates the table, then (in the background) waits for leadership and fires due commands while leading. */
  async start(): Promise<void> {
    if (this.running) return;
    await this.migrate();
    this.stopped = false;
    this.running = this.loop();
  }

  /** Lets the command in flight finish, then gives leadership up. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.leadership.release();
    await this.running;
    this.running = undefined;
  }

  /**
   * One pass: claims the due commands of registered kinds and issues them one
   * after another. Answers how many it issued. The loop calls it while leading;
   * tests call it to look "now" without waiting for the poll interval.
   */
  async fireDue(): Promise<number> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + (this.options.claimLeaseMs ?? 60_000));
    const claimed = await this.store.claimDue([...this.handlers.keys()], now, randomUUID(), lease, this.options.batchSize ?? 50);
    let fired = 0;
    for (const schedule of claimed) {
      const handler = this.handlers.get(schedule.kind);
      if (!handler) continue; // claimed by kind, so registered; the lease frees it in any case
      const issuedAt = this.clock.now();
      const attempt = schedule.attempts + 1;
      try {
        await handler({
          scheduleId: schedule.scheduleId,
          kind: schedule.kind,
          payload: schedule.payload,
          dueAt: schedule.dueAt,
          issuedAt,
          commandId: scheduledCommandId(this.options.service, schedule.scheduleId),
          attempt,
        });
      } catch (error) {
        await this.failed(schedule, attempt, asError(error));
        continue;
      }
      // False when the claim's lease ran out mid-command and another attempt took it: that one reports.
      if (!(await this.store.markFired(schedule, this.clock.now()))) continue;
      this.metrics.record(schedule.kind, 'fired');
      fired++;
    }
    return fired;
  }

  private async failed(schedule: ScheduledCommandRecord & { claim: string }, attempt: number, error: Error): Promise<void> {
    const retriable = (this.options.isRetriable ?? defaultIsRetriable)(error);
    const retries = this.options.maxRetries ?? 5;
    const delay = this.options.retryDelayMs ?? { initial: 1000, max: 60_000 };
    const now = this.clock.now();
    const retryAt = retriable && attempt <= retries ? new Date(now.getTime() + backoffDelay(attempt - 1, delay.initial, delay.max)) : undefined;
    const message = `${error.name}: ${error.message}`.slice(0, 2000);
    if (await this.store.markFailed(schedule, now, message, retryAt)) this.metrics.record(schedule.kind, retryAt ? 'retried' : 'parked');
    this.options.onError?.(new Error(`Scheduled command ${schedule.kind} ${schedule.scheduleId} failed (attempt ${attempt}): ${error.message}`));
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (!this.leadership.isLeader) {
        try {
          await this.leadership.acquire();
        } catch {
          continue; // released by stop(), or the lock could not be taken: the loop condition decides
        }
      }
      try {
        while (!this.stopped && this.leadership.isLeader && (await this.fireDue()) > 0);
      } catch (error) {
        this.options.onError?.(asError(error)); // database away: the next look tries again
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollIntervalMs ?? 1000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

function defaultIsRetriable(error: Error): boolean {
  return error instanceof ConcurrencyError || !(error instanceof CityError);
}

function defaultLeadership(db: SqlDatabase, service: string): Leadership {
  if (db instanceof PgDatabase) return new PgLeaderLock(db.pool, `scheduler:${service}`);
  if (db instanceof PgliteDatabase) return new SingleProcessLeadership();
  throw new Error('CommandScheduler: pass `leadership` for a database that is neither PgDatabase nor PgliteDatabase');
}
