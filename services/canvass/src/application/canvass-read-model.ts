import { CANVASS_STREAM_PREFIX, unitProfileOf, type CanvassEvent, type UnitKind, type UnitProfile, type UnitRegistered, type UnitSize } from '@city/contracts';
import type { EventStore, RecordedEvent } from '@city/eventsourcing';
import { StoreReadModel, type Projection, type ProjectionObserver } from '@city/projections';
import type { SqlDatabase, SqlExecutor } from '@city/sql';
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

export interface UnitFilter {
  readonly districtCode?: string;
  readonly subdistrictCode?: string;
  readonly kind?: UnitKind;
  readonly officialId?: string;
  readonly includeRetired?: boolean;
  /** Only the units of this subdistrict and those this official answers for (a field official's listing). */
  readonly openableBy?: { readonly officialId: string; readonly subdistrictCode?: string };
}

/** Event types the read model applies, listed once: the runner filters out the rest. */
const HANDLED = [
  'UnitRegistered',
  'UnitSizeUpdated',
  'UnitRetired',
  'ResponsibleOfficialAssigned',
  'CanvassVisitRecorded',
  'DoorstepServiceDelivered',
  'GateShiftStarted',
  'GateShiftEnded',
] as const satisfies readonly CanvassEvent['type'][];
type HandledEvent = Extract<CanvassEvent, { type: (typeof HANDLED)[number] }>;
/** Reference data: read from the district stream itself. */
type Ignored = 'SubdistrictRegistered';
// Fails to compile when the contract gains an event type this read model neither handles nor ignores on purpose.
const everyTypeDecided: Exclude<CanvassEvent['type'], HandledEvent['type'] | Ignored> extends never ? true : never = true;
void everyTypeDecided;

/** Name of its checkpoint in `projection_positions`. */
export const CANVASS_READ_MODEL = 'canvass-service';

/**
 * The tables behind the field app's queries and the gate-duty rules: units
 * ("my units", units of an area) and gate shifts by official. Applied inside
 * the read model's transaction, with its checkpoint.
 */
