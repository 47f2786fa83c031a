import { CHECK_IN_SLOTS, TRAVELLER_HEALTH_STREAM_PREFIX, type CheckInSlot, type FlagKind, type TravellerHealthEvent } from '@city/contracts';
import { assertNever, type EventStore, type RecordedEvent } from '@city/eventsourcing';
import { StoreReadModel, type Projection, type ProjectionObserver } from '@city/projections';
import type { SqlDatabase, SqlExecutor } from '@city/sql';
import type { WorkListFilter } from './work-list-read-model';

/** Where a check-in of a day stands: made or missed (recorded), still due, overdue (window closed, not yet marked), or not asked (the window closed before observation began). */
export type CheckInStatus = 'made' | 'missed' | 'due' | 'overdue' | 'not-required';

export interface CheckInOfDay {
  readonly status: CheckInStatus;
  /** When the window closes. */
  readonly deadline: string;
  readonly fever?: boolean;
  readonly symptomatic?: boolean;
  /** When it was made, or found missed. */
  readonly at?: string;
}

/** A person under observation on a day, with that day's two check-ins: pseudonymous. */
export interface ObservedPersonDay {
  readonly travellerId: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly committeeCode: string;
  readonly firstDay: string;
  readonly lastDay: string;
  /** 1 to 14. */
  readonly dayOfObservation: number;
  readonly checkIns: Readonly<Record<CheckInSlot, CheckInOfDay>>;
}

export interface OpenFlag {
  readonly travellerId: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly committeeCode: string;
  readonly flagId: string;
  readonly kind: FlagKind;
  readonly day: string;
  readonly raisedAt: string;
}

const HANDLED = [
  'HomeObservationStarted',
  'CheckInRecorded',
  'CheckInMissed',
  'ObservationFlagRaised',
  'ObservationFlagResolved',
  'HomeObservationReleased',
  'HomeObservationTransferred',
] as const satisfies readonly TravellerHealthEvent['type'][];
type HandledEvent = Extract<TravellerHealthEvent, { type: (typeof HANDLED)[number] }>;
/** Reference data, registrations, pushes, referrals and erasure do not change who checks in when, or which flags are open. */
type Ignored =
  | 'CheckpointRegistered'
  | 'CommitteeRegistered'
  | 'TravellerRegistered'
  | 'KeyPersonPushed'
  | 'FeverClinicReferred'
  | 'ReferralOutcomeRecorded'
  | 'PersonalDataErased';
// Fails to compile when the contract gains an event type this read model neither handles nor ignores on purpose.
const everyTypeDecided: Exclude<TravellerHealthEvent['type'], HandledEvent['type'] | Ignored> extends never ? true : never = true;
void everyTypeDecided;

export const OBSERVATION_BOARD_READ_MODEL = 'traveller-health-observation-board';

/**
 * What a community works through each day: who is under observation where, their
 * check-ins by day and slot, and the flags still open. A model of its own (not more
 * columns of the work list), so that it is built from the whole history on its first start.
 */
