import { cityDayOf } from '@city/city-time';
import type { CommunityPlace, FiredRule } from '@city/contracts';
import { NotFoundError, RuleViolationError } from '@city/eventsourcing';
import type { SqlDatabase } from '@city/sql';
import { placeScope, travellerHealthAccess } from '../domain/access-policy';
import type { Actor } from '../domain/command-context';
import { RULE_SETS } from '../domain/rule-sets';
import { Rule } from '../domain/rules';
import type { Observation } from '../domain/traveller.decider';
import { checkInDeadline } from './observation-commands';
import type { ObservationBoardReadModel, ObservedPersonDay, OpenFlag } from './observation-board-read-model';
import type { PersonalDataVault } from './personal-data-vault';
import type { TravellerStreams } from './traveller-streams';
import type { WorkListEntry, WorkListFilter, WorkListReadModel } from './work-list-read-model';

/** A traveller as community staff see them: pseudonymous, with the class and the rules that fired. */
export interface TravellerView {
  readonly travellerId: string;
  readonly place: CommunityPlace;
  readonly registrations: number;
  readonly lastRegistration: {
    readonly registrationId: string;
    readonly checkpointId: string;
    readonly checkpointKind: string;
    readonly registeredAt: string;
    readonly originCityCode: string;
  };
  readonly riskClass: 'key' | 'general';
  readonly ruleSetVersion: string;
  readonly firedRules: readonly FiredRule[];
  readonly explanation: string;
  readonly onWorkList: boolean;
  readonly observation: Observation | null;
  readonly observationsCompleted: number;
  readonly erased: boolean;
  readonly version: number;
}

export interface WorkListItem extends WorkListEntry {
  readonly firedRules: readonly FiredRule[];
}

/** The check-ins of a day in an area: each person under observation with that day's two check-ins, and the counts. */
export interface CheckInsOfDay {
  readonly day: string;
  readonly people: readonly ObservedPersonDay[];
  readonly counts: Readonly<Record<'made' | 'missed' | 'due' | 'overdue', number>>;
}

/** One read of a person's name and phone: who, whom, when, why. */
export interface PersonalDataReadRecord {
  readonly travellerId: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly committeeCode: string;
  readonly readerId: string;
  readonly readerRole: string;
  readonly reason: string;
  readonly readAt: string;
}

/** "key person: stayed in a key area within 14 days, rule R2 of rule set 2020-02-10" */
export function explain(riskClass: string, ruleSetVersion: string, fired: readonly FiredRule[]): string {
  const person = riskClass === 'key' ? 'key person' : 'general';
  if (fired.length === 0) return `${person}: no rule fired (rule set ${ruleSetVersion})`;
  return `${person}: ${fired.map((r) => `${r.reason}, rule ${r.ruleId}`).join('; ')} of rule set ${ruleSetVersion}`;
}

function reasonsOf(version: string | null, ids: readonly string[]): FiredRule[] {
  const rules = version ? RULE_SETS.get(version)?.rules : undefined;
  return ids.map((ruleId) => ({ ruleId, reason: rules?.find((r) => r.id === ruleId)?.reason ?? '(rule set not known to this version of the service)' }));
}

/**
 * What community staff read: a traveller's record, their committee's work list, and, only on
 * request and within their scope, a person's name and phone, each such read recorded in an
 * audit trail the person's district can see.
 */
export class TravellerQueries {
  private migrated?: Promise<void>;

  constructor(
    private readonly streams: TravellerStreams,
    private readonly workList: WorkListReadModel,
    private readonly board: ObservationBoardReadModel,
    private readonly vault: PersonalDataVault,
    private readonly db: SqlDatabase,
    private readonly clock: () => Date,
  ) {}

  migrate(): Promise<void> {
    this.migrated ??= (async () => {
      await this.db.query(`CREATE TABLE IF NOT EXISTS th_personal_data_reads (
        read_id bigserial PRIMARY KEY,
        traveller_id text NOT NULL,
        district_code text NOT NULL,
        subdistrict_code text NOT NULL,
        committee_code text NOT NULL,
        reader_id text NOT NULL,
        reader_role text NOT NULL,
        reason text NOT NULL,
        read_at timestamptz NOT NULL
      )`);
      await this.db.query('CREATE INDEX IF NOT EXISTS th_personal_data_reads_district ON th_personal_data_reads (district_code, read_at)');
    })();
    return this.migrated;
  }

  async traveller(actor: Actor, travellerId: string): Promise<TravellerView> {
    const { state, version } = await this.streams.load(travellerId);
    const last = state.lastRegistration;
    if (!state.registered || !last || !state.place) throw new NotFoundError(`Unknown traveller ${travellerId}`);
    travellerHealthAccess.assert('readWorkList', actor, placeScope(state.place));
    return {
      travellerId,
      place: state.place,
      registrations: state.registrationIds.length,
      lastRegistration: {
        registrationId: last.registrationId,
        checkpointId: last.checkpointId,
        checkpointKind: last.checkpointKind,
        registeredAt: last.registeredAt,
        originCityCode: last.originCityCode,
      },
      riskClass: last.riskClass,
      ruleSetVersion: last.ruleSetVersion,
      firedRules: last.firedRules,
      explanation: explain(last.riskClass, last.ruleSetVersion, last.firedRules),
      onWorkList: state.onWorkList,
      observation: state.observation,
      observationsCompleted: state.observationsCompleted,
      erased: state.erased,
      version,
    };
  }

