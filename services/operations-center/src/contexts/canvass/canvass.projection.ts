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
    const fresh = await claimUnprocessed(tx, this.name, relevant);
    const facts: FactRow[] = [];
    const districts = new Set<string>();
    for (const event of fresh) {
      const produced = await this.applyOne(tx, event as RecordedEvent<CanvassEvent>);
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
        return [...(await recordVisit(tx, event.eventId, e.data)), ...visitDeltas(e.data)];
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

/**
 * One statement per visit (it is the most frequent event):
 * - marks the unit canvassed on the visit's city day, keeping the earliest
 *   visit of the day (a second visit the same day counts once);
 * - keeps the visit's count of people in home observation and reads its
 *   neighbours in time (the statement sees the table as it was before it).
 *
 * People in home observation is a level per unit: the count its latest visit
 * found. The city figure is the sum over units, kept as deltas: this visit adds
 * (its count − the previous visit's). A late visit that lands before an
 * already-recorded one also corrects that later visit's delta.
 */
async function recordVisit(tx: SqlExecutor, eventId: string, data: CanvassVisitRecorded['data']): Promise<FigureDelta[]> {
  const people = data.findings.inHomeObservation;
  const { rows } = await tx.query<{ prev: number | null; next_at: string | null }>(
    `WITH visit_day AS (
       INSERT INTO ops.canvass_visit_days (unit_id, day, district_code, subdistrict_code, unit_kind, first_visited_at, visits)
       VALUES ($1, ($2::timestamptz AT TIME ZONE $7)::date, $4, $5, $6, $2, 1)
       ON CONFLICT (unit_id, day) DO UPDATE
         SET first_visited_at = LEAST(ops.canvass_visit_days.first_visited_at, excluded.first_visited_at),
             visits = ops.canvass_visit_days.visits + 1
     ),
     observation AS (
       INSERT INTO ops.canvass_observations (unit_id, observed_at, event_id, people) VALUES ($1, $2, $3, $8)
       ON CONFLICT DO NOTHING
     )
     SELECT
       (SELECT people FROM ops.canvass_observations
         WHERE unit_id = $1 AND (observed_at, event_id) < ($2::timestamptz, $3)
         ORDER BY observed_at DESC, event_id DESC LIMIT 1) AS prev,
       (SELECT to_json(observed_at) #>> '{}' FROM ops.canvass_observations
         WHERE unit_id = $1 AND (observed_at, event_id) > ($2::timestamptz, $3)
         ORDER BY observed_at, event_id LIMIT 1) AS next_at`,
    [data.unitId, data.visitedAt, eventId, data.districtCode, data.subdistrictCode, data.kind, CITY_TIME_ZONE, people],
  );
  const prev = rows[0]?.prev ?? 0;
  const nextAt = rows[0]?.next_at ?? null;
  if (people === prev) return [];
  const place: DeltaPlace = { ...data, occurredAt: data.visitedAt, unitKind: data.kind };
  const out = [delta(place, CanvassMetric.inHomeObservation, people - prev)];
  if (nextAt !== null) out.push(delta({ ...place, occurredAt: nextAt }, CanvassMetric.inHomeObservation, prev - people));
  return out;
}
