import { POLICY_RELIEF_STREAM_PREFIX, type ReliefApplicationEvent, type ReliefApplicationSubmitted } from '@city/contracts';
import type { EventStore, RecordedEvent } from '@city/eventsourcing';
import { StoreReadModel, type Projection } from '@city/projections';
import type { SqlDatabase, SqlExecutor } from '@city/sql';
import type { ApplicationStatus } from '../domain/application.decider';

/** Event types the read model applies, listed once; budget events are read from the ledger itself. */
const HANDLED = [
  'ReliefApplicationSubmitted',
  'ReliefApplicationWithdrawn',
  'ReliefApplicationApproved',
  'ReliefApplicationRejected',
  'ReliefDisbursed',
] as const satisfies readonly ReliefApplicationEvent['type'][];
// Fails to compile when the contract gains an application event this read model does not handle.
const everyTypeHandled: Exclude<ReliefApplicationEvent['type'], (typeof HANDLED)[number]> extends never ? true : never = true;
void everyTypeHandled;

/** An application as lists show it. */
export interface ApplicationSummary {
  readonly applicationId: string;
  readonly measureId: string;
  readonly issuer: string;
  readonly enterpriseId: string;
  readonly districtCode: string;
  readonly status: ApplicationStatus;
  readonly requestedFen: number;
  readonly grantedFen: number | null;
  readonly disbursedFen: number;
  readonly submittedAt: string;
  /** The eligibility answer it was submitted with, rule by rule. */
  readonly eligibility: ReliefApplicationSubmitted['data']['eligibility'];
  /** The facts it was answered on, and the most the measure grants it. */
  readonly facts: ReliefApplicationSubmitted['data']['facts'];
  readonly maxGrantFen: number;
}

export interface ApplicationFilter {
  readonly measureId?: string;
  readonly status?: ApplicationStatus;
  readonly enterpriseId?: string;
  readonly issuer?: string;
  readonly districtCode?: string;
  readonly limit?: number;
}

/** The table behind lists (an enterprise's applications, an office's approval queue) and the dry-run replay. */
class ApplicationsProjection implements Projection {
  readonly name = 'policy-relief-applications';
  readonly handles: readonly string[] = HANDLED;

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS policy_relief_applications (
      application_id text PRIMARY KEY,
      measure_id text NOT NULL,
      issuer text NOT NULL,
      enterprise_id text NOT NULL,
      district_code text NOT NULL,
      status text NOT NULL,
      requested_fen bigint NOT NULL,
      granted_fen bigint,
      disbursed_fen bigint NOT NULL DEFAULT 0,
      submitted_at text NOT NULL,
      submitted jsonb NOT NULL
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS policy_relief_applications_measure ON policy_relief_applications (measure_id, status)');
    await db.query('CREATE INDEX IF NOT EXISTS policy_relief_applications_enterprise ON policy_relief_applications (enterprise_id)');
    // The approval queues: an office's waiting applications, oldest first.
    await db.query('CREATE INDEX IF NOT EXISTS policy_relief_applications_queue ON policy_relief_applications (issuer, status, measure_id, submitted_at)');
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE policy_relief_applications');
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ReliefApplicationEvent;
      const id = event.data.applicationId;
      switch (event.type) {
        case 'ReliefApplicationSubmitted': {
          // A first application, or a new one after a withdrawal or an ineligible answer (the only submissions that may follow another).
          const d = event.data;
          await tx.query(
            `INSERT INTO policy_relief_applications (application_id, measure_id, issuer, enterprise_id, district_code, status, requested_fen, submitted_at, submitted)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (application_id) DO UPDATE SET status = EXCLUDED.status, requested_fen = EXCLUDED.requested_fen, granted_fen = NULL,
               disbursed_fen = 0, submitted_at = EXCLUDED.submitted_at, submitted = EXCLUDED.submitted
             WHERE policy_relief_applications.status IN ('withdrawn', 'ineligible')`,
            [
              id,
              d.measureId,
              d.issuer,
              d.enterpriseId,
              d.districtCode,
              d.eligibility.eligible ? 'submitted' : 'ineligible',
              d.requestedFen,
              d.submittedAt,
              JSON.stringify(d),
            ],
          );
          break;
        }
        case 'ReliefApplicationWithdrawn':
          await tx.query(`UPDATE policy_relief_applications SET status = 'withdrawn' WHERE application_id = $1`, [id]);
          break;
        case 'ReliefApplicationApproved':
          await tx.query(`UPDATE policy_relief_applications SET status = 'approved', granted_fen = $2 WHERE application_id = $1`, [id, event.data.grantedFen]);
          break;
        case 'ReliefApplicationRejected':
          await tx.query(`UPDATE policy_relief_applications SET status = 'rejected' WHERE application_id = $1`, [id]);
          break;
        case 'ReliefDisbursed':
          await tx.query('UPDATE policy_relief_applications SET disbursed_fen = $2 WHERE application_id = $1', [id, event.data.totalDisbursedFen]);
          break;
        default: {
          const unhandled: never = event;
          throw new Error(`Unhandled policy-relief event ${(unhandled as { type: string }).type}`);
        }
      }
    }
  }
}

