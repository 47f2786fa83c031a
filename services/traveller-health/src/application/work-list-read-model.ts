import { TRAVELLER_HEALTH_STREAM_PREFIX, type TravellerHealthEvent } from '@city/contracts';
import { assertNever, type EventStore, type RecordedEvent } from '@city/eventsourcing';
import { StoreReadModel, type Projection, type ProjectionObserver } from '@city/projections';
import type { SqlDatabase, SqlExecutor } from '@city/sql';

/** A person on a community's work list: pseudonymous, as everything outside the vault. */
export interface WorkListEntry {
  readonly travellerId: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly committeeCode: string;
  readonly status: 'pushed' | 'observing' | 'released';
  readonly ruleSetVersion: string | null;
  readonly firedRuleIds: readonly string[];
  readonly pushedAt: string | null;
  readonly firstDay: string | null;
  readonly releaseDay: string | null;
  readonly openFlags: number;
  readonly lastCheckInDay: string | null;
  readonly lastCheckInSlot: string | null;
  readonly checkInsMissed: number;
  readonly erased: boolean;
}

export interface WorkListFilter {
  readonly districtCode?: string;
  readonly subdistrictCode?: string;
  readonly committeeCode?: string;
  readonly status?: WorkListEntry['status'];
}

/** Event types the work list applies, listed once: the runner filters out the rest. */
const HANDLED = [
  'KeyPersonPushed',
  'HomeObservationStarted',
  'CheckInRecorded',
  'CheckInMissed',
  'ObservationFlagRaised',
  'ObservationFlagResolved',
  'HomeObservationReleased',
  'HomeObservationTransferred',
  'PersonalDataErased',
] as const satisfies readonly TravellerHealthEvent['type'][];
type HandledEvent = Extract<TravellerHealthEvent, { type: (typeof HANDLED)[number] }>;
/** Registrations of general travellers, reference data and referrals do not change the list. */
type Ignored = 'CheckpointRegistered' | 'CommitteeRegistered' | 'TravellerRegistered' | 'FeverClinicReferred' | 'ReferralOutcomeRecorded';
// Fails to compile when the contract gains an event type this read model neither handles nor ignores on purpose.
const everyTypeDecided: Exclude<TravellerHealthEvent['type'], HandledEvent['type'] | Ignored> extends never ? true : never = true;
void everyTypeDecided;

export const WORK_LIST_READ_MODEL = 'traveller-health-work-list';

/** The committees' work lists: key persons pushed to them and the people they observe. */
export class WorkListProjection implements Projection {
  readonly name = WORK_LIST_READ_MODEL;
  readonly handles: readonly string[] = HANDLED;

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS th_work_list (
      traveller_id text PRIMARY KEY,
      district_code text NOT NULL,
      subdistrict_code text NOT NULL,
      committee_code text NOT NULL,
      status text NOT NULL,
      rule_set_version text,
      fired_rule_ids jsonb NOT NULL DEFAULT '[]',
      pushed_at text,
      first_day text,
      release_day text,
      open_flags integer NOT NULL DEFAULT 0,
      last_check_in_day text,
      last_check_in_slot text,
      check_ins_missed integer NOT NULL DEFAULT 0,
      erased boolean NOT NULL DEFAULT false
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS th_work_list_area ON th_work_list (district_code, subdistrict_code, committee_code)');
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('DELETE FROM th_work_list');
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    // Pushes, most of what arrives while travellers register, go in one statement per run of them. The
    // upsert sets every column a push sets or resets, so of a person's pushes in a run the latest alone does the same.
    let pushed = new Map<string, Extract<HandledEvent, { type: 'KeyPersonPushed' }>['data']>();
    const flush = async () => {
      if (pushed.size === 0) return;
      const rows = [...pushed.values()];
      pushed = new Map();
      await tx.query(
        `INSERT INTO th_work_list (traveller_id, district_code, subdistrict_code, committee_code, status, rule_set_version, fired_rule_ids, pushed_at)
         SELECT traveller_id, district_code, subdistrict_code, committee_code, 'pushed', rule_set_version, fired_rule_ids::jsonb, pushed_at
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
             AS p(traveller_id, district_code, subdistrict_code, committee_code, rule_set_version, fired_rule_ids, pushed_at)
         ON CONFLICT (traveller_id) DO UPDATE SET district_code = excluded.district_code, subdistrict_code = excluded.subdistrict_code,
           committee_code = excluded.committee_code, status = 'pushed', rule_set_version = excluded.rule_set_version,
           fired_rule_ids = excluded.fired_rule_ids, pushed_at = excluded.pushed_at, first_day = NULL, release_day = NULL, open_flags = 0, check_ins_missed = 0`,
        [
          rows.map((p) => p.travellerId),
          rows.map((p) => p.districtCode),
          rows.map((p) => p.subdistrictCode),
          rows.map((p) => p.committeeCode),
          rows.map((p) => p.ruleSetVersion),
          rows.map((p) => JSON.stringify(p.firedRuleIds)),
          rows.map((p) => p.pushedAt),
        ],
      );
    };
    for (const recorded of events) {
      const e = { type: recorded.type, data: recorded.data } as HandledEvent;
      if (e.type === 'KeyPersonPushed') {
        pushed.set(e.data.travellerId, e.data);
        continue;
      }
      await flush();
      await this.applyOne(tx, e);
    }
    await flush();
  }

