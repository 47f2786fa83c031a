import {
  CITY_TIME_ZONE,
  type CanvassEvent,
  type CanvassEventType,
  type CanvassVisitRecorded,
  type SubdistrictRegistered,
  type UnitRegistered,
  type UnitRetired,
  type UnitSizeUpdated,
} from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import type { Projection } from '@city/projections';
import type { SqlExecutor } from '@city/sql';
import { claimUnprocessed, migrateOpsSchema, notifyChanged } from '../../read-model/ops-schema';
import { delta, doorstepServiceDeltas, gateShiftDeltas, visitDeltas, type DeltaPlace, type FigureDelta } from './canvass-deltas';
import { CanvassMetric } from './canvass-metrics';
import { CANVASS_TABLES, migrateCanvassSchema } from './canvass-schema';

export const CANVASS_PROJECTION_NAME = 'ops-canvass';

const HANDLED: readonly CanvassEventType[] = [
  'SubdistrictRegistered',
  'UnitRegistered',
  'UnitSizeUpdated',
  'UnitRetired',
  'CanvassVisitRecorded',
  'GateShiftEnded',
  'DoorstepServiceDelivered',
];

/**
 * Builds the canvass figures of the city and district read models
 * (see canvass-schema.ts for the tables and how "as of" is answered).
 *
 * `apply` runs inside the runner's transaction: it skips events already
 * applied (by event id), turns each new event into figure deltas, writes
 * facts, daily sums and totals in one statement, and NOTIFYs the districts it
 * changed, which PostgreSQL delivers only if the transaction commits.
 */
export class CanvassProjection implements Projection {
  readonly name = CANVASS_PROJECTION_NAME;
  readonly handles: string[] = [...HANDLED];

