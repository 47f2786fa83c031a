import { CITY_TIME_ZONE } from '@city/contracts';
import type { SqlExecutor, SqlParam } from '@city/sql';
import type { AsOf } from '../as-of';
import type { SeriesArea } from '../context-read-model';
import { once, OPS_CHANGES_CHANNEL } from '../ops-schema';

/**
 * The figure storage shared by every context of the operations center
 * (schema `ops`), keyed by context and figure. How it answers "as of":
 *
 * - `figure_facts` is append-only: one row per figure an event changes (a
 *   delta at the event's own time, with its district and subdistrict). History
 *   lives here, but a query reads at most five minutes of it.
 * - `figure_sums` holds the same deltas summed per bucket of time, at two
 *   grains (per subdistrict, and per district with subdistrict ''), for the
 *   widths `all` (running totals), `month` and `day` (city calendar), `hour`
 *   and `5min`. The statement that inserts the facts updates every bucket, so
 *   they always agree with the facts.
 * - Live figures read the totals and today's day bucket. Figures as of a past
 *   instant T add, from the largest width down: months before T's month, days
 *   of T's month before T's day, hours of T's day before T's hour, five-minute
 *   buckets of T's hour before T's, and the facts of T's five minutes up to T.
 *   In the second half of a month, the days before T's day are the totals
 *   minus T's day and what follows it, which is fewer buckets to read.
 *   So a query reads a bounded number of rows whatever the size of the city or
 *   the length of the history: at most ~16 days, 23 hours and 11 five-minute
 *   buckets of sums per cell, plus five minutes of facts (bench/read-model-scale.ts).
 * - Levels (units active now, people in home observation now) are kept as +/-
 *   deltas, so the same sums answer them at any instant.
 *
 * A city hour starts on a UTC hour (Asia/Shanghai is UTC+8), so hours and
 * five-minute buckets nest in city days.
 */
