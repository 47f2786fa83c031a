import {
  ENTERPRISE_REOPENING_STREAM_PREFIX,
  type AppealEvent,
  type EnterpriseReopeningEvent,
  type IndustryGuidelineIssued,
  type ReopeningStatus,
} from '@city/contracts';
import { assertNever, type EventStore, type RecordedEvent } from '@city/eventsourcing';
import { StoreReadModel, type Projection } from '@city/projections';
import type { SqlDatabase, SqlExecutor, SqlParam } from '@city/sql';

/** An enterprise in a subdistrict inspector's queue: what to inspect, or what it has to put right by when. */
export interface QueueEntry {
  readonly creditCode: string;
  readonly name: string;
  readonly industryCode: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly usualHeadcount: number;
  readonly reopeningStatus: ReopeningStatus;
  readonly declarationId: string;
  readonly plannedReopeningDate: string;
  readonly guidelineVersion: number;
  /** The measures the declaration confirmed: what an inspection checks and may name for rectification. */
  readonly confirmedMeasures: readonly string[];
  /** Inspections of the declaration so far. */
  readonly rounds: number;
  readonly rectificationItems: readonly string[];
  readonly rectificationDueDate: string | null;
  readonly declaredAt: string;
  /** When the enterprise entered its present place in the queue (declared, inspected, rectification submitted). */
  readonly waitingSince: string;
}

export interface QueueFilter {
  /** Left out: the whole city. */
  readonly districtCode?: string;
  readonly subdistrictCode?: string;
  readonly limit: number;
}

/** An appeal as an enterprise follows it: where it went, by when, and the answer. */
export interface AppealSummary {
  readonly appealId: string;
  readonly creditCode: string;
  readonly category: string;
  readonly subject: string;
  readonly department: string;
  readonly status: 'open' | 'answered' | 'closed';
  readonly dueAt: string;
  readonly escalated: boolean;
  readonly answer: string | null;
  readonly filedAt: string;
  readonly updatedAt: string;
}

/** Event types the read model applies, listed once: the runner filters out the rest. */
const HANDLED = [
  'EnterpriseRegistered',
  'ReopeningDeclared',
  'InspectionRecorded',
  'RectificationSubmitted',
  'EnterpriseReopened',
  'AppealFiled',
  'AppealEscalated',
  'AppealAnswered',
  'AppealClosed',
  'AppealReopened',
  'IndustryGuidelineIssued',
] as const satisfies readonly EnterpriseReopeningEvent['type'][];
type HandledEvent = Extract<EnterpriseReopeningEvent, { type: (typeof HANDLED)[number] }>;
/** Daily reports and surveys leave an enterprise's place in the queue as it is. */
type Ignored = 'DailyWorkforceReported' | 'SurveyAnswered';
// Fails to compile when the contract gains an event type this read model neither handles nor ignores on purpose.
const everyTypeDecided: Exclude<EnterpriseReopeningEvent['type'], HandledEvent['type'] | Ignored> extends never ? true : never = true;
void everyTypeDecided;

export const REOPENING_READ_MODEL = 'enterprise-reopening-queue';

/** Queue places, in the order an inspector works through them. */
export const TO_INSPECT: readonly ReopeningStatus[] = ['declared', 'rectification-submitted'];
export const RECTIFICATION_DUE: readonly ReopeningStatus[] = ['rectification-required'];

/**
 * The inspectors' queue (one row per enterprise, with its declaration in progress)
 * and the enterprises' appeals, in the service's own tables.
 */
export class ReopeningProjection implements Projection {
  readonly name = REOPENING_READ_MODEL;
  readonly handles: readonly string[] = HANDLED;