export class ObservationBoardProjection implements Projection {
  readonly name = OBSERVATION_BOARD_READ_MODEL;
  readonly handles: readonly string[] = HANDLED;

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS th_board_observations (
      traveller_id text PRIMARY KEY,
      district_code text NOT NULL,
      subdistrict_code text NOT NULL,
      committee_code text NOT NULL,
      first_day text NOT NULL,
      last_day text NOT NULL,
      started_at text NOT NULL,
      active boolean NOT NULL
    )`);
    await db.query(
      'CREATE INDEX IF NOT EXISTS th_board_observations_area ON th_board_observations (district_code, subdistrict_code, committee_code) WHERE active',
    );
    await db.query(`CREATE TABLE IF NOT EXISTS th_board_check_ins (
      traveller_id text NOT NULL,
      day text NOT NULL,
      slot text NOT NULL,
      status text NOT NULL,
      fever boolean,
      symptomatic boolean,
      at text NOT NULL,
      PRIMARY KEY (traveller_id, day, slot)
    )`);
    await db.query(`CREATE TABLE IF NOT EXISTS th_board_open_flags (
      traveller_id text NOT NULL,
      flag_id text NOT NULL,
      kind text NOT NULL,
      day text NOT NULL,
      raised_at text NOT NULL,
      PRIMARY KEY (traveller_id, flag_id)
    )`);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('DELETE FROM th_board_open_flags');
    await tx.query('DELETE FROM th_board_check_ins');
    await tx.query('DELETE FROM th_board_observations');
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) await this.applyOne(tx, { type: recorded.type, data: recorded.data } as HandledEvent);
  }

  private async applyOne(tx: SqlExecutor, e: HandledEvent): Promise<void> {
    const id = e.data.travellerId;
    switch (e.type) {
      case 'HomeObservationStarted': {
        const { districtCode, subdistrictCode, committeeCode, firstDay, lastDay, startedAt } = e.data;
        await tx.query(
          `INSERT INTO th_board_observations (traveller_id, district_code, subdistrict_code, committee_code, first_day, last_day, started_at, active)
           VALUES ($1, $2, $3, $4, $5, $6, $7, true)
           ON CONFLICT (traveller_id) DO UPDATE SET district_code = $2, subdistrict_code = $3, committee_code = $4,
             first_day = $5, last_day = $6, started_at = $7, active = true`,
          [id, districtCode, subdistrictCode, committeeCode, firstDay, lastDay, startedAt],
        );
        return;
      }
      case 'CheckInRecorded':
        await tx.query(
          `INSERT INTO th_board_check_ins (traveller_id, day, slot, status, fever, symptomatic, at) VALUES ($1, $2, $3, 'made', $4, $5, $6)
           ON CONFLICT (traveller_id, day, slot) DO UPDATE SET status = 'made', fever = $4, symptomatic = $5, at = $6`,
          [id, e.data.day, e.data.slot, e.data.fever, e.data.symptomatic, e.data.recordedAt],
        );
        return;
      case 'CheckInMissed':
        await tx.query(
          `INSERT INTO th_board_check_ins (traveller_id, day, slot, status, at) VALUES ($1, $2, $3, 'missed', $4)
           ON CONFLICT (traveller_id, day, slot) DO NOTHING`,
          [id, e.data.day, e.data.slot, e.data.detectedAt],
        );
        return;
      case 'ObservationFlagRaised':
        await tx.query(
          `INSERT INTO th_board_open_flags (traveller_id, flag_id, kind, day, raised_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (traveller_id, flag_id) DO NOTHING`,
          [id, e.data.flagId, e.data.kind, e.data.day, e.data.raisedAt],
        );
        return;
      case 'ObservationFlagResolved':
        await tx.query('DELETE FROM th_board_open_flags WHERE traveller_id = $1 AND flag_id = $2', [id, e.data.flagId]);
        return;
      case 'HomeObservationReleased':
        // Flags of an ended observation cannot be resolved any more (the decider refuses): they leave the list.
        await tx.query('UPDATE th_board_observations SET active = false WHERE traveller_id = $1', [id]);
        await tx.query('DELETE FROM th_board_open_flags WHERE traveller_id = $1', [id]);
        return;
      case 'HomeObservationTransferred':
        await tx.query('UPDATE th_board_observations SET district_code = $2, subdistrict_code = $3, committee_code = $4 WHERE traveller_id = $1', [
          id,
          e.data.districtCode,
          e.data.subdistrictCode,
          e.data.committeeCode,
        ]);
        return;
      default:
        return assertNever(e, 'observation-board event');
    }
  }
}

interface ObservationRow {
  traveller_id: string;
  district_code: string;
  subdistrict_code: string;
  committee_code: string;
  first_day: string;
  last_day: string;
  started_at: string;
}

interface CheckInRow {
  traveller_id: string;
  slot: CheckInSlot;
  status: 'made' | 'missed';
  fever: boolean | null;
  symptomatic: boolean | null;
  at: string;
}

const AREA = `($1::text IS NULL OR o.district_code = $1) AND ($2::text IS NULL OR o.subdistrict_code = $2) AND ($3::text IS NULL OR o.committee_code = $3)`;
const areaParams = (f: WorkListFilter) => [f.districtCode ?? null, f.subdistrictCode ?? null, f.committeeCode ?? null];
const DAY_MS = 86_400_000;

/** The observation board in SQL tables with a checkpoint (see `StoreReadModel`); queries catch up first. */
export class ObservationBoardReadModel {
  private readonly model: StoreReadModel;

  constructor(private readonly options: { store: EventStore; db: SqlDatabase; observer?: ProjectionObserver; onError?: (error: Error) => void }) {
    this.model = new StoreReadModel({
      store: options.store,
      db: options.db,
      projection: new ObservationBoardProjection(),
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

  /**
   * The people under observation in an area on `day`, each with that day's check-ins;
   * `now` tells a check-in still due from one overdue, `deadlineOf` when each window closes.
   */
  async checkInsOf(
    filter: WorkListFilter,
    day: string,
    now: Date,
    deadlineOf: (day: string, slot: CheckInSlot) => Date,
    limit: number,
  ): Promise<ObservedPersonDay[]> {
    await this.model.catchUp();
    const db = this.options.db;
    const { rows: people } = await db.query<ObservationRow>(
      `SELECT * FROM th_board_observations o WHERE o.active AND ${AREA} AND o.first_day <= $4 AND o.last_day >= $4
        ORDER BY o.committee_code, o.first_day, o.traveller_id LIMIT $5`,
      [...areaParams(filter), day, limit],
    );
    if (people.length === 0) return [];
    const { rows: checkIns } = await db.query<CheckInRow>(
      `SELECT c.* FROM th_board_check_ins c JOIN th_board_observations o USING (traveller_id)
        WHERE o.active AND ${AREA} AND o.first_day <= $4 AND o.last_day >= $4 AND c.day = $4`,
      [...areaParams(filter), day],
    );
    const byKey = new Map(checkIns.map((c) => [`${c.traveller_id}/${c.slot}`, c]));
    return people.map((p) => {
      const slots = {} as Record<CheckInSlot, CheckInOfDay>;
      for (const slot of CHECK_IN_SLOTS) {
        const deadline = deadlineOf(day, slot);
        const row = byKey.get(`${p.traveller_id}/${slot}`);
        slots[slot] = row
          ? {
              status: row.status,
              deadline: deadline.toISOString(),
              at: row.at,
              ...(row.status === 'made' ? { fever: !!row.fever, symptomatic: !!row.symptomatic } : {}),
            }
          : { status: statusOf(deadline, new Date(p.started_at), now), deadline: deadline.toISOString() };
      }
      return {
        travellerId: p.traveller_id,
        districtCode: p.district_code,
        subdistrictCode: p.subdistrict_code,
        committeeCode: p.committee_code,
        firstDay: p.first_day,
        lastDay: p.last_day,
        dayOfObservation: Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${p.first_day}T00:00:00Z`)) / DAY_MS) + 1,
        checkIns: slots,
      };
    });
  }

  /** Open flags of the people under observation in an area, newest first. */
  async openFlagsOf(filter: WorkListFilter, limit: number): Promise<OpenFlag[]> {
    await this.model.catchUp();
    const { rows } = await this.options.db.query<ObservationRow & { flag_id: string; kind: FlagKind; day: string; raised_at: string }>(
      `SELECT o.*, f.flag_id, f.kind, f.day, f.raised_at FROM th_board_open_flags f JOIN th_board_observations o USING (traveller_id)
        WHERE o.active AND ${AREA} ORDER BY f.raised_at DESC, f.traveller_id, f.flag_id LIMIT $4`,
      [...areaParams(filter), limit],
    );
    return rows.map((r) => ({
      travellerId: r.traveller_id,
      districtCode: r.district_code,
      subdistrictCode: r.subdistrict_code,
      committeeCode: r.committee_code,
      flagId: r.flag_id,
      kind: r.kind,
      day: r.day,
      raisedAt: r.raised_at,
    }));
  }
}

function statusOf(deadline: Date, startedAt: Date, now: Date): CheckInStatus {
  if (deadline <= startedAt) return 'not-required';
  return now < deadline ? 'due' : 'overdue';
}