  async migrate(db: SqlExecutor): Promise<void> {
    await migrateOpsSchema(db);
    await migrateCanvassSchema(db);
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    const relevant = events.filter((e) => HANDLED.includes(e.type as CanvassEventType));
    const fresh = (await claimUnprocessed(tx, this.name, relevant)) as RecordedEvent<CanvassEvent>[];
    // Visits are most of the traffic: their side tables are written set-wise first. They touch
    // no table the other events read, so doing them ahead of the rest changes no outcome.
    const visitSides = await recordVisits(tx, fresh.filter(isVisit));
    const facts: FactRow[] = [];
    const districts = new Set<string>();
    for (const event of fresh) {
      const produced = isVisit(event) ? [...(visitSides.get(event.eventId) ?? []), ...visitDeltas(event.data)] : await this.applyOne(tx, event);
      produced.forEach((d, seq) => facts.push({ ...d, eventId: event.eventId, seq }));
      const district = (event.data as { districtCode?: unknown }).districtCode;
      if (typeof district === 'string') districts.add(district);
    }
    await writeFacts(tx, facts);
    await notifyChanged(tx, this.name, districts);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ${CANVASS_TABLES.join(', ')}, ops.subdistricts`);
    await tx.query(`DELETE FROM ops.processed_events WHERE projection = $1`, [this.name]);
  }

  /** Side tables for one event, and the figure deltas it causes. */
  private async applyOne(tx: SqlExecutor, event: RecordedEvent<CanvassEvent>): Promise<FigureDelta[]> {
    const e = { type: event.type, data: event.data } as CanvassEvent;
    switch (e.type) {
      case 'SubdistrictRegistered':
        await registerSubdistrict(tx, e.data);
        return [];
      case 'UnitRegistered':
        return registerUnit(tx, e.data);
      case 'UnitSizeUpdated':
        return updateUnitSize(tx, e.data);
      case 'UnitRetired':
        return retireUnit(tx, e.data);
      case 'CanvassVisitRecorded':
        throw new Error('Visits are applied set-wise by recordVisits');
      case 'GateShiftEnded':
        return gateShiftDeltas(e.data);
      case 'DoorstepServiceDelivered':
        return doorstepServiceDeltas(e.data);
      default:
        return [];
    }
  }
}

interface FactRow extends FigureDelta {
  readonly eventId: string;
  readonly seq: number;
}

/** Inserts the facts and adds them to the daily sums and the totals, in one statement. */
async function writeFacts(tx: SqlExecutor, facts: readonly FactRow[]): Promise<void> {
  if (facts.length === 0) return;
  const rows = facts.map((f) => ({
    event_id: f.eventId,
    seq: f.seq,
    metric: f.metric,
    dim: f.dim,
    occurred_at: f.occurredAt,
    district_code: f.districtCode,
    subdistrict_code: f.subdistrictCode,
    unit_kind: f.unitKind,
    value: f.value,
  }));
  await tx.query(
    `WITH input AS (
       SELECT r.*, (r.occurred_at AT TIME ZONE $2)::date AS day
       FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, seq smallint, metric text, dim text, occurred_at timestamptz,
                                               district_code text, subdistrict_code text, unit_kind text, value numeric)
     ),
     inserted AS (
       INSERT INTO ops.canvass_facts (event_id, seq, metric, dim, occurred_at, day, district_code, subdistrict_code, unit_kind, value)
       SELECT event_id, seq, metric, dim, occurred_at, day, district_code, subdistrict_code, unit_kind, value FROM input
       ON CONFLICT (event_id, seq) DO NOTHING
       RETURNING day, district_code, subdistrict_code, unit_kind, metric, dim, value
     ),
     daily AS (
       INSERT INTO ops.canvass_daily AS d (day, district_code, subdistrict_code, unit_kind, metric, dim, value)
       SELECT day, district_code, subdistrict_code, unit_kind, metric, dim, sum(value) FROM inserted
       GROUP BY day, district_code, subdistrict_code, unit_kind, metric, dim
       ON CONFLICT (day, district_code, subdistrict_code, unit_kind, metric, dim) DO UPDATE SET value = d.value + excluded.value
     )
     INSERT INTO ops.canvass_totals AS t (district_code, subdistrict_code, unit_kind, metric, dim, value)
     SELECT district_code, subdistrict_code, unit_kind, metric, dim, sum(value) FROM inserted
     GROUP BY district_code, subdistrict_code, unit_kind, metric, dim
     ON CONFLICT (district_code, subdistrict_code, unit_kind, metric, dim) DO UPDATE SET value = t.value + excluded.value`,
    [JSON.stringify(rows), CITY_TIME_ZONE],
  );
}

async function registerSubdistrict(tx: SqlExecutor, data: SubdistrictRegistered['data']): Promise<void> {
  await tx.query(
    `INSERT INTO ops.subdistricts (district_code, subdistrict_code, name, registered_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (district_code, subdistrict_code) DO UPDATE SET name = excluded.name`,
    [data.districtCode, data.subdistrictCode, data.name, data.registeredAt],
  );
}

async function registerUnit(tx: SqlExecutor, data: UnitRegistered['data']): Promise<FigureDelta[]> {
  const { rowCount } = await tx.query(
    `INSERT INTO ops.canvass_units (unit_id, kind, district_code, subdistrict_code, name, tenants, shops, households, registered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (unit_id) DO NOTHING`,
    [data.unitId, data.kind, data.districtCode, data.subdistrictCode, data.name, data.size.tenants, data.size.shops, data.size.households, data.registeredAt],
  );
  if (rowCount === 0) return []; // registered twice under different event ids: count it once
  const place: DeltaPlace = { ...data, occurredAt: data.registeredAt, unitKind: data.kind };
  return [delta(place, CanvassMetric.activeUnits, 1), delta(place, CanvassMetric.householdsRegistered, data.size.households)];
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
  return [delta({ ...data, occurredAt: data.updatedAt, unitKind: data.kind }, CanvassMetric.householdsRegistered, change)];
}

async function retireUnit(tx: SqlExecutor, data: UnitRetired['data']): Promise<FigureDelta[]> {
  const { rows } = await tx.query<{ households: number }>(
    `UPDATE ops.canvass_units SET retired_at = $2 WHERE unit_id = $1 AND retired_at IS NULL RETURNING households`,
    [data.unitId, data.retiredAt],
  );
  if (rows.length === 0) return []; // unknown or already retired: nothing active to remove
  const place: DeltaPlace = { ...data, occurredAt: data.retiredAt, unitKind: data.kind };
  return [delta(place, CanvassMetric.activeUnits, -1), delta(place, CanvassMetric.householdsRegistered, -rows[0].households)];
}

function isVisit(event: RecordedEvent<CanvassEvent>): event is RecordedEvent<CanvassVisitRecorded> {
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
    const { rows: neighbours } = await tx.query<{ i: number; prev: number | null; next_at: string | null }>(
      `WITH input AS (
         SELECT r.*, (r.visited_at AT TIME ZONE $2)::date AS day
         FROM jsonb_to_recordset($1::jsonb) AS r(i int, unit_id text, visited_at timestamptz, event_id text,
                                                 district_code text, subdistrict_code text, unit_kind text, people int)
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
           ORDER BY o.observed_at, o.event_id LIMIT 1) AS next_at
       FROM input`,
      [JSON.stringify(rows), CITY_TIME_ZONE],
    );
    for (const n of neighbours) {
      const visit = round[n.i];
      out.set(visit.eventId, observationDeltas(visit.data, n.prev ?? 0, n.next_at));
    }
  }
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
  const place: DeltaPlace = { ...data, occurredAt: data.visitedAt, unitKind: data.kind };
  const out = [delta(place, CanvassMetric.inHomeObservation, people - prev)];
  if (nextAt !== null) out.push(delta({ ...place, occurredAt: nextAt }, CanvassMetric.inHomeObservation, prev - people));
  return out;
}