export class CanvassReadModelProjection implements Projection {
  readonly name = CANVASS_READ_MODEL;
  readonly handles: readonly string[] = HANDLED;

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS canvass_units (
      unit_id text PRIMARY KEY,
      profile jsonb NOT NULL,
      kind text NOT NULL,
      name text NOT NULL,
      district_code text NOT NULL,
      subdistrict_code text NOT NULL,
      status text NOT NULL,
      official_id text,
      last_visited_at text,
      last_visited_ms bigint,
      last_visit_day text,
      version integer NOT NULL
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS canvass_units_official ON canvass_units (official_id)');
    await db.query('CREATE INDEX IF NOT EXISTS canvass_units_area ON canvass_units (district_code, subdistrict_code)');
    await db.query(`CREATE TABLE IF NOT EXISTS canvass_gate_shifts (
      shift_id text PRIMARY KEY,
      official_id text NOT NULL,
      unit_id text NOT NULL,
      gate text NOT NULL,
      started_at text NOT NULL,
      ended_at text,
      started_position bigint NOT NULL
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS canvass_gate_shifts_official ON canvass_gate_shifts (official_id)');
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE canvass_units, canvass_gate_shifts');
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    // Visits are nearly every event: a run of them becomes one statement.
    let visits: RecordedEvent[] = [];
    for (const recorded of events) {
      if (recorded.type === 'CanvassVisitRecorded') {
        visits.push(recorded);
        continue;
      }
      if (visits.length > 0) await this.applyVisits(tx, visits);
      visits = [];
      await this.applyOne(tx, recorded, { type: recorded.type, data: recorded.data } as HandledEvent);
    }
    if (visits.length > 0) await this.applyVisits(tx, visits);
  }

  private async applyOne(tx: SqlExecutor, recorded: RecordedEvent, event: HandledEvent): Promise<void> {
    const version = recorded.streamVersion;
    switch (event.type) {
      case 'UnitRegistered': {
        const profile = unitProfileOf(event.data);
        await tx.query(
          `INSERT INTO canvass_units (unit_id, profile, kind, name, district_code, subdistrict_code, status, version)
           VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)
           ON CONFLICT (unit_id) DO UPDATE SET profile = EXCLUDED.profile, kind = EXCLUDED.kind, name = EXCLUDED.name,
             district_code = EXCLUDED.district_code, subdistrict_code = EXCLUDED.subdistrict_code, status = 'active',
             official_id = NULL, last_visited_at = NULL, last_visited_ms = NULL, last_visit_day = NULL, version = EXCLUDED.version`,
          [profile.unitId, JSON.stringify(profile), profile.kind, profile.name, profile.districtCode, profile.subdistrictCode, version],
        );
        return;
      }
      case 'UnitSizeUpdated':
        await tx.query(`UPDATE canvass_units SET profile = jsonb_set(profile, '{size}', $2::jsonb), version = $3 WHERE unit_id = $1`, [
          event.data.unitId,
          JSON.stringify({ tenants: event.data.size.tenants, shops: event.data.size.shops, households: event.data.size.households }),
          version,
        ]);
        return;
      case 'UnitRetired':
        await tx.query(`UPDATE canvass_units SET status = 'retired', version = $2 WHERE unit_id = $1`, [event.data.unitId, version]);
        return;
      case 'ResponsibleOfficialAssigned':
        await tx.query('UPDATE canvass_units SET official_id = $2, version = $3 WHERE unit_id = $1', [event.data.unitId, event.data.officialId, version]);
        return;
      case 'CanvassVisitRecorded':
        return this.applyVisits(tx, [recorded]);
      case 'DoorstepServiceDelivered':
        await tx.query('UPDATE canvass_units SET version = $2 WHERE unit_id = $1', [event.data.unitId, version]);
        return;
      case 'GateShiftStarted': {
        const d = event.data;
        await tx.query(
          `INSERT INTO canvass_gate_shifts (shift_id, official_id, unit_id, gate, started_at, ended_at, started_position)
           VALUES ($1, $2, $3, $4, $5, NULL, $6)
           ON CONFLICT (shift_id) DO UPDATE SET official_id = EXCLUDED.official_id, unit_id = EXCLUDED.unit_id, gate = EXCLUDED.gate,
             started_at = EXCLUDED.started_at, ended_at = NULL`,
          [d.shiftId, d.officialId, d.unitId, d.gate, d.startedAt, recorded.globalPosition.toString()],
        );
        return;
      }
      case 'GateShiftEnded':
        await tx.query('UPDATE canvass_gate_shifts SET ended_at = $3 WHERE shift_id = $1 AND official_id = $2', [
          event.data.shiftId,
          event.data.officialId,
          event.data.endedAt,
        ]);
        return;
      default: {
        const unhandled: never = event;
        throw new Error(`Unhandled canvass event ${(unhandled as { type: string }).type}`);
      }
    }
  }

  /**
   * Visits commute: the latest reported time wins and the version is the
   * stream's newest, so a run of them is folded per unit first.
   */
  private async applyVisits(tx: SqlExecutor, visits: readonly RecordedEvent[]): Promise<void> {
    const byUnit = new Map<string, { at: string; ms: number; version: number }>();
    for (const recorded of visits) {
      const { unitId, visitedAt } = recorded.data as { unitId: string; visitedAt: string };
      const ms = Date.parse(visitedAt);
      const seen = byUnit.get(unitId);
      if (!seen) byUnit.set(unitId, { at: visitedAt, ms, version: recorded.streamVersion });
      else {
        if (ms > seen.ms) Object.assign(seen, { at: visitedAt, ms });
        seen.version = Math.max(seen.version, recorded.streamVersion);
      }
    }
    const units = [...byUnit.entries()];
    await tx.query(
      `UPDATE canvass_units u
          SET version = v.version,
              last_visited_at = CASE WHEN u.last_visited_ms IS NULL OR v.ms > u.last_visited_ms THEN v.at ELSE u.last_visited_at END,
              last_visit_day = CASE WHEN u.last_visited_ms IS NULL OR v.ms > u.last_visited_ms THEN v.day ELSE u.last_visit_day END,
              last_visited_ms = CASE WHEN u.last_visited_ms IS NULL OR v.ms > u.last_visited_ms THEN v.ms ELSE u.last_visited_ms END
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::integer[]) AS v(unit_id, at, ms, day, version)
        WHERE u.unit_id = v.unit_id`,
      [units.map(([id]) => id), units.map(([, v]) => v.at), units.map(([, v]) => v.ms), units.map(([, v]) => cityDayOf(v.at)), units.map(([, v]) => v.version)],
    );
  }
}

interface UnitRow {
  profile: UnitRegistered['data'];
  status: 'active' | 'retired';
  official_id: string | null;
  last_visited_at: string | null;
  last_visit_day: string | null;
  version: number;
}

const UNIT_COLUMNS = 'profile, status, official_id, last_visited_at, last_visit_day, version';

export interface CanvassReadModelOptions {
  readonly store: EventStore;
  readonly db: SqlDatabase;
  readonly observer?: ProjectionObserver;
  readonly onError?: (error: Error) => void;
}

/**
 * The service's own read model for the queries the field app needs ("my
 * units", units of an area) and the gate-duty rules (an official's shifts), in
 * SQL tables with a checkpoint (see `StoreReadModel`). Callers that must see
 * every completed command call `catchUp()` first, as before.
 */
export class CanvassReadModel {
  private readonly model: StoreReadModel;

  constructor(private readonly options: CanvassReadModelOptions) {
    this.model = new StoreReadModel({
      store: options.store,
      db: options.db,
      projection: new CanvassReadModelProjection(),
      streamPrefix: CANVASS_STREAM_PREFIX,
      ...(options.observer ? { observer: options.observer } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  /** Catches up in the background; queries wait for their own position. */
  start(): void {
    this.model.start();
  }

  /** Resolves when the catch-up begun by `start()` is done. */
  whenStarted(): Promise<void> {
    return this.model.whenStarted();
  }

  stop(): Promise<void> {
    return this.model.stop();
  }

  /** Resolves once every canvass event committed before the call is applied. */
  catchUp(): Promise<void> {
    return this.model.catchUp();
  }

  /** Active units the official answers for, by name. */
  async unitsOf(officialId: string): Promise<UnitSummary[]> {
    const { rows } = await this.options.db.query<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM canvass_units WHERE official_id = $1 AND status = 'active'`, [
      officialId,
    ]);
    return rows.map(toSummary).sort(byName);
  }

  /** Units matching a filter, by name; at most `limit`. */
  async findUnits(filter: UnitFilter, limit: number): Promise<UnitSummary[]> {
    const { rows } = await this.options.db.query<UnitRow>(
      `SELECT ${UNIT_COLUMNS} FROM canvass_units
        WHERE ($1::text IS NULL OR district_code = $1) AND ($2::text IS NULL OR subdistrict_code = $2) AND ($3::text IS NULL OR kind = $3)
          AND ($4::text IS NULL OR official_id = $4) AND ($5::boolean OR status = 'active')
          AND ($6::text IS NULL OR official_id = $6 OR subdistrict_code = $7)`,
      [
        filter.districtCode ?? null,
        filter.subdistrictCode ?? null,
        filter.kind ?? null,
        filter.officialId ?? null,
        filter.includeRetired === true,
        filter.openableBy?.officialId ?? null,
        filter.openableBy?.subdistrictCode ?? null,
      ],
    );
    // Sorted here, not in SQL: the order is JavaScript's localeCompare, as the API has always answered.
    return rows.map(toSummary).sort(byName).slice(0, limit);
  }

  /** Every gate shift of the official, ended or not, in the order they started. */
  async shiftsOf(officialId: string): Promise<ShiftSummary[]> {
    const { rows } = await this.options.db.query<{
      shift_id: string;
      unit_id: string;
      gate: string;
      official_id: string;
      started_at: string;
      ended_at: string | null;
    }>('SELECT shift_id, unit_id, gate, official_id, started_at, ended_at FROM canvass_gate_shifts WHERE official_id = $1 ORDER BY started_position', [
      officialId,
    ]);
    return rows.map((r) => ({ shiftId: r.shift_id, unitId: r.unit_id, gate: r.gate, officialId: r.official_id, startedAt: r.started_at, endedAt: r.ended_at }));
  }
}

function toSummary(row: UnitRow): UnitSummary {
  return {
    ...unitProfileOf(row.profile),
    status: row.status,
    officialId: row.official_id,
    lastVisitedAt: row.last_visited_at,
    lastVisitDay: row.last_visit_day,
    version: Number(row.version),
  };
}

function byName(a: UnitSummary, b: UnitSummary): number {
  return a.name.localeCompare(b.name) || a.unitId.localeCompare(b.unitId);
}