  /**
   * @param onGuidelineIssued told of every guideline version read from the log (committed, so
   * whatever becomes of this transaction): the catalog's versions in force follow the log at no
   * extra query. Guidelines are kept in no table here.
   */
  constructor(private readonly onGuidelineIssued: (guideline: IndustryGuidelineIssued['data']) => void = () => undefined) {}

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS er_enterprise_queue (
      credit_code text PRIMARY KEY,
      name text NOT NULL,
      industry_code text NOT NULL,
      district_code text NOT NULL,
      subdistrict_code text NOT NULL,
      usual_headcount integer NOT NULL,
      reopening_status text NOT NULL,
      declaration_id text,
      planned_reopening_date text,
      guideline_version integer,
      confirmed_measures jsonb NOT NULL DEFAULT '[]',
      rounds integer NOT NULL DEFAULT 0,
      rectification_items jsonb NOT NULL DEFAULT '[]',
      rectification_due_date text,
      declared_at text,
      waiting_since text NOT NULL
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS er_enterprise_queue_place ON er_enterprise_queue (reopening_status, district_code, waiting_since)');
    await db.query(`CREATE TABLE IF NOT EXISTS er_appeals (
      appeal_id text PRIMARY KEY,
      credit_code text NOT NULL,
      category text NOT NULL,
      subject text NOT NULL,
      department text NOT NULL,
      status text NOT NULL,
      due_at text NOT NULL,
      escalated boolean NOT NULL DEFAULT false,
      answer text,
      filed_at text NOT NULL,
      updated_at text NOT NULL
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS er_appeals_enterprise ON er_appeals (credit_code, filed_at)');
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('DELETE FROM er_enterprise_queue');
    await tx.query('DELETE FROM er_appeals');
  }

  /**
   * Applies a batch with one statement per kind of change and "layer": an enterprise's
   * k-th event of the batch goes in layer k, layers are applied in order, and within a
   * layer every row of a statement goes in one statement (rows of different enterprises
   * do not interact). A pass of many declarations is one round trip, and so is a
   * catch-up over a log where each enterprise's registration, declaration, inspection
   * and reopening follow each other (four layers), not one per event. Appeals live in
   * their own table and are applied one by one, in order, after the queue.
   */
  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    const layers: Map<QueueStatement, SqlParam[][]>[] = [];
    const eventsOf = new Map<string, number>();
    const appeals: Extract<HandledEvent, AppealEvent>[] = [];
    for (const recorded of events) {
      const e = { type: recorded.type, data: recorded.data } as HandledEvent;
      if (e.type === 'IndustryGuidelineIssued') {
        this.onGuidelineIssued(e.data);
        continue;
      }
      const row = queueRowOf(e);
      if (row === undefined) {
        appeals.push(e as Extract<HandledEvent, AppealEvent>);
        continue;
      }
      const creditCode = row.values[0] as string;
      const layer = eventsOf.get(creditCode) ?? 0;
      eventsOf.set(creditCode, layer + 1);
      const statements = (layers[layer] ??= new Map());
      const rows = statements.get(row.statement);
      if (rows) rows.push(row.values);
      else statements.set(row.statement, [row.values]);
    }
    for (const statements of layers) {
      for (const [statement, rows] of statements) await tx.query(statement.sql, transpose(rows, statement.columns));
    }
    for (const appeal of appeals) await this.applyAppeal(tx, appeal);
  }

  private async applyAppeal(tx: SqlExecutor, e: Extract<HandledEvent, AppealEvent>): Promise<void> {
    const id = e.data.appealId;
    switch (e.type) {
      case 'AppealFiled': {
        const d = e.data;
        await tx.query(
          `INSERT INTO er_appeals (appeal_id, credit_code, category, subject, department, status, due_at, filed_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $7) ON CONFLICT (appeal_id) DO NOTHING`,
          [id, d.creditCode, d.category, d.subject, d.department, d.dueAt, d.filedAt],
        );
        return;
      }
      case 'AppealEscalated':
        await tx.query('UPDATE er_appeals SET escalated = true, updated_at = $2 WHERE appeal_id = $1', [id, e.data.escalatedAt]);
        return;
      case 'AppealAnswered':
        await tx.query("UPDATE er_appeals SET status = 'answered', answer = $2, updated_at = $3 WHERE appeal_id = $1", [id, e.data.answer, e.data.answeredAt]);
        return;
      case 'AppealClosed':
        await tx.query("UPDATE er_appeals SET status = 'closed', updated_at = $2 WHERE appeal_id = $1", [id, e.data.closedAt]);
        return;
      case 'AppealReopened':
        // A new answer is due: the escalation of the earlier due time no longer stands (as the decider sees it).
        await tx.query("UPDATE er_appeals SET status = 'open', due_at = $2, escalated = false, updated_at = $3 WHERE appeal_id = $1", [
          id,
          e.data.dueAt,
          e.data.reopenedAt,
        ]);
        return;
      default:
        return assertNever(e, 'appeal event');
    }
  }
}

/** A statement that applies many events of the queue at once, its parameters one array per column. */
interface QueueStatement {
  readonly sql: string;
  /** Element types of the columns' arrays, in parameter order; the first is always the credit code. */
  readonly columns: readonly ('text' | 'int')[];
}

const unnest = (columns: readonly string[]) => `unnest(${columns.map((c, i) => `$${i + 1}::${c}[]`).join(', ')})`;
const statement = (columns: QueueStatement['columns'], sql: (from: string) => string): QueueStatement => ({ columns, sql: sql(unnest(columns)) });

const REGISTER = statement(
  ['text', 'text', 'text', 'text', 'text', 'int', 'text', 'text'],
  (
    from,
  ) => `INSERT INTO er_enterprise_queue (credit_code, name, industry_code, district_code, subdistrict_code, usual_headcount, reopening_status, waiting_since)
    SELECT * FROM ${from} ON CONFLICT (credit_code) DO NOTHING`,
);
const DECLARE = statement(
  ['text', 'text', 'text', 'text', 'int', 'text', 'text'],
  (from) => `UPDATE er_enterprise_queue q SET reopening_status = v.status, declaration_id = v.declaration_id, planned_reopening_date = v.planned,
      guideline_version = v.version, confirmed_measures = v.measures::jsonb, rounds = 0, rectification_items = '[]', rectification_due_date = NULL,
      declared_at = v.declared_at, waiting_since = v.declared_at
    FROM ${from} AS v(credit_code, status, declaration_id, planned, version, measures, declared_at) WHERE q.credit_code = v.credit_code`,
);
const INSPECT = statement(
  ['text', 'text', 'int', 'text', 'text', 'text'],
  (from) => `UPDATE er_enterprise_queue q SET reopening_status = v.status, rounds = v.rounds, rectification_items = v.items::jsonb,
      rectification_due_date = v.due, waiting_since = v.since
    FROM ${from} AS v(credit_code, status, rounds, items, due, since) WHERE q.credit_code = v.credit_code`,
);
const MOVE = statement(
  ['text', 'text', 'text'],
  (from) => `UPDATE er_enterprise_queue q SET reopening_status = v.status, waiting_since = v.since
    FROM ${from} AS v(credit_code, status, since) WHERE q.credit_code = v.credit_code`,
);

/** The statement and parameters that apply an event to the queue (the same columns as `applyOne`); undefined for appeals. */
function queueRowOf(e: HandledEvent): { statement: QueueStatement; values: SqlParam[] } | undefined {
  switch (e.type) {
    case 'EnterpriseRegistered': {
      const d = e.data;
      return {
        statement: REGISTER,
        values: [d.creditCode, d.name, d.industryCode, d.districtCode, d.subdistrictCode, d.usualHeadcount, d.reopeningStatus, d.registeredAt],
      };
    }
    case 'ReopeningDeclared': {
      const d = e.data;
      return {
        statement: DECLARE,
        values: [
          d.creditCode,
          d.reopeningStatus,
          d.declarationId,
          d.plannedReopeningDate,
          d.guidelineVersion,
          JSON.stringify(d.confirmedMeasures),
          d.declaredAt,
        ],
      };
    }
    case 'InspectionRecorded': {
      const d = e.data;
      return {
        statement: INSPECT,
        values: [d.creditCode, d.reopeningStatus, d.round, JSON.stringify(d.rectificationItems), d.rectificationDueDate ?? null, d.inspectedAt],
      };
    }
    case 'RectificationSubmitted':
      return { statement: MOVE, values: [e.data.creditCode, e.data.reopeningStatus, e.data.submittedAt] };
    case 'EnterpriseReopened':
      return { statement: MOVE, values: [e.data.creditCode, e.data.reopeningStatus, e.data.reportedAt] };
    case 'AppealFiled':
    case 'AppealEscalated':
    case 'AppealAnswered':
    case 'AppealClosed':
    case 'AppealReopened':
    case 'IndustryGuidelineIssued':
      return undefined;
    default:
      return assertNever(e, 'reopening read-model event');
  }
}

/** Rows to one array per column, as `unnest` takes them. */
function transpose(rows: readonly SqlParam[][], columns: readonly unknown[]): SqlParam[] {
  return columns.map((_, i) => rows.map((row) => row[i])) as SqlParam[];
}

interface QueueRow {
  credit_code: string;
  name: string;
  industry_code: string;
  district_code: string;
  subdistrict_code: string;
  usual_headcount: number;
  reopening_status: ReopeningStatus;
  declaration_id: string;
  planned_reopening_date: string;
  guideline_version: number;
  confirmed_measures: string[] | string;
  rounds: number;
  rectification_items: string[] | string;
  rectification_due_date: string | null;
  declared_at: string;
  waiting_since: string;
}

interface AppealRow {
  appeal_id: string;
  credit_code: string;
  category: string;
  subject: string;
  department: string;
  status: AppealSummary['status'];
  due_at: string;
  escalated: boolean;
  answer: string | null;
  filed_at: string;
  updated_at: string;
}

/**
 * The service's read model in SQL tables with a checkpoint (see `StoreReadModel`): start-up
 * reads only what was appended since the last commit; queries call `catchUp()` first, so they
 * see every command completed before them.
 */
export class ReopeningReadModel {
  private readonly model: StoreReadModel;

  constructor(
    private readonly options: {
      store: EventStore;
      db: SqlDatabase;
      onError?: (error: Error) => void;
      /** See ReopeningProjection. */
      onGuidelineIssued?: (guideline: IndustryGuidelineIssued['data']) => void;
    },
  ) {
    this.model = new StoreReadModel({
      store: options.store,
      db: options.db,
      projection: new ReopeningProjection(options.onGuidelineIssued),
      streamPrefix: ENTERPRISE_REOPENING_STREAM_PREFIX,
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): void {
    this.model.start();
  }

  stop(): Promise<void> {
    return this.model.stop();
  }

  /** Enterprises of an area in the given queue places, oldest first (by `order`); at most `limit`. */
  async queue(places: readonly ReopeningStatus[], filter: QueueFilter, order: 'waiting' | 'due'): Promise<QueueEntry[]> {
    await this.model.catchUp();
    const orderBy = order === 'due' ? 'rectification_due_date, waiting_since, credit_code' : 'waiting_since, credit_code';
    const { rows } = await this.options.db.query<QueueRow>(
      `SELECT * FROM er_enterprise_queue
        WHERE reopening_status = ANY(string_to_array($1::text, ',')) AND ($2::text IS NULL OR district_code = $2) AND ($3::text IS NULL OR subdistrict_code = $3)
        ORDER BY ${orderBy} LIMIT $4`,
      [places.join(','), filter.districtCode ?? null, filter.subdistrictCode ?? null, filter.limit],
    );
    return rows.map((r) => ({
      creditCode: r.credit_code,
      name: r.name,
      industryCode: r.industry_code,
      districtCode: r.district_code,
      subdistrictCode: r.subdistrict_code,
      usualHeadcount: Number(r.usual_headcount),
      reopeningStatus: r.reopening_status,
      declarationId: r.declaration_id,
      plannedReopeningDate: r.planned_reopening_date,
      guidelineVersion: Number(r.guideline_version),
      confirmedMeasures: jsonList(r.confirmed_measures),
      rounds: Number(r.rounds),
      rectificationItems: jsonList(r.rectification_items),
      rectificationDueDate: r.rectification_due_date,
      declaredAt: r.declared_at,
      waitingSince: r.waiting_since,
    }));
  }

  /** Where a registered enterprise is, for the access rules of the lists about it; null when it is not registered. */
  async placeOf(creditCode: string): Promise<{ creditCode: string; districtCode: string; subdistrictCode: string } | null> {
    await this.model.catchUp();
    const { rows } = await this.options.db.query<{ district_code: string; subdistrict_code: string }>(
      'SELECT district_code, subdistrict_code FROM er_enterprise_queue WHERE credit_code = $1',
      [creditCode],
    );
    return rows.length === 0 ? null : { creditCode, districtCode: rows[0].district_code, subdistrictCode: rows[0].subdistrict_code };
  }

  /** An enterprise's appeals, newest first. */
  async appealsOf(creditCode: string, limit: number): Promise<AppealSummary[]> {
    await this.model.catchUp();
    const { rows } = await this.options.db.query<AppealRow>('SELECT * FROM er_appeals WHERE credit_code = $1 ORDER BY filed_at DESC, appeal_id LIMIT $2', [
      creditCode,
      limit,
    ]);
    return rows.map((r) => ({
      appealId: r.appeal_id,
      creditCode: r.credit_code,
      category: r.category,
      subject: r.subject,
      department: r.department,
      status: r.status,
      dueAt: r.due_at,
      escalated: r.escalated,
      answer: r.answer,
      filedAt: r.filed_at,
      updatedAt: r.updated_at,
    }));
  }
}

// pg answers jsonb parsed; PGlite may answer it as text.
function jsonList(v: string[] | string): string[] {
  return typeof v === 'string' ? (JSON.parse(v) as string[]) : v;
}
