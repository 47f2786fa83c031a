import { CITY_TIME_ZONE, type CanvassEvent, type CanvassVisitRecorded, type UnitRegistered, type UnitRetired, type UnitSizeUpdated } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import type { SqlExecutor } from '@city/sql';
import { FigureProjection, unhandledEvent } from '../../read-model/figures/figure-projection';
import type { FigureDelta } from '../../read-model/figures/figure-store';
import { delta, doorstepServiceDeltas, gateShiftDeltas, visitDeltas, type DeltaPlace } from './canvass-deltas';
import { CanvassMetric } from './canvass-metrics';
import { CANVASS_TABLES, migrateCanvassSchema } from './canvass-schema';

export const CANVASS_PROJECTION_NAME = 'ops-canvass';
/** The key of canvass in the figure tables and in every answer. */
export const CANVASS_CONTEXT = 'canvass';

/** The canvass events the operations center counts (subdistrict registrations go to the reference data). */
const HANDLED = ['UnitRegistered', 'UnitSizeUpdated', 'UnitRetired', 'CanvassVisitRecorded', 'GateShiftEnded', 'DoorstepServiceDelivered'] as const;
type Handled = Extract<CanvassEvent, { type: (typeof HANDLED)[number] }>;

/**
 * The canvass figures of the city and district read models, in the shared
 * figure storage (read-model/figures/), plus the side tables of canvass-schema.ts.
 */
export class CanvassProjection extends FigureProjection<Handled> {
  constructor() {
    super({
      name: CANVASS_PROJECTION_NAME,
      context: CANVASS_CONTEXT,
      handles: HANDLED,
      sideTables: { tables: CANVASS_TABLES, migrate: migrateCanvassSchema },
      deltas: canvassDeltas,
    });
  }
}

/** Side tables for each event, and the figure deltas it causes. */
async function canvassDeltas(tx: SqlExecutor, events: readonly RecordedEvent<Handled>[]): Promise<FigureDelta[][]> {
  // Visits are most of the traffic: their side tables are written set-wise first. They touch
  // no table the other events read, so doing them ahead of the rest changes no outcome.
  const visitSides = await recordVisits(tx, events.filter(isVisit));
  const out: FigureDelta[][] = [];
  for (const event of events) {
    const e = { type: event.type, data: event.data } as Handled;
    switch (e.type) {
      case 'UnitRegistered':
        out.push(await registerUnit(tx, e.data));
        break;
      case 'UnitSizeUpdated':
        out.push(await updateUnitSize(tx, e.data));
        break;
      case 'UnitRetired':
        out.push(await retireUnit(tx, e.data));
        break;
      case 'CanvassVisitRecorded':
        out.push([...(visitSides.get(event.eventId) ?? []), ...visitDeltas(e.data)]);
        break;
      case 'GateShiftEnded':
        out.push(gateShiftDeltas(e.data));
        break;
      case 'DoorstepServiceDelivered':
        out.push(doorstepServiceDeltas(e.data));
        break;
      default:
        return unhandledEvent(e);
    }
  }
  return out;
}

async function registerUnit(tx: SqlExecutor, data: UnitRegistered['data']): Promise<FigureDelta[]> {
  const { rowCount } = await tx.query(
    `INSERT INTO ops.canvass_units (unit_id, kind, district_code, subdistrict_code, name, tenants, shops, households, registered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (unit_id) DO NOTHING`,
    [data.unitId, data.kind, data.districtCode, data.subdistrictCode, data.name, data.size.tenants, data.size.shops, data.size.households, data.registeredAt],
  );
  if (rowCount === 0) return []; // registered twice under different event ids: count it once
  const place: DeltaPlace = { ...data, occurredAt: data.registeredAt };
  return [delta(place, CanvassMetric.activeUnits, 1, data.kind), delta(place, CanvassMetric.householdsRegistered, data.size.households)];
}

