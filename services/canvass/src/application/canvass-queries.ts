import { canvassStreams, unitProfileOf, type ResponsibleOfficialAssigned, type UnitKind, type UnitProfile } from '@city/contracts';
import { foldEvents, NotFoundError, type EventStore, type RecordedEvent } from '@city/eventsourcing';
import { canvassAccess, requireOpenable, unitListingScopeOf } from '../domain/access-policy';
import type { Actor } from '../domain/command-context';
import { cityDayBounds, cityDayOf } from '../domain/city-time';
import { districtRegistryDecider, type DistrictRegistryEvent } from '../domain/district-registry.decider';
import { placeOf, unitDecider, type UnitEvent } from '../domain/unit.decider';
import type { CanvassReadModel, UnitSummary } from './canvass-read-model';

export interface MyUnit extends UnitSummary {
  /** Visited (by anyone) on the given city day. */
  readonly visitedToday: boolean;
  /** Not yet visited on the given city day: the official's work for the day. */
  readonly dueToday: boolean;
}

export interface MyUnits {
  readonly officialId: string;
  /** The city day (Asia/Shanghai) the answer is for. */
  readonly day: string;
  readonly total: number;
  readonly due: number;
  readonly units: readonly MyUnit[];
}

export interface UnitDetails extends UnitProfile {
  readonly status: 'active' | 'retired';
  readonly officialId: string | null;
  readonly visits: number;
  readonly doorstepServices: number;
  /** Stream version: send it back as `expectedVersion` to edit what you saw. */
  readonly version: number;
}

export interface HistoryEntry {
  readonly version: number;
  readonly type: string;
  readonly data: object;
  readonly recordedAt: string;
  /** Who issued the command (token subject and role). */
  readonly actorId?: string;
  readonly actorRole?: string;
}

export interface UnitHistory {
  readonly unitId: string;
  /** Version of the last event of the stream. */
  readonly version: number;
  readonly events: readonly HistoryEntry[];
}

export interface ResponsibilitySpan {
  readonly officialId: string;
  /** When the assignment took effect. */
  readonly from: string;
  /** When the next assignment replaced it; null while it holds. */
  readonly until: string | null;
}

export interface OfficialOnDay {
  readonly unitId: string;
  readonly on: string;
  /** Who answered for the unit at the end of that city day (null if nobody did yet). */
  readonly officialId: string | null;
  /** Everyone who answered for the unit at some moment of that day, in order. */
  readonly officials: readonly ResponsibilitySpan[];
}

export interface SubdistrictView {
  readonly subdistrictCode: string;
  readonly name: string;
}

/** The field app's own queries (not the operations-center dashboards). */
export class CanvassQueries {
  constructor(
    private readonly store: EventStore,
    private readonly readModel: CanvassReadModel,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The actor's units and which of them are still due today (a day in the city's time zone). */
  async myUnits(actor: Actor): Promise<MyUnits> {
    const day = cityDayOf(this.clock());
    await this.readModel.catchUp();
    const units = (await this.readModel.unitsOf(actor.sub)).map((u) => {
      const visitedToday = u.lastVisitDay === day;
      return { ...u, visitedToday, dueToday: !visitedToday };
    });
    return { officialId: actor.sub, day, total: units.length, due: units.filter((u) => u.dueToday).length, units };
  }

  /** Units of an area the actor may read. */
  async findUnits(
    actor: Actor,
    filter: { districtCode?: string; subdistrictCode?: string; kind?: UnitKind; officialId?: string; includeRetired?: boolean },
    limit: number,
  ): Promise<UnitSummary[]> {
    // A district-bound token reads its own district only.
    const districtCode = filter.districtCode ?? actor.district;
    canvassAccess.assert('listUnits', actor, districtCode === undefined ? {} : { district: districtCode });
    await this.readModel.catchUp();
    // Access rule 6: the list shows only the units the actor may open.
    const scope = unitListingScopeOf(actor);
    return this.readModel.findUnits(
      { ...filter, ...(districtCode === undefined ? {} : { districtCode }), ...(scope === 'all' ? {} : { openableBy: scope }) },
      limit,
    );
  }

  async unit(actor: Actor, unitId: string): Promise<UnitDetails> {
    const { recorded, state } = await this.loadUnit(actor, unitId);
    return {
      ...unitProfileOf(state.registration),
      size: state.size,
      status: state.status,
      officialId: state.officialId,
      visits: state.visits.size,
      doorstepServices: state.services.size,
      version: versionOf(recorded),
    };
  }

  async unitHistory(actor: Actor, unitId: string, page: { fromVersion?: number; limit?: number } = {}): Promise<UnitHistory> {
    const { recorded } = await this.loadUnit(actor, unitId);
    const from = page.fromVersion ?? 0;
    const events = recorded
      .filter((e) => e.streamVersion >= from)
      .slice(0, page.limit ?? 200)
      .map((e) => ({
        version: e.streamVersion,
        type: e.type,
        data: e.data,
        recordedAt: e.recordedAt,
        ...(e.metadata.actorId === undefined ? {} : { actorId: e.metadata.actorId }),
        ...(e.metadata.actorRole === undefined ? {} : { actorRole: e.metadata.actorRole }),
      }));
    return { unitId, version: versionOf(recorded), events };
  }

  /** Who answered for the unit on a city day, from the assignment history in its stream. */
  async officialOn(actor: Actor, unitId: string, day: string): Promise<OfficialOnDay> {
    const { recorded } = await this.loadUnit(actor, unitId);
    const { start, end } = cityDayBounds(day);
    const assignments = recorded.filter((e): e is RecordedEvent<ResponsibleOfficialAssigned> => e.type === 'ResponsibleOfficialAssigned').map((e) => e.data);
    const spans: ResponsibilitySpan[] = assignments.map((a, i) => ({
      officialId: a.officialId,
      from: a.assignedAt,
      until: assignments[i + 1]?.assignedAt ?? null,
    }));
    const officials = spans.filter((s) => Date.parse(s.from) < end && (s.until === null || Date.parse(s.until) > start));
    const atEnd = [...spans].reverse().find((s) => Date.parse(s.from) < end);
    return { unitId, on: day, officialId: atEnd?.officialId ?? null, officials };
  }

  /** The subdistricts a district has registered. */
  async subdistricts(districtCode: string): Promise<SubdistrictView[]> {
    const recorded = await this.store.readStream(canvassStreams.district(districtCode));
    const state = foldEvents(
      districtRegistryDecider,
      recorded.map((e) => ({ type: e.type, data: e.data }) as DistrictRegistryEvent),
    );
    if (state.status === 'empty') return [];
    return [...state.subdistricts.entries()].map(([subdistrictCode, name]) => ({ subdistrictCode, name }));
  }

  private async loadUnit(actor: Actor, unitId: string) {
    const recorded = await this.store.readStream(canvassStreams.unit(unitId));
    const state = foldEvents(
      unitDecider,
      recorded.map((e) => ({ type: e.type, data: e.data }) as UnitEvent),
    );
    if (state.status === 'unregistered') throw new NotFoundError(`Unknown unit ${unitId}`);
    requireOpenable(actor, placeOf(state), `Unknown unit ${unitId}`);
    return { recorded, state };
  }
}

/** Version of a stream's last event (the stream is known to have one). */
function versionOf(recorded: readonly RecordedEvent[]): number {
  return recorded[recorded.length - 1].streamVersion;
}