  /** The work list of an area the actor may read (a field official: their committee if the token names one, else their subdistrict). */
  async workListOf(actor: Actor, filter: WorkListFilter, limit: number): Promise<WorkListItem[]> {
    const entries = await this.workList.find(this.readableArea(actor, filter), limit);
    return entries.map((e) => ({ ...e, firedRules: reasonsOf(e.ruleSetVersion, e.firedRuleIds) }));
  }

  /** The check-ins of a day (default today, in the city) of the people under observation in an area the actor may read. */
  async checkInsOf(actor: Actor, filter: Omit<WorkListFilter, 'status'>, day: string | undefined, limit: number): Promise<CheckInsOfDay> {
    const area = this.readableArea(actor, filter);
    const now = this.clock();
    const theDay = day ?? cityDayOf(now);
    const people = await this.board.checkInsOf(area, theDay, now, checkInDeadline, limit);
    const counts = { made: 0, missed: 0, due: 0, overdue: 0 };
    for (const p of people) {
      for (const c of Object.values(p.checkIns)) if (c.status !== 'not-required') counts[c.status]++;
    }
    return { day: theDay, people, counts };
  }

  /** The open flags (missed check-ins, fevers) of the people under observation in an area the actor may read, newest first. */
  openFlagsOf(actor: Actor, filter: Omit<WorkListFilter, 'status'>, limit: number): Promise<OpenFlag[]> {
    return this.board.openFlagsOf(this.readableArea(actor, filter), limit);
  }

  /**
   * The area a query asks for, narrowed to the actor's own (a field official: their committee if
   * the token names one, else their subdistrict), once the actor may read it.
   */
  private readableArea<F extends WorkListFilter>(actor: Actor, filter: F): F {
    const official = actor.role === 'field-official';
    // A committee asked for lies in its subdistrict and district (its code begins with theirs).
    const committee = filter.committeeCode ?? (official ? actor.committee : undefined);
    const district = filter.districtCode ?? committee?.slice(0, 6) ?? actor.district;
    const subdistrict = filter.subdistrictCode ?? committee?.slice(0, 9) ?? (official ? actor.subdistrict : undefined);
    travellerHealthAccess.assert('readWorkList', actor, {
      ...(district ? { district } : {}),
      ...(subdistrict ? { subdistrict } : {}),
      ...(committee ? { committee } : {}),
    });
    return {
      ...filter,
      ...(district ? { districtCode: district } : {}),
      ...(subdistrict ? { subdistrictCode: subdistrict } : {}),
      ...(committee ? { committeeCode: committee } : {}),
    };
  }

  /** A person's name and phone, for a reason; the read is recorded before anything is answered. */
  async readPersonalData(actor: Actor, travellerId: string, reason: string): Promise<{ travellerId: string; name: string; phone: string; readAt: string }> {
    await this.migrate();
    const { state } = await this.streams.load(travellerId);
    if (!state.registered || !state.place) throw new NotFoundError(`Unknown traveller ${travellerId}`);
    const place = state.place;
    travellerHealthAccess.assert('readPersonalData', actor, placeScope(place));
    const found = await this.vault.latest(travellerId);
    if (found.status !== 'found') throw new RuleViolationError(Rule.personalDataErased, `The personal data of traveller ${travellerId} was erased`);
    const readAt = this.clock().toISOString();
    await this.db.query(
      `INSERT INTO th_personal_data_reads (traveller_id, district_code, subdistrict_code, committee_code, reader_id, reader_role, reason, read_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [travellerId, place.districtCode, place.subdistrictCode, place.committeeCode, actor.sub, actor.role, reason, readAt],
    );
    return { travellerId, name: found.data.name, phone: found.data.phone, readAt };
  }

  /** Who read whose personal data in a district, newest first. */
  async auditTrail(actor: Actor, districtCode: string, limit: number): Promise<PersonalDataReadRecord[]> {
    await this.migrate();
    travellerHealthAccess.assert('readAuditTrail', actor, { district: districtCode });
    const { rows } = await this.db.query<Record<string, string | Date>>(
      'SELECT * FROM th_personal_data_reads WHERE district_code = $1 ORDER BY read_id DESC LIMIT $2',
      [districtCode, limit],
    );
    return rows.map((r) => ({
      travellerId: String(r.traveller_id),
      districtCode: String(r.district_code),
      subdistrictCode: String(r.subdistrict_code),
      committeeCode: String(r.committee_code),
      readerId: String(r.reader_id),
      readerRole: String(r.reader_role),
      reason: String(r.reason),
      readAt: new Date(r.read_at as string).toISOString(),
    }));
  }
}
