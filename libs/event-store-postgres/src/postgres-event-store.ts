import type {
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  CountEventsOptions,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '@city/eventsourcing';
import { ConcurrencyError, ValidationError } from '@city/eventsourcing';
import type { SqlDatabase } from '@city/sql';
import type { AppendBatchRow, AppendOutcome, AppendRequest } from './append-batch';
import { appendBatchParams, toOutcomes } from './append-batch';
import { DuplicateEventError, EventStoreClosedError } from './errors';
import type { EventRow } from './event-row';
import { toBigInt, toRecordedEvent } from './event-row';
import type { Queued } from './group-commit-queue';
import { GroupCommitQueue } from './group-commit-queue';
import type { LogPage } from './log-subscription';
import { LogSubscription } from './log-subscription';
import { RecentLog } from './recent-log';
import { EventStoreSchema } from './schema';
import { validateAppend, type ValidatedEvent } from '@city/eventsourcing';

export interface PostgresEventStoreOptions {
  /** PostgreSQL schema holding the tables; default `event_store`. */
  readonly schema?: string;
  /** Most events written by one group-commit transaction; default 1000. */
  readonly maxBatchEvents?: number;
  /** Subscriptions re-read the log this often without a NOTIFY; default 500 ms. */
  readonly pollIntervalMs?: number;
  /** `readAll` page size when the caller gives no limit; default 1000. */
  readonly defaultReadLimit?: number;
  /**
   * Called after every commit with the events it appended (idempotent retries
   * excluded), e.g. to count `city_events_appended_total{type}`. Exceptions
   * thrown here are ignored: metrics never fail an append.
   */
  readonly onAppended?: (events: readonly RecordedEvent[]) => void;
  /** `close()` also closes the database; default false (its owner closes it). */
  readonly ownsDatabase?: boolean;
  /** Most stream reads answered by one statement; default 256. */
  readonly maxBatchReads?: number;
  /**
   * Newest events this instance appended that its subscriptions get from memory rather than
   * reading them back (see `RecentLog`); default 10,000; 0 reads everything from the server.
   */
  readonly recentEvents?: number;
}

interface StreamRead {
  readonly streamId: string;
  readonly fromVersion: number;
}

type PageRow = Partial<EventRow> & { head: string };
type StreamReadRow = EventRow & { read: number };

/**
 * The event-store port on PostgreSQL, through `SqlDatabase`, so it runs the same
 * on a server (`PgDatabase`) and embedded (`PgliteDatabase`).
 *
 * Ordering (ARCHITECTURE.md decision 4): every append transaction takes one
 * transaction-scoped advisory lock and reads the head of the log only after it
 * holds the lock; positions are head+1, head+2, ... A transaction becomes
 * visible before its lock is released, so commits — and positions — become
 * visible strictly in position order, and every snapshot of the log is a
 * gap-free prefix: a reader resuming after P never skips a committed event.
 *
 * Speed: concurrent `appendToStream` calls are group-committed — queued and
 * written together by ONE statement in one transaction (the `append_batch`
 * function: lock, state read, checks, one multi-row insert, notify; one round
 * trip, one commit). Each call's expected version is still checked on its own,
 * against the stream as earlier calls of the batch leave it; a call that fails
 * gets its own `ConcurrencyError` and the rest of the batch commits.
 *
 * Event ids are unique across the store. Re-appending exactly the same ids, in
 * the same order, to the same stream is an idempotent retry: it succeeds and
 * returns the original version and position without writing. Any other reuse
 * of a recorded id rejects that one caller with `DuplicateEventError`.
 */
export class PostgresEventStore implements EventStore {
  private readonly schema: EventStoreSchema;
  private readonly queue: GroupCommitQueue<AppendRequest, AppendResult>;
  private readonly reads: GroupCommitQueue<StreamRead, RecordedEvent[]>;
  private readonly subscriptions = new Set<LogSubscription>();
  private readonly pollIntervalMs: number;
  private readonly defaultReadLimit: number;
  private readonly recent: RecentLog;
  /** Batches being written, and the highest head notified meanwhile (see `heard`). */
  private flushing = 0;
  private headHeardWhileFlushing = -1n;
  private closed = false;

  constructor(
    private readonly db: SqlDatabase,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.schema = new EventStoreSchema(options.schema ?? 'event_store');
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.defaultReadLimit = options.defaultReadLimit ?? 1000;
    this.recent = new RecentLog(options.recentEvents ?? 10_000);
    this.queue = new GroupCommitQueue((batch) => this.flush(batch), {
      maxBatchWeight: options.maxBatchEvents ?? 1000,
      weight: (request) => request.events.length,
    });
    this.reads = new GroupCommitQueue((batch) => this.readBatch(batch), { maxBatchWeight: options.maxBatchReads ?? 256, weight: () => 1 });
  }

  /** Creates the schema, tables and append function if missing (idempotent, safe to run concurrently). */
  async migrate(): Promise<void> {
    await this.db.transaction((tx) => this.schema.migrate(tx));
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    if (this.closed) throw new EventStoreClosedError();
    const validated = validateAppend(streamId, events, expectedVersion);
    return this.queue.submit({ streamId, events: validated, expectedVersion });
  }

  /**
   * Concurrent reads are answered together, as appends are committed together:
   * every read made in one turn of the event loop (or while the previous batch
   * was out) goes in ONE statement. A service deciding many commands at once
   * reads each command's stream, and a round trip per read would cost more than
   * the decisions. A read still sees every append that completed before it.
   */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (typeof streamId !== 'string' || streamId.trim() === '') throw new ValidationError('Invalid stream id', { streamId: ['must be a non-empty string'] });
    const fromVersion = options.fromVersion ?? 0;
    if (!Number.isInteger(fromVersion) || fromVersion < 0) throw new ValidationError('Invalid fromVersion', { fromVersion: ['must be an integer >= 0'] });
    return this.reads.submit({ streamId, fromVersion });
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after, limit, streamPrefix } = this.checkReadAll(options.after, options.limit ?? this.defaultReadLimit, options.streamPrefix);
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${this.schema.eventColumns('e')} FROM ${this.schema.events} e
        WHERE e.global_position > $1 AND ($3::text IS NULL OR starts_with(e.stream_id, $3))
        ORDER BY e.global_position LIMIT $2`,
      [after.toString(), limit, streamPrefix ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    if (this.closed) throw new EventStoreClosedError();
    if (typeof options?.onEvents !== 'function') throw new ValidationError('onEvents is required', { onEvents: ['must be a function'] });
    this.checkReadAll(options.after, options.batchSize ?? 1, options.streamPrefix);
    const subscription = new LogSubscription(
      {
        readPage: (after, limit, prefix, fromServer) => {
          const page = fromServer ? undefined : this.recent.page(after, limit, prefix);
          return page ? Promise.resolve(page) : this.readPage(after, limit, prefix);
        },
        listen: (signal) =>
          this.db.listen(this.schema.channel, (payload) => {
            if (/^\d{1,19}$/.test(payload)) this.heard(BigInt(payload));
            signal();
          }),
      },
      options,
      { pollIntervalMs: this.pollIntervalMs, retryDelayMs: 100, maxRetryDelayMs: 5000 },
      (finished) => this.subscriptions.delete(finished),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async countEvents(options: CountEventsOptions): Promise<number> {
    const { after, limit, streamPrefix } = this.checkReadAll(options.after, options.max, options.streamPrefix);
    const { rows } = await this.db.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM (
         SELECT 1 FROM ${this.schema.events}
          WHERE global_position > $1 AND ($3::text IS NULL OR starts_with(stream_id, $3))
          LIMIT $2) e`,
      [after.toString(), limit, streamPrefix ?? null],
    );
    return Number(rows[0]?.count ?? 0);
  }

  async headPosition(): Promise<bigint> {
    const { rows } = await this.db.query<{ head: string }>(`SELECT coalesce(max(global_position), 0)::text AS head FROM ${this.schema.events}`);
    return toBigInt(rows[0]?.head ?? '0');
  }

  /**
   * `postgres:<database>/<schema>/<id>`: the id is drawn when the schema's
   * tables are created, so another server, database or schema, or this one
   * rebuilt, is another store. On PGlite the id lives in its data folder.
   */
  async identity(): Promise<string> {
    const { rows } = await this.db.query<{ database: string; store_id: string }>(
      `SELECT current_database() AS database, store_id::text AS store_id FROM ${this.schema.identity}`,
    );
    if (rows.length === 0) throw new Error(`Event store ${this.schema.name} has no identity: run migrate() first`);
    return `postgres:${rows[0].database}/${this.schema.name}/${rows[0].store_id}`;
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  /** Refuses new appends, writes every queued one, stops the subscriptions. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.whenIdle();
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.options.ownsDatabase) await this.db.close();
  }

  /**
   * Reads the head and the page below it in ONE statement (one snapshot), so
   * when the page is short the subscription may move its checkpoint to the head
   * even if the stream filter matched nothing.
   */
  private async readPage(after: bigint, limit: number, streamPrefix: string | undefined): Promise<LogPage> {
    const { rows } = await this.db.query<PageRow>(
      `SELECT h.head::text AS head, ${this.schema.eventColumns('e')}
         FROM (SELECT coalesce(max(global_position), 0) AS head FROM ${this.schema.events}) h
         LEFT JOIN LATERAL (
           SELECT * FROM ${this.schema.events}
            WHERE global_position > $1 AND global_position <= h.head AND ($3::text IS NULL OR starts_with(stream_id, $3))
            ORDER BY global_position LIMIT $2
         ) e ON true
        ORDER BY e.global_position`,
      [after.toString(), limit, streamPrefix ?? null],
    );
    const head = toBigInt(rows[0]?.head ?? '0');
    this.heard(head);
    const events = rows.filter((row) => row.global_position !== null && row.global_position !== undefined).map((row) => toRecordedEvent(row as EventRow));
    if (events.length < limit) return { events, nextAfter: head > after ? head : after, atHead: true };
    const last = events[events.length - 1].globalPosition;
    return { events, nextAfter: last, atHead: last >= head };
  }

  private checkReadAll(after: unknown, limit: unknown, streamPrefix: unknown) {
    const fields: Record<string, string[]> = {};
    if (after !== undefined && (typeof after !== 'bigint' || after < 0n)) fields.after = ['must be a bigint >= 0'];
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) fields.limit = ['must be an integer >= 1'];
    if (streamPrefix !== undefined && typeof streamPrefix !== 'string') fields.streamPrefix = ['must be a string'];
    if (Object.keys(fields).length > 0) throw new ValidationError('Invalid read options', fields);
    return { after: (after as bigint | undefined) ?? 0n, limit: limit as number, streamPrefix: (streamPrefix as string | undefined) || undefined };
  }

  /** Answers a batch of stream reads with one statement: rows tagged with the read they answer, in stream order. */
  private async readBatch(batch: Queued<StreamRead, RecordedEvent[]>[]): Promise<void> {
    const { rows } = await this.db.query<StreamReadRow>(
      `SELECT r.read::int AS read, ${this.schema.eventColumns('e')}
         FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS r(stream_id, from_version, read)
         JOIN ${this.schema.events} e ON e.stream_id = r.stream_id AND e.stream_version >= r.from_version
        ORDER BY r.read, e.stream_version`,
      [batch.map((entry) => entry.request.streamId), batch.map((entry) => entry.request.fromVersion)],
    );
    const answers: RecordedEvent[][] = batch.map(() => []);
    for (const row of rows) answers[Number(row.read) - 1].push(toRecordedEvent(row));
    batch.forEach((entry, i) => entry.resolve(answers[i]));
  }

  /**
   * A head the server notified. While a batch of this instance is being written the notification
   * may be that batch's own, arriving before its answer: it is held until the batch is in memory,
   * else every subscription would read the batch back from the server.
   */
  private heard(head: bigint): void {
    if (this.flushing === 0) this.recent.heard(head);
    else if (head > this.headHeardWhileFlushing) this.headHeardWhileFlushing = head;
  }

  private async flush(batch: Queued<AppendRequest, AppendResult>[]): Promise<void> {
    this.flushing++;
    try {
      await this.flushBatch(batch);
    } finally {
      this.flushing--;
      if (this.flushing === 0 && this.headHeardWhileFlushing >= 0n) {
        this.recent.heard(this.headHeardWhileFlushing);
        this.headHeardWhileFlushing = -1n;
        // Another process's append, perhaps: the subscriptions look again.
        this.subscriptions.forEach((subscription) => subscription.wakeup.ring());
      }
    }
  }

  /**
   * Writes one group-commit batch — one `append_batch` statement, one commit —
   * and settles every caller in it. The fast path trusts the unique index on
   * event_id; if it fires (a retried append, or an id reused elsewhere) the
   * batch is sent again with its ids looked up first, so only the caller that
   * reused an id is affected.
   */
  private async flushBatch(batch: Queued<AppendRequest, AppendResult>[], checkEventIds = false): Promise<void> {
    const requests = batch.map((entry) => entry.request);
    let outcomes: AppendOutcome[];
    try {
      const { rows } = await this.db.query<AppendBatchRow>(this.schema.appendBatchSql, appendBatchParams(requests, checkEventIds));
      outcomes = toOutcomes(requests, rows);
    } catch (error) {
      if (isUniqueViolation(error) && !checkEventIds) return this.flushBatch(batch, true);
      if (isUniqueViolation(error) && batch.length > 1) {
        // Only possible if something writes without taking the lock: go one by one.
        for (const entry of batch) await this.flushBatch([entry], true);
        return;
      }
      const failure = isUniqueViolation(error) ? uniqueViolationError(error, requests[0]) : error;
      for (const entry of batch) entry.reject(failure);
      return;
    }
    const appended: RecordedEvent[] = [];
    // For the subscriptions, as a read would give them back (JSON, not the caller's objects): only while there are some.
    const stored: RecordedEvent[] | undefined = this.subscriptions.size > 0 ? [] : undefined;
    outcomes.forEach((outcome, i) => {
      if (outcome.kind === 'rejected') return batch[i].reject(outcome.error);
      if (outcome.kind === 'appended') {
        appended.push(...outcome.events);
        stored?.push(...outcome.events.map((event, k) => asStored(event, requests[i].events[k])));
      }
      batch[i].resolve(outcome.result);
    });
    if (appended.length > 0) {
      if (stored) this.recent.appended(stored);
      this.subscriptions.forEach((subscription) => subscription.wakeup.ring());
      try {
        this.options.onAppended?.(appended);
      } catch {
        // metrics must never fail an append that has committed
      }
    }
  }
}

function asStored(event: RecordedEvent, validated: ValidatedEvent): RecordedEvent {
  return { ...event, data: JSON.parse(validated.dataJson) as RecordedEvent['data'], metadata: JSON.parse(validated.metadataJson) as RecordedEvent['metadata'] };
}

function isUniqueViolation(error: unknown): error is { code: string; detail?: string; constraint?: string } {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

function uniqueViolationError(error: { detail?: string; constraint?: string }, request: AppendRequest): Error {
  const text = `${error.constraint ?? ''} ${error.detail ?? ''}`;
  if (text.includes('event_id'))
    return new DuplicateEventError(
      request.streamId,
      request.events.map((e) => e.eventId),
    );
  return new ConcurrencyError(request.streamId, String(request.expectedVersion), -1);
}