  private async applyOne(tx: SqlExecutor, e: Exclude<HandledEvent, { type: 'KeyPersonPushed' }>): Promise<void> {
    const id = e.data.travellerId;
    switch (e.type) {
      case 'HomeObservationStarted': {
        const { districtCode, subdistrictCode, committeeCode, firstDay, releaseDay } = e.data;
        await tx.query(
          `INSERT INTO th_work_list (traveller_id, district_code, subdistrict_code, committee_code, status, first_day, release_day)
           VALUES ($1, $2, $3, $4, 'observing', $5, $6)
           ON CONFLICT (traveller_id) DO UPDATE SET district_code = $2, subdistrict_code = $3, committee_code = $4, status = 'observing', first_day = $5, release_day = $6`,
          [id, districtCode, subdistrictCode, committeeCode, firstDay, releaseDay],
        );
        return;
      }
      case 'CheckInRecorded':
        await tx.query('UPDATE th_work_list SET last_check_in_day = $2, last_check_in_slot = $3 WHERE traveller_id = $1', [id, e.data.day, e.data.slot]);
        return;
      case 'CheckInMissed':
        await tx.query('UPDATE th_work_list SET check_ins_missed = check_ins_missed + 1 WHERE traveller_id = $1', [id]);
        return;
      case 'ObservationFlagRaised':
        await tx.query('UPDATE th_work_list SET open_flags = open_flags + 1 WHERE traveller_id = $1', [id]);
        return;
      case 'ObservationFlagResolved':
        await tx.query('UPDATE th_work_list SET open_flags = greatest(open_flags - 1, 0) WHERE traveller_id = $1', [id]);
        return;
      case 'HomeObservationReleased':
        await tx.query("UPDATE th_work_list SET status = 'released' WHERE traveller_id = $1", [id]);
        return;
      case 'HomeObservationTransferred':
        await tx.query('UPDATE th_work_list SET district_code = $2, subdistrict_code = $3, committee_code = $4 WHERE traveller_id = $1', [
          id,
          e.data.districtCode,
          e.data.subdistrictCode,
          e.data.committeeCode,
        ]);
        return;
      case 'PersonalDataErased':
        await tx.query('UPDATE th_work_list SET erased = true WHERE traveller_id = $1', [id]);
        return;
      default:
        return assertNever(e, 'work-list event');
    }
  }
}

interface Row {
  traveller_id: string;
  district_code: string;
  subdistrict_code: string;
  committee_code: string;
  status: WorkListEntry['status'];
  rule_set_version: string | null;
  fired_rule_ids: string[] | string;
  pushed_at: string | null;
  first_day: string | null;
  release_day: string | null;
  open_flags: number;
  last_check_in_day: string | null;
  last_check_in_slot: string | null;
  check_ins_missed: number;
  erased: boolean;
}

/** The work lists in SQL tables with a checkpoint (see `StoreReadModel`); queries call `catchUp()` first to see every completed command. */
export class WorkListReadModel {
  private readonly model: StoreReadModel;

  constructor(private readonly options: { store: EventStore; db: SqlDatabase; observer?: ProjectionObserver; onError?: (error: Error) => void }) {
    this.model = new StoreReadModel({
      store: options.store,
      db: options.db,
      projection: new WorkListProjection(),
      streamPrefix: TRAVELLER_HEALTH_STREAM_PREFIX,
      ...(options.observer ? { observer: options.observer } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
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

  /** Entries of an area, newest push first; at most `limit`. */
  async find(filter: WorkListFilter, limit: number): Promise<WorkListEntry[]> {
    await this.catchUp();
    const { rows } = await this.options.db.query<Row>(
      `SELECT * FROM th_work_list
        WHERE ($1::text IS NULL OR district_code = $1) AND ($2::text IS NULL OR subdistrict_code = $2)
          AND ($3::text IS NULL OR committee_code = $3) AND ($4::text IS NULL OR status = $4)
        ORDER BY open_flags DESC, pushed_at DESC NULLS LAST, traveller_id LIMIT $5`,
      [filter.districtCode ?? null, filter.subdistrictCode ?? null, filter.committeeCode ?? null, filter.status ?? null, limit],
    );
    return rows.map((r) => ({
      travellerId: r.traveller_id,
      districtCode: r.district_code,
      subdistrictCode: r.subdistrict_code,
      committeeCode: r.committee_code,
      status: r.status,
      ruleSetVersion: r.rule_set_version,
      firedRuleIds: typeof r.fired_rule_ids === 'string' ? (JSON.parse(r.fired_rule_ids) as string[]) : r.fired_rule_ids,
      pushedAt: r.pushed_at,
      firstDay: r.first_day,
      releaseDay: r.release_day,
      openFlags: Number(r.open_flags),
      lastCheckInDay: r.last_check_in_day,
      lastCheckInSlot: r.last_check_in_slot,
      checkInsMissed: Number(r.check_ins_missed),
      erased: r.erased,
    }));
  }
}