const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS ops.figure_facts (
     context     text        NOT NULL,
     figure      text        NOT NULL,
     dim         text        NOT NULL,
     district    text        NOT NULL,
     subdistrict text        NOT NULL,
     occurred_at timestamptz NOT NULL,
     value       numeric     NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS figure_facts_time_idx ON ops.figure_facts (context, occurred_at)`,
  `CREATE TABLE IF NOT EXISTS ops.figure_sums (
     context     text        NOT NULL,
     grain       text        NOT NULL,
     width       text        NOT NULL,
     bucket      timestamptz NOT NULL,
     district    text        NOT NULL,
     subdistrict text        NOT NULL,
     figure      text        NOT NULL,
     dim         text        NOT NULL,
     value       numeric     NOT NULL,
     PRIMARY KEY (context, grain, width, bucket, district, subdistrict, figure, dim) INCLUDE (value)
   )`,
  // One district's buckets without reading the other fifteen's (district and subdistrict pages).
  // Both indexes cover the queries (INCLUDE value): a query reads index pages only, not rows
  // scattered over the table, at the price of no HOT updates when a sum changes.
  `CREATE INDEX IF NOT EXISTS figure_sums_district_idx ON ops.figure_sums (context, grain, width, district, bucket) INCLUDE (subdistrict, figure, dim, value)`,
];

export const FIGURE_TABLES = ['ops.figure_facts', 'ops.figure_sums'] as const;

export function migrateFigureStore(db: SqlExecutor): Promise<void> {
  return once(db, STATEMENTS);
}

/** One change to one figure of a context, caused by one event at the event's own time. */
export interface FigureDelta {
  readonly figure: string;
  /** A breakdown of the figure (a category, a kind), '' when it has none. */
  readonly dim: string;
  readonly value: number;
  /** ISO-8601 instant the fact happened (the event's own timestamp, not when it was recorded). */
  readonly occurredAt: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
}

/**
 * Inserts the deltas as facts and adds them to every bucket of both grains, in one
 * statement, which also sends `notice` (a `changeNotice` payload) on OPS_CHANGES_CHANNEL
 * when given: one round trip fewer per batch than a NOTIFY of its own.
 */
export async function writeFigures(tx: SqlExecutor, context: string, deltas: readonly FigureDelta[], notice?: string): Promise<void> {
  if (deltas.length === 0) {
    if (notice !== undefined) await tx.query(`SELECT pg_notify($1, $2)`, [OPS_CHANGES_CHANNEL, notice]);
    return;
  }
  const rows = deltas.map((d) => ({
    figure: d.figure,
    dim: d.dim,
    occurred_at: d.occurredAt,
    district: d.districtCode,
    subdistrict: d.subdistrictCode,
    value: d.value,
  }));
  await tx.query(
    `WITH input AS (
       SELECT r.* FROM jsonb_to_recordset($1::jsonb) AS r(figure text, dim text, occurred_at timestamptz, district text, subdistrict text, value numeric)
     ),
     facts AS (
       INSERT INTO ops.figure_facts (context, figure, dim, district, subdistrict, occurred_at, value)
       SELECT $2, figure, dim, district, subdistrict, occurred_at, value FROM input
     ),
     sums AS (
     INSERT INTO ops.figure_sums AS s (context, grain, width, bucket, district, subdistrict, figure, dim, value)
     SELECT $2, g.grain, b.width, b.bucket, i.district, g.subdistrict, i.figure, i.dim, sum(i.value)
     FROM input i
     CROSS JOIN LATERAL (VALUES
       ('all', '-infinity'::timestamptz),
       ('month', date_trunc('month', i.occurred_at AT TIME ZONE $3) AT TIME ZONE $3),
       ('day', date_trunc('day', i.occurred_at AT TIME ZONE $3) AT TIME ZONE $3),
       ('hour', date_bin('1 hour', i.occurred_at, '2000-01-01T00:00:00Z')),
       ('5min', date_bin('5 minutes', i.occurred_at, '2000-01-01T00:00:00Z'))
     ) AS b(width, bucket)
     CROSS JOIN LATERAL (VALUES ('subdistrict', i.subdistrict), ('district', '')) AS g(grain, subdistrict)
     GROUP BY g.grain, b.width, b.bucket, i.district, g.subdistrict, i.figure, i.dim
     ON CONFLICT (context, grain, width, bucket, district, subdistrict, figure, dim) DO UPDATE SET value = s.value + excluded.value
     )
     -- Data-modifying CTEs run whether read or not; the notice goes only when there is one.
     SELECT pg_notify($4, $5::text) WHERE $5::text IS NOT NULL`,
    [JSON.stringify(rows), context, CITY_TIME_ZONE, OPS_CHANGES_CHANNEL, notice ?? null],
  );
}

/** Figures summed per district, or per subdistrict. */
export type Grain = 'district' | 'subdistrict';

/** A summed figure of one area: all up to the instant, and on its city day. */
export interface FigureCell {
  readonly area: string;
  readonly figure: string;
  readonly dim: string;
  readonly total: number;
  readonly today: number;
}

interface CellRow {
  area: string;
  figure: string;
  dim: string;
  total: number;
  today: number;
}

/** Numbered SQL parameters: `$n` for each value added, so a text uses only those it needs. */
class Params {
  readonly values: SqlParam[] = [];
  add(value: SqlParam): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Summed cells of one context per area (district or subdistrict), as of `at`,
 * of the whole city or of one district.
 */
export async function loadFigureCells(db: SqlExecutor, context: string, at: AsOf, grain: Grain, district: string | null): Promise<FigureCell[]> {
  const p = new Params();
  const area = grain === 'district' ? 'district' : 'subdistrict';
  // Only when asked, rather than `($n IS NULL OR district = $n)`: the planner then uses the district index.
  const ctx = p.add(context);
  const inDistrict = district === null ? '' : ` AND district = ${p.add(district)}`;
  const where = `context = ${ctx} AND grain = ${p.add(grain)}${inDistrict}`;
  const zone = p.add(CITY_TIME_ZONE);
  const dayStart = `(${p.add(at.day)}::date::timestamp AT TIME ZONE ${zone})`;
  const cell = (total: string, today: string) => `SELECT ${area} AS area, figure, dim, ${total} AS total, ${today} AS today`;
  let parts: string[];
  if (at.live) {
    parts = [
      `${cell('value', '0::numeric')} FROM ops.figure_sums WHERE ${where} AND width = 'all'`,
      `${cell('0::numeric', 'value')} FROM ops.figure_sums WHERE ${where} AND width = 'day' AND bucket = ${dayStart}`,
    ];
  } else {
    const instant = `${p.add(at.instant.toISOString())}::timestamptz`;
    const hourStart = `date_bin('1 hour', ${instant}, '2000-01-01T00:00:00Z')`;
    const fiveStart = `date_bin('5 minutes', ${instant}, '2000-01-01T00:00:00Z')`;
    const sums = (width: string, from: string | null, to: string, today: boolean) =>
      `${cell('value', today ? 'value' : '0::numeric')} FROM ops.figure_sums
        WHERE ${where} AND width = '${width}'${from === null ? '' : ` AND bucket >= ${from}`} AND bucket < ${to}`;
    // The days before T's day: from the month's start on in its first half; in its second half,
    // the totals minus T's day and the days and months after it. Either way at most ~16 day buckets.
    const negated = (width: string, from: string, to: string | null) =>
      `${cell('-value', '0::numeric')} FROM ops.figure_sums WHERE ${where} AND width = '${width}' AND bucket >= ${from}${to === null ? '' : ` AND bucket < ${to}`}`;
    const backwards = () => {
      const nextMonthStart = `((date_trunc('month', ${p.add(at.day)}::date::timestamp) + interval '1 month') AT TIME ZONE ${zone})`;
      return [
        `${cell('value', '0::numeric')} FROM ops.figure_sums WHERE ${where} AND width = 'all'`,
        negated('month', nextMonthStart, null),
        negated('day', dayStart, nextMonthStart),
      ];
    };
    const forwards = () => {
      const monthStart = `(date_trunc('month', ${p.add(at.day)}::date::timestamp) AT TIME ZONE ${zone})`;
      return [sums('month', null, monthStart, false), sums('day', monthStart, dayStart, false)];
    };
    // Only the texts used take parameters: PostgreSQL refuses one it cannot type.
    const beforeDay = Number(at.day.slice(8, 10)) <= 15 ? forwards() : backwards();
    parts = [
      ...beforeDay,
      sums('hour', dayStart, hourStart, true),
      sums('5min', hourStart, fiveStart, true),
      `${cell('value', 'value')} FROM ops.figure_facts
        WHERE context = ${ctx} AND occurred_at >= ${fiveStart} AND occurred_at <= ${instant}${inDistrict}`,
    ];
  }
  const sql = `SELECT area, figure, dim, sum(total)::float8 AS total, sum(today)::float8 AS today FROM (${parts.join(' UNION ALL ')}) cells GROUP BY 1, 2, 3`;
  const { rows } = await db.query<CellRow>(sql, p.values);
  return rows.map((r) => ({ area: r.area, figure: r.figure, dim: r.dim, total: Number(r.total), today: Number(r.today) }));
}

export interface SeriesRows {
  /** figure → sum over every day before the first day (for levels). */
  readonly before: Map<string, number>;
  /** day → figure → sum that day (all dims). */
  readonly byDay: Map<string, Map<string, number>>;
}

/** Daily sums of one context for the city, a district or a subdistrict, and the sums of `levels` before the first day. */
export async function loadSeriesRows(
  db: SqlExecutor,
  context: string,
  firstDay: string,
  lastDay: string,
  levels: readonly string[],
  area?: SeriesArea,
): Promise<SeriesRows> {
  const p = new Params();
  const grain: Grain = area?.subdistrict ? 'subdistrict' : 'district';
  let where = `context = ${p.add(context)} AND grain = ${p.add(grain)}`;
  if (area) where += ` AND district = ${p.add(area.district)}`;
  if (area?.subdistrict) where += ` AND subdistrict = ${p.add(area.subdistrict)}`;
  const zone = p.add(CITY_TIME_ZONE);
  const first = p.add(firstDay);
  const firstStart = `(${first}::date::timestamp AT TIME ZONE ${zone})`;
  const monthOfFirst = `(date_trunc('month', ${first}::date::timestamp) AT TIME ZONE ${zone})`;
  const lastStart = `(${p.add(lastDay)}::date::timestamp AT TIME ZONE ${zone})`;
  const figures = p.add([...levels]);
  const { rows } = await db.query<{ day: string | null; figure: string; value: number }>(
    `SELECT (bucket AT TIME ZONE ${zone})::date::text AS day, figure, sum(value)::float8 AS value FROM ops.figure_sums
      WHERE ${where} AND width = 'day' AND bucket >= ${firstStart} AND bucket <= ${lastStart}
      GROUP BY 1, 2
     UNION ALL
     SELECT NULL, figure, sum(value)::float8 FROM (
       SELECT figure, value FROM ops.figure_sums WHERE ${where} AND width = 'month' AND bucket < ${monthOfFirst} AND figure = ANY(${figures}::text[])
       UNION ALL
       SELECT figure, value FROM ops.figure_sums
        WHERE ${where} AND width = 'day' AND bucket >= ${monthOfFirst} AND bucket < ${firstStart} AND figure = ANY(${figures}::text[])
     ) levels GROUP BY 2`,
    p.values,
  );
  const before = new Map<string, number>();
  const byDay = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.day === null) {
      before.set(r.figure, Number(r.value));
      continue;
    }
    let m = byDay.get(r.day);
    if (!m) byDay.set(r.day, (m = new Map()));
    m.set(r.figure, Number(r.value));
  }
  return { before, byDay };
}