async function updateUnitSize(tx: SqlExecutor, data: UnitSizeUpdated['data']): Promise<FigureDelta[]> {
  const { rows } = await tx.query<{ households: number; retired: boolean }>(
    `SELECT households, retired_at IS NOT NULL AS retired FROM ops.canvass_units WHERE unit_id = $1 FOR UPDATE`,
    [data.unitId],
  );
  if (rows.length === 0) return []; // size of a unit this read model never saw registered
  await tx.query(`UPDATE ops.canvass_units SET tenants = $2, shops = $3, households = $4 WHERE unit_id = $1`, [
    data.unitId,
    data.size.tenants,
    data.size.shops,
    data.size.households,
  ]);
  const change = data.size.households - rows[0].households;
  if (rows[0].retired || change === 0) return [];
  return [delta({ ...data, occurredAt: data.updatedAt }, CanvassMetric.householdsRegistered, change)];
}

async function retireUnit(tx: SqlExecutor, data: UnitRetired['data']): Promise<FigureDelta[]> {
  const { rows } = await tx.query<{ households: number }>(
    `UPDATE ops.canvass_units SET retired_at = $2 WHERE unit_id = $1 AND retired_at IS NULL RETURNING households`,
    [data.unitId, data.retiredAt],
  );
  if (rows.length === 0) return []; // unknown or already retired: nothing active to remove
  const place: DeltaPlace = { ...data, occurredAt: data.retiredAt };
  return [delta(place, CanvassMetric.activeUnits, -1, data.kind), delta(place, CanvassMetric.householdsRegistered, -rows[0].households)];
}

function isVisit(event: RecordedEvent<Handled>): event is RecordedEvent<CanvassVisitRecorded> {
  return event.type === 'CanvassVisitRecorded';
}

/**
 * The side tables of a batch of visits, one statement per round, where a round
 * holds at most one visit per unit (round k: each unit's k-th visit in the
 * batch), so most batches take one statement. Per visit, the statement:
 * - marks the unit canvassed on the visit's city day, keeping the earliest
 *   visit of the day (a second visit the same day counts once);
 * - keeps the visit's count of people in home observation and reads its
 *   neighbours in time (the statement sees the table as it was before it,
 *   which is why one unit's visits go in successive rounds).
 *
 * People in home observation is a level per unit: the count its latest visit
 * found. The city figure is the sum over units, kept as deltas: this visit adds
 * (its count − the previous visit's). A late visit that lands before an
 * already-recorded one also corrects that later visit's delta.
 *
 * Units canvassed on a day are deltas too: +1 at a unit's first visit of the
 * day; a late visit before that first one moves the +1 to its own time (−1 at
 * the old first visit), so "as of T" counts the units visited by T.
 *
 * Returns the deltas of each visit by event id.
 */
