import { CANVASS_EVENT_TYPES, CANVASS_STREAM_PREFIX, unitProfileOf, type CanvassEvent, type UnitKind, type UnitProfile, type UnitSize } from '@city/contracts';
import type { EventStore, RecordedEvent } from '@city/eventsourcing';
import { cityDayOf } from '../domain/city-time';
import type { OfficialShift } from '../domain/gate-shift.decider';

/** A unit as the field app lists it. */
export interface UnitSummary extends Omit<UnitProfile, 'size'> {
  size: UnitSize;
  status: 'active' | 'retired';
  officialId: string | null;
  /** Latest visit time reported by a phone, and its city day. */
  lastVisitedAt: string | null;
  lastVisitDay: string | null;
  version: number;
}

export interface ShiftSummary extends OfficialShift {
  readonly unitId: string;
  readonly gate: string;
  readonly officialId: string;
}

/**
 * The service's own small read model for the queries the field app needs
 * ("my units", units of an area, an official's gate shifts). It lives in
 * memory and catches up from the store's global log (canvass streams only)
 * before every query, so a query always sees every command that completed
 * before it started, on this instance or any other sharing the store.
 *
 * It is rebuilt from the log at start-up; that suits the canvass context's
 * size (tens of thousands of units). A larger deployment would move it into
 * PostgreSQL tables with the projection runner.
 */
export class CanvassReadModel {
  private position = 0n;
  private running?: Promise<void>;
  private queued?: Promise<void>;
  private readonly units = new Map<string, UnitSummary>();
  private readonly unitsByOfficial = new Map<string, Set<string>>();
  private readonly shiftsByOfficial = new Map<string, Map<string, ShiftSummary>>();

  constructor(
    private readonly store: EventStore,
    private readonly pageSize = 1000,
  ) {}

  /**
   * Applies every canvass event committed before the call. One pass reads at a
   * time; callers that arrive during a pass share the single pass queued after
   * it (which starts after their call, so it sees their commits).
   */
  catchUp(): Promise<void> {
    if (!this.running) {
      this.running = this.readToHead().finally(() => (this.running = undefined));
      return this.running;
    }
    if (!this.queued) {
      this.queued = this.running
        .catch(() => undefined)
        .then(() => {
          this.queued = undefined;
          return this.catchUp();
        });
    }
    return this.queued;
  }

  unit(unitId: string): UnitSummary | undefined {
    return this.units.get(unitId);
  }

  /** Active units the official answers for, by name. */
  unitsOf(officialId: string): UnitSummary[] {
    const ids = this.unitsByOfficial.get(officialId) ?? new Set<string>();
    return [...ids]
      .map((id) => this.units.get(id))
      .filter((u): u is UnitSummary => u !== undefined && u.status === 'active')
      .sort(byName);
  }

  /** Units matching a filter, by name; at most `limit`. */
  findUnits(filter: { districtCode?: string; subdistrictCode?: string; kind?: UnitKind; officialId?: string; includeRetired?: boolean }, limit: number): UnitSummary[] {
    const found: UnitSummary[] = [];
    for (const u of this.units.values()) {
      if (filter.districtCode !== undefined && u.districtCode !== filter.districtCode) continue;
      if (filter.subdistrictCode !== undefined && u.subdistrictCode !== filter.subdistrictCode) continue;
      if (filter.kind !== undefined && u.kind !== filter.kind) continue;
      if (filter.officialId !== undefined && u.officialId !== filter.officialId) continue;
      if (!filter.includeRetired && u.status === 'retired') continue;
      found.push(u);
    }
    return found.sort(byName).slice(0, limit);
  }

  /** Every gate shift of the official, ended or not. */
  shiftsOf(officialId: string): ShiftSummary[] {
    return [...(this.shiftsByOfficial.get(officialId)?.values() ?? [])];
  }

  private async readToHead(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.position, limit: this.pageSize, streamPrefix: CANVASS_STREAM_PREFIX });
      for (const recorded of page) {
        this.apply(recorded);
        this.position = recorded.globalPosition;
      }
      if (page.length < this.pageSize) return;
    }
  }

  private apply(recorded: RecordedEvent): void {
    if (!(CANVASS_EVENT_TYPES as readonly string[]).includes(recorded.type)) return;
    const event = { type: recorded.type, data: recorded.data } as CanvassEvent;
    switch (event.type) {
      case 'UnitRegistered': {
        const d = event.data;
        this.units.set(d.unitId, {
          ...unitProfileOf(d),
          status: 'active',
          officialId: null,
          lastVisitedAt: null,
          lastVisitDay: null,
          version: recorded.streamVersion,
        });
        return;
      }
      case 'UnitSizeUpdated':
        return this.updateUnit(event.data.unitId, recorded, (u) => (u.size = event.data.size));
      case 'UnitRetired':
        return this.updateUnit(event.data.unitId, recorded, (u) => (u.status = 'retired'));
      case 'ResponsibleOfficialAssigned':
        return this.updateUnit(event.data.unitId, recorded, (u) => {
          if (u.officialId !== null) this.unitsByOfficial.get(u.officialId)?.delete(u.unitId);
          u.officialId = event.data.officialId;
          const mine = this.unitsByOfficial.get(u.officialId) ?? new Set<string>();
          mine.add(u.unitId);
          this.unitsByOfficial.set(u.officialId, mine);
        });
      case 'CanvassVisitRecorded':
        return this.updateUnit(event.data.unitId, recorded, (u) => {
          const at = event.data.visitedAt;
          if (u.lastVisitedAt === null || Date.parse(at) > Date.parse(u.lastVisitedAt)) {
            u.lastVisitedAt = at;
            u.lastVisitDay = cityDayOf(at);
          }
        });
      case 'DoorstepServiceDelivered':
        return this.updateUnit(event.data.unitId, recorded, () => undefined);
      case 'GateShiftStarted': {
        const d = event.data;
        const shifts = this.shiftsByOfficial.get(d.officialId) ?? new Map<string, ShiftSummary>();
        shifts.set(d.shiftId, { shiftId: d.shiftId, unitId: d.unitId, gate: d.gate, officialId: d.officialId, startedAt: d.startedAt, endedAt: null });
        this.shiftsByOfficial.set(d.officialId, shifts);
        return;
      }
      case 'GateShiftEnded': {
        const d = event.data;
        const shift = this.shiftsByOfficial.get(d.officialId)?.get(d.shiftId);
        if (shift) this.shiftsByOfficial.get(d.officialId)?.set(d.shiftId, { ...shift, endedAt: d.endedAt });
        return;
      }
      case 'SubdistrictRegistered':
        return; // reference data is read from the district stream itself
      default:
        return;
    }
  }

  private updateUnit(unitId: string, recorded: RecordedEvent, change: (unit: UnitSummary) => void): void {
    const unit = this.units.get(unitId);
    if (!unit) return;
    change(unit);
    unit.version = recorded.streamVersion;
  }
}

function byName(a: UnitSummary, b: UnitSummary): number {
  return a.name.localeCompare(b.name) || a.unitId.localeCompare(b.unitId);
}
