import type { SqlDatabase, SqlExecutor } from '@city/sql';

/** Where a schedule is: waiting (`pending`), done (`fired`), withdrawn (`cancelled`) or given up (`parked`). */
export type ScheduleStatus = 'pending' | 'fired' | 'cancelled' | 'parked';

/** A command to issue at a time, as the caller schedules it. */
export interface ScheduleRequest<Payload extends object = object> {
  /** The caller's id for this schedule: scheduling the same id again keeps the first one. */
  readonly scheduleId: string;
  /** Which registered handler issues it (e.g. `ReleaseFromQuarantine`). */
  readonly kind: string;
  readonly dueAt: Date | string;
  /** What the handler needs to build the command; stored as JSON. */
  readonly payload: Payload;
}

/** A schedule as stored. */
export interface ScheduledCommandRecord {
  readonly scheduleId: string;
  readonly kind: string;
  readonly payload: object;
  readonly dueAt: Date;
  readonly status: ScheduleStatus;
  /** Attempts made so far. */
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
  readonly firedAt: Date | null;
}

/** A schedule claimed for one firing attempt. */
export interface ClaimedSchedule extends ScheduledCommandRecord {
  readonly claim: string;
}

interface Row {
  schedule_id: string;
  kind: string;
  payload: object;
  due_at: Date | string;
  status: ScheduleStatus;
  attempts: number;
  next_attempt_at: Date | string;
  last_error: string | null;
  fired_at: Date | string | null;
  claimed_by: string | null;
}

const COLUMNS = 'schedule_id, kind, payload, due_at, status, attempts, next_attempt_at, last_error, fired_at, claimed_by';

/**
 * The table `scheduled_commands`, one row per (service, schedule id). Every
 * time written here comes from the scheduler's clock, never from `now()`, so a
 * test's clock decides what is due.
 */