async function recordVisits(tx: SqlExecutor, visits: readonly RecordedEvent<CanvassVisitRecorded>[]): Promise<Map<string, FigureDelta[]>> {
  const out = new Map<string, FigureDelta[]>();
  for (const round of roundsByUnit(visits)) {
    const rows = round.map((v, i) => ({
      i,
      unit_id: v.data.unitId,
      visited_at: v.data.visitedAt,
      event_id: v.eventId,
      district_code: v.data.districtCode,
      subdistrict_code: v.data.subdistrictCode,
      unit_kind: v.data.kind,
      people: v.data.findings.inHomeObservation,
    }));
    const { rows: neighbours } = await tx.query<{ i: number; prev: number | null; next_at: string | null; first: FirstVisit | null }>(
      `WITH input AS (
         SELECT r.*, (r.visited_at AT TIME ZONE $2)::date AS day
         FROM jsonb_to_recordset($1::jsonb) AS r(i int, unit_id text, visited_at timestamptz, event_id text,
                                                 district_code text, subdistrict_code text, unit_kind text, people int)
       ),
       prior AS (
         SELECT v.unit_id, v.day, v.first_visited_at, v.district_code, v.subdistrict_code, v.unit_kind
         FROM ops.canvass_visit_days v JOIN input USING (unit_id, day)
       ),
       visit_day AS (
         INSERT INTO ops.canvass_visit_days AS v (unit_id, day, district_code, subdistrict_code, unit_kind, first_visited_at, visits)
         SELECT unit_id, day, district_code, subdistrict_code, unit_kind, visited_at, 1 FROM input
         ON CONFLICT (unit_id, day) DO UPDATE
           SET first_visited_at = LEAST(v.first_visited_at, excluded.first_visited_at),
               visits = v.visits + 1
       ),
       observation AS (
         INSERT INTO ops.canvass_observations (unit_id, observed_at, event_id, people)
         SELECT unit_id, visited_at, event_id, people FROM input
         ON CONFLICT DO NOTHING
       )
       SELECT input.i,
         (SELECT o.people FROM ops.canvass_observations o
           WHERE o.unit_id = input.unit_id AND (o.observed_at, o.event_id) < (input.visited_at, input.event_id)
           ORDER BY o.observed_at DESC, o.event_id DESC LIMIT 1) AS prev,
         (SELECT to_json(o.observed_at) #>> '{}' FROM ops.canvass_observations o
           WHERE o.unit_id = input.unit_id AND (o.observed_at, o.event_id) > (input.visited_at, input.event_id)
           ORDER BY o.observed_at, o.event_id LIMIT 1) AS next_at,
         CASE WHEN prior.unit_id IS NULL OR prior.first_visited_at > input.visited_at THEN json_build_object(
           'was', to_json(prior.first_visited_at) #>> '{}',
           'districtCode', coalesce(prior.district_code, input.district_code),
           'subdistrictCode', coalesce(prior.subdistrict_code, input.subdistrict_code),
           'kind', coalesce(prior.unit_kind, input.unit_kind)) END AS first
       FROM input LEFT JOIN prior USING (unit_id, day)`,
      [JSON.stringify(rows), CITY_TIME_ZONE],
    );
    for (const n of neighbours) {
      const visit = round[n.i];
      out.set(visit.eventId, [...firstVisitDeltas(visit.data.visitedAt, n.first), ...observationDeltas(visit.data, n.prev ?? 0, n.next_at)]);
    }
  }
  return out;
}

/** A visit that is now its unit's first of the day: where the unit's row counts, and the first visit it replaces. */
interface FirstVisit {
  readonly was: string | null;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly kind: string;
}

/** The unit counts as canvassed from this visit on; from the replaced first visit no longer. */
function firstVisitDeltas(visitedAt: string, first: FirstVisit | null): FigureDelta[] {
  if (first === null) return [];
  const out = [delta({ ...first, occurredAt: visitedAt }, CanvassMetric.unitsCanvassed, 1, first.kind)];
  if (first.was !== null) out.push(delta({ ...first, occurredAt: first.was }, CanvassMetric.unitsCanvassed, -1, first.kind));
  return out;
}

/** Splits visits into rounds with at most one visit per unit, keeping each unit's visits in order. */
function roundsByUnit<V extends RecordedEvent<CanvassVisitRecorded>>(visits: readonly V[]): V[][] {
  const rounds: V[][] = [];
  const seen = new Map<string, number>();
  for (const visit of visits) {
    const k = seen.get(visit.data.unitId) ?? 0;
    seen.set(visit.data.unitId, k + 1);
    (rounds[k] ??= []).push(visit);
  }
  return rounds;
}

/** The change a visit makes to people in home observation, given the counts of its neighbours in time. */
function observationDeltas(data: CanvassVisitRecorded['data'], prev: number, nextAt: string | null): FigureDelta[] {
  const people = data.findings.inHomeObservation;
  if (people === prev) return [];
  const place: DeltaPlace = { ...data, occurredAt: data.visitedAt };
  const out = [delta(place, CanvassMetric.inHomeObservation, people - prev)];
  if (nextAt !== null) out.push(delta({ ...place, occurredAt: nextAt }, CanvassMetric.inHomeObservation, prev - people));
  return out;
}