interface Row {
  application_id: string;
  measure_id: string;
  issuer: string;
  enterprise_id: string;
  district_code: string;
  status: ApplicationStatus;
  requested_fen: string | number;
  granted_fen: string | number | null;
  disbursed_fen: string | number;
  submitted_at: string;
  submitted: ReliefApplicationSubmitted['data'];
}

/**
 * The service's own read model of applications, in SQL with its checkpoint
 * (`StoreReadModel`): start-up does not replay history, and a query that
 * calls `catchUp()` first sees every command completed before it.
 */
export class ReliefReadModel {
  private readonly model: StoreReadModel;

  constructor(
    store: EventStore,
    private readonly db: SqlDatabase,
    onError?: (error: Error) => void,
  ) {
    this.model = new StoreReadModel({
      store,
      db,
      projection: new ApplicationsProjection(),
      streamPrefix: POLICY_RELIEF_STREAM_PREFIX,
      ...(onError ? { onError } : {}),
    });
  }

  start(): void {
    this.model.start();
  }

  stop(): Promise<void> {
    return this.model.stop();
  }

  catchUp(): Promise<void> {
    return this.model.catchUp();
  }

  async list(filter: ApplicationFilter): Promise<ApplicationSummary[]> {
    await this.catchUp();
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    add('measure_id', filter.measureId);
    add('status', filter.status);
    add('enterprise_id', filter.enterpriseId);
    add('issuer', filter.issuer);
    add('district_code', filter.districtCode);
    params.push(filter.limit ?? 500);
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM policy_relief_applications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY submitted_at, application_id LIMIT $${params.length}`,
      params,
    );
    return rows.map(summaryOf);
  }

  /**
   * An issuing office's waiting applications, measure by measure: how many wait, and the oldest
   * `perMeasure` of them (a queue of thousands is worked from its head; decided ones leave it).
   */
  async waitingFor(issuer: string, perMeasure: number): Promise<Map<string, { count: number; oldest: ApplicationSummary[] }>> {
    await this.catchUp();
    const { rows } = await this.db.query<Row & { waiting_count: string }>(
      `SELECT * FROM (
         SELECT *, row_number() OVER head AS place, count(*) OVER (PARTITION BY measure_id) AS waiting_count
           FROM policy_relief_applications WHERE issuer = $1 AND status = 'submitted'
         WINDOW head AS (PARTITION BY measure_id ORDER BY submitted_at, application_id)
       ) waiting WHERE place <= $2 ORDER BY measure_id, place`,
      [issuer, perMeasure],
    );
    const byMeasure = new Map<string, { count: number; oldest: ApplicationSummary[] }>();
    for (const row of rows) {
      const entry = byMeasure.get(row.measure_id) ?? { count: Number(row.waiting_count), oldest: [] };
      entry.oldest.push(summaryOf(row));
      byMeasure.set(row.measure_id, entry);
    }
    return byMeasure;
  }

  /** Every past submission to a measure, as submitted: what a dry-run replay re-decides. */
  async submissionsOf(measureId: string): Promise<{ submitted: ReliefApplicationSubmitted['data']; status: ApplicationStatus }[]> {
    await this.catchUp();
    const { rows } = await this.db.query<Row>('SELECT * FROM policy_relief_applications WHERE measure_id = $1 ORDER BY submitted_at, application_id', [
      measureId,
    ]);
    return rows.map((r) => ({ submitted: r.submitted, status: r.status }));
  }
}

function summaryOf(r: Row): ApplicationSummary {
  return {
    applicationId: r.application_id,
    measureId: r.measure_id,
    issuer: r.issuer,
    enterpriseId: r.enterprise_id,
    districtCode: r.district_code,
    status: r.status,
    requestedFen: Number(r.requested_fen),
    grantedFen: r.granted_fen === null ? null : Number(r.granted_fen),
    disbursedFen: Number(r.disbursed_fen),
    submittedAt: r.submitted_at,
    eligibility: r.submitted.eligibility,
    facts: r.submitted.facts,
    maxGrantFen: r.submitted.maxGrantFen,
  };
}