export class ScheduleStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly service: string,
  ) {}

  async migrate(): Promise<void> {
    await this.db.query(`CREATE TABLE IF NOT EXISTS scheduled_commands (
      service          text        NOT NULL,
      schedule_id      text        NOT NULL,
      kind             text        NOT NULL,
      payload          jsonb       NOT NULL,
      due_at           timestamptz NOT NULL,
      status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled', 'parked')),
      attempts         integer     NOT NULL DEFAULT 0,
      next_attempt_at  timestamptz NOT NULL,
      claimed_by       text,
      claimed_until    timestamptz,
      last_error       text,
      scheduled_at     timestamptz NOT NULL,
      fired_at         timestamptz,
      finished_at      timestamptz,
      PRIMARY KEY (service, schedule_id)
    )`);
    await this.db.query(`CREATE INDEX IF NOT EXISTS scheduled_commands_due ON scheduled_commands (service, next_attempt_at) WHERE status = 'pending'`);
  }

  /** Inserts the schedule unless one with its id exists; true when this call stored it. */
  async insert(request: ScheduleRequest, now: Date, executor: SqlExecutor = this.db): Promise<boolean> {
    const { rowCount } = await executor.query(
      `INSERT INTO scheduled_commands (service, schedule_id, kind, payload, due_at, next_attempt_at, scheduled_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $5, $6) ON CONFLICT (service, schedule_id) DO NOTHING`,
      [this.service, request.scheduleId, request.kind, JSON.stringify(request.payload), new Date(request.dueAt), now],
    );
    return rowCount === 1;
  }

  /** Cancels a pending schedule that no replica is firing right now; true when it did. */
  async cancel(scheduleId: string, now: Date, executor: SqlExecutor = this.db): Promise<boolean> {
    const { rowCount } = await executor.query(
      `UPDATE scheduled_commands SET status = 'cancelled', finished_at = $3
        WHERE service = $1 AND schedule_id = $2 AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= $3)`,
      [this.service, scheduleId, now],
    );
    return rowCount === 1;
  }

  async get(scheduleId: string): Promise<ScheduledCommandRecord | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM scheduled_commands WHERE service = $1 AND schedule_id = $2`, [this.service, scheduleId]);
    return rows.length === 0 ? undefined : toRecord(rows[0]);
  }

  async list(status: ScheduleStatus, limit = 100): Promise<ScheduledCommandRecord[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM scheduled_commands WHERE service = $1 AND status = $2 ORDER BY due_at, schedule_id LIMIT $3`,
      [this.service, status, limit],
    );
    return rows.map(toRecord);
  }

  /**
   * Claims up to `limit` due schedules of the given kinds for one attempt,
   * until `claimedUntil`: a schedule claimed by a live attempt is skipped by
   * every other claimer (row locks with SKIP LOCKED, then the claim itself).
   */
  async claimDue(kinds: readonly string[], now: Date, claim: string, claimedUntil: Date, limit: number): Promise<ClaimedSchedule[]> {
    const { rows } = await this.db.query<Row>(
      `UPDATE scheduled_commands s SET claimed_by = $3, claimed_until = $4
        WHERE s.service = $1 AND s.schedule_id IN (
          SELECT schedule_id FROM scheduled_commands
           WHERE service = $1 AND status = 'pending' AND next_attempt_at <= $2 AND kind = ANY($5::text[])
             AND (claimed_until IS NULL OR claimed_until <= $2)
           ORDER BY next_attempt_at, schedule_id LIMIT $6 FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS.split(', ')
          .map((c) => `s.${c}`)
          .join(', ')}`,
      [this.service, now, claim, claimedUntil, [...kinds], limit],
    );
    return rows.map((row) => ({ ...toRecord(row), claim })).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
  }

  /** Marks a claimed schedule fired; false when the claim was lost meanwhile (another attempt took over). */
  async markFired(schedule: ClaimedSchedule, now: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE scheduled_commands SET status = 'fired', attempts = attempts + 1, fired_at = $4, finished_at = $4,
              last_error = NULL, claimed_by = NULL, claimed_until = NULL
        WHERE service = $1 AND schedule_id = $2 AND claimed_by = $3 AND status = 'pending'`,
      [this.service, schedule.scheduleId, schedule.claim, now],
    );
    return rowCount === 1;
  }

  /** Records a failed attempt: tried again at `retryAt`, or parked when `retryAt` is undefined. */
  async markFailed(schedule: ClaimedSchedule, now: Date, error: string, retryAt: Date | undefined): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE scheduled_commands SET attempts = attempts + 1, last_error = $4, claimed_by = NULL, claimed_until = NULL,
              status = CASE WHEN $5::timestamptz IS NULL THEN 'parked' ELSE 'pending' END,
              next_attempt_at = COALESCE($5::timestamptz, next_attempt_at),
              finished_at = CASE WHEN $5::timestamptz IS NULL THEN $6::timestamptz ELSE NULL END
        WHERE service = $1 AND schedule_id = $2 AND claimed_by = $3 AND status = 'pending'`,
      [this.service, schedule.scheduleId, schedule.claim, error, retryAt ?? null, now],
    );
    return rowCount === 1;
  }

  /** Per kind: pending schedules whose due time has passed, and parked ones. */
  async counts(now: Date): Promise<{ kind: string; due: number; parked: number }[]> {
    const { rows } = await this.db.query<{ kind: string; due: number; parked: number }>(
      `SELECT kind,
              (count(*) FILTER (WHERE status = 'pending' AND due_at <= $2))::int AS due,
              (count(*) FILTER (WHERE status = 'parked'))::int AS parked
         FROM scheduled_commands WHERE service = $1 AND status IN ('pending', 'parked') GROUP BY kind`,
      [this.service, now],
    );
    return rows;
  }
}

function toRecord(row: Row): ScheduledCommandRecord {
  return {
    scheduleId: row.schedule_id,
    kind: row.kind,
    payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as object) : row.payload,
    dueAt: new Date(row.due_at),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at),
    lastError: row.last_error,
    firedAt: row.fired_at === null ? null : new Date(row.fired_at),
  };
}
