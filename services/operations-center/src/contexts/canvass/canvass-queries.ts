import type { SqlExecutor } from '@city/sql';
import type { AsOf } from '../../read-model/as-of';
import type { FigureCell, VisitedCell } from './canvass-figures';
import { LEVEL_METRICS } from './canvass-metrics';

/** The column a query groups by. Fixed strings only: never interpolate input. */
export type AreaColumn = 'district_code' | 'subdistrict_code';

interface CellRow {
  area: string;
  unit_kind: string;
  metric: string;
  dim: string;
  total: number;
  today: number;
}

/**
 * Summed figure cells per area and unit kind, as of `at`.
 * Live: running totals plus today's daily sums.
 * Past instant T: daily sums of the days before T's day, plus T's day's facts up to T.
 */
export async function loadFigureCells(db: SqlExecutor, at: AsOf, by: AreaColumn, district: string | null): Promise<FigureCell[]> {
  const sql = at.live
    ? `SELECT ${by} AS area, unit_kind, metric, dim, sum(total)::float8 AS total, sum(today)::float8 AS today FROM (
         SELECT ${by}, unit_kind, metric, dim, value AS total, 0::numeric AS today
           FROM ops.canvass_totals WHERE ($2::text IS NULL OR district_code = $2)
         UNION ALL
         SELECT ${by}, unit_kind, metric, dim, 0::numeric, value
           FROM ops.canvass_daily WHERE day = $1::date AND ($2::text IS NULL OR district_code = $2)
       ) cells GROUP BY 1, 2, 3, 4`
    : `SELECT ${by} AS area, unit_kind, metric, dim, sum(total)::float8 AS total, sum(today)::float8 AS today FROM (
         SELECT ${by}, unit_kind, metric, dim, value AS total, 0::numeric AS today
           FROM ops.canvass_daily WHERE day < $1::date AND ($2::text IS NULL OR district_code = $2)
         UNION ALL
         SELECT ${by}, unit_kind, metric, dim, value, value
           FROM ops.canvass_facts WHERE day = $1::date AND occurred_at <= $3 AND ($2::text IS NULL OR district_code = $2)
       ) cells GROUP BY 1, 2, 3, 4`;
  const params = at.live ? [at.day, district] : [at.day, district, at.instant.toISOString()];
  const { rows } = await db.query<CellRow>(sql, params);
  return rows.map((r) => ({ area: r.area, unitKind: r.unit_kind, metric: r.metric, dim: r.dim, total: Number(r.total), today: Number(r.today) }));
}

/** Distinct units canvassed on `at`'s day (up to `at` unless live), per area and kind. */
export async function loadVisitedCells(db: SqlExecutor, at: AsOf, by: AreaColumn, district: string | null): Promise<VisitedCell[]> {
  const { rows } = await db.query<{ area: string; unit_kind: string; units: number }>(
    `SELECT ${by} AS area, unit_kind, count(*)::int AS units FROM ops.canvass_visit_days
      WHERE day = $1::date AND ($2::text IS NULL OR district_code = $2) AND ($3::timestamptz IS NULL OR first_visited_at <= $3)
      GROUP BY 1, 2`,
    [at.day, district, at.live ? null : at.instant.toISOString()],
  );
  return rows.map((r) => ({ area: r.area, unitKind: r.unit_kind, units: Number(r.units) }));
}

export interface SeriesRows {
  /** metric → level summed over every day before the first day. */
  readonly levelsBefore: Map<string, number>;
  /** day → metric → sum that day. */
  readonly byDay: Map<string, Map<string, number>>;
  /** day → distinct units canvassed. */
  readonly visitedByDay: Map<string, number>;
}

/** Daily sums of a city, district or subdistrict (`null` widens), and its levels before the first day. */
export async function loadSeriesRows(db: SqlExecutor, firstDay: string, lastDay: string, district: string | null, subdistrict: string | null = null): Promise<SeriesRows> {
  const levels = await db.query<{ metric: string; value: number }>(
    `SELECT metric, sum(value)::float8 AS value FROM ops.canvass_daily
      WHERE day < $1::date AND metric = ANY($2::text[]) AND ($3::text IS NULL OR district_code = $3) AND ($4::text IS NULL OR subdistrict_code = $4)
      GROUP BY metric`,
    [firstDay, [...LEVEL_METRICS], district, subdistrict],
  );
  const daily = await db.query<{ day: string; metric: string; value: number }>(
    `SELECT day::text AS day, metric, sum(value)::float8 AS value FROM ops.canvass_daily
      WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR district_code = $3) AND ($4::text IS NULL OR subdistrict_code = $4)
      GROUP BY day, metric`,
    [firstDay, lastDay, district, subdistrict],
  );
  const visited = await db.query<{ day: string; units: number }>(
    `SELECT day::text AS day, count(*)::int AS units FROM ops.canvass_visit_days
      WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR district_code = $3) AND ($4::text IS NULL OR subdistrict_code = $4)
      GROUP BY day`,
    [firstDay, lastDay, district, subdistrict],
  );
  const byDay = new Map<string, Map<string, number>>();
  for (const r of daily.rows) {
    let m = byDay.get(r.day);
    if (!m) byDay.set(r.day, (m = new Map()));
    m.set(r.metric, Number(r.value));
  }
  return {
    levelsBefore: new Map(levels.rows.map((r) => [r.metric, Number(r.value)])),
    byDay,
    visitedByDay: new Map(visited.rows.map((r) => [r.day, Number(r.units)])),
  };
}
