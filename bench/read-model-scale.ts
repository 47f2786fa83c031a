/**
 * Benchmark: the operations center's shared figure storage at the size of a
 * month of a whole city.
 *
 *   node -r @swc-node/register bench/read-model-scale.ts
 *
 * Fills the figure tables (read-model/figures/figure-store.ts) of a database of
 * its own on the server at DATABASE_URL with 30 days (November 2026, a whole
 * calendar month, so as-of reads the most day buckets) at BENCH_EVENTS_PER_DAY
 * events a day (default 1,000,000) across the 16 districts, 14 subdistricts
 * each, written straight into the tables in SQL (generate_series, INSERT ...
 * SELECT): canvass visits (85%, about 2.8 figure rows each: visits, households,
 * some returnees, problems, first visits and home observation), finished gate
 * shifts (5%, four rows) and doorstep services (10%, two rows), between 07:00
 * and 21:00 city time, plus 200,000 units registered on the first day; the sums
 * of every bucket are aggregated from the facts as the projection keeps them.
 *
 * Then it times the read-model calls behind the dashboard pages, as the API
 * makes them: the city page (city overview, every subdistrict of the city, the
 * city's 14-day series) and a district page (district overview, its
 * subdistricts, its series), live (today = the month's last day) and as of
 * instants spread over the month (the last one, 20:59:59 on its last day, reads
 * the most buckets). It does so at BENCH_SCALES (default `0.1,1`: one tenth,
 * then the whole), each filled anew. Prints one JSON line: per scale, the
 * rows stored, fill seconds, and p50/p99 ms per call and per page (the page's
 * calls one after the other). BENCH_RUNS: timed runs per call (default 40); BENCH_FACT_DAYS below.
 */
import { performance } from 'node:perf_hooks';
import { DISTRICTS, DOORSTEP_SERVICE_KINDS, PROBLEM_CATEGORIES, UNIT_KINDS } from '@city/contracts';
import { liveAsOf, migrateFigureStore, migrateOpsSchema, OperationsReadModel, pastAsOf, canvassReadModel, type AsOf } from '@city/operations-center-service';
import type { SqlDatabase } from '@city/sql';
import { createTestDatabase } from '@city/testing';

const EVENTS_PER_DAY = Number(process.env.BENCH_EVENTS_PER_DAY ?? 1_000_000);
const SCALES = (process.env.BENCH_SCALES ?? '0.1,1').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const DAYS = 30;
/**
 * Days (the last ones) whose facts are stored; the others only in their sums. Default all 30.
 * A query reads at most five minutes of facts through the (context, occurred_at) index, so
 * fewer fact days only make that index shallower; a slow machine can fill the whole month's sums
 * at full size this way. The printed line says how many fact days it had.
 */
const FACT_DAYS = Math.min(DAYS, Number(process.env.BENCH_FACT_DAYS ?? DAYS));
const FIRST_DAY = '2026-11-01';
const LAST_DAY = '2026-11-30';
const SUBDISTRICTS_PER_DISTRICT = 14;
const UNITS = 200_000;
const ZONE = 'Asia/Shanghai';
const DISTRICT = '310105';

const sqlList = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]`;

/**
 * Facts from a generator (columns context, figure, dim, district, subdistrict, occurred_at,
 * value), inserted and summed into five-minute buckets in the same statement: reading them
 * back from the table would cost a second pass.
 */
const factsAndFiveMinuteSums = (generator: string, keepFacts = true) => `
  WITH facts AS MATERIALIZED (${generator})${
    keepFacts
      ? `,
  inserted AS (
    INSERT INTO ops.figure_facts (context, figure, dim, district, subdistrict, occurred_at, value)
    SELECT context, figure, dim, district, subdistrict, occurred_at, value FROM facts
  )`
      : ''
  }
  INSERT INTO ops.figure_sums (context, grain, width, bucket, district, subdistrict, figure, dim, value)
  SELECT context, 'subdistrict', '5min', date_bin('5 minutes', occurred_at, '2000-01-01T00:00:00Z'), district, subdistrict, figure, dim, sum(value)
  FROM facts GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;

/** One day's facts: event i is a visit, a gate shift or a doorstep service by i mod 20, at a time spread over 07:00-21:00. */
const dayFacts = (keepFacts: boolean) =>
  factsAndFiveMinuteSums(
    `
  SELECT 'canvass'::text AS context, f.figure, f.dim, e.district, e.district || lpad((e.sub + 1)::text, 3, '0') AS subdistrict,
         e.at AS occurred_at, f.value::numeric AS value
  FROM (
    SELECT i, (${sqlList(DISTRICTS.map((d) => d.code))})[i % 16 + 1] AS district, (i / 16) % ${SUBDISTRICTS_PER_DISTRICT} AS sub,
           ($1::date::timestamp AT TIME ZONE '${ZONE}') + interval '7 hours' + (i * interval '14 hours') / $2 AS at
    FROM generate_series(0, $2 - 1) AS i
  ) e
  CROSS JOIN LATERAL (
    SELECT * FROM (VALUES
      (e.i % 20 < 17, 'visits', '', 1),
      (e.i % 20 < 17, 'households_canvassed', '', e.i % 7 + 1),
      (e.i % 20 < 17 AND e.i % 3 = 0, 'returned_from_outside', '', 1),
      (e.i % 20 < 17 AND e.i % 10 = 0, 'problems', (${sqlList(PROBLEM_CATEGORIES)})[e.i % 6 + 1], 1),
      (e.i % 20 < 17 AND e.i % 4 = 0, 'units_canvassed', (${sqlList(UNIT_KINDS)})[e.i % 5 + 1], 1),
      (e.i % 20 < 17 AND e.i % 10 = 5, 'in_home_observation', '', CASE WHEN e.i % 20 = 5 THEN 1 ELSE -1 END),
      (e.i % 20 = 17, 'gate_shifts', '', 1),
      (e.i % 20 = 17, 'gate_hours', '', 4.5),
      (e.i % 20 = 17, 'people_checked', '', 50),
      (e.i % 20 = 17, 'people_registered', '', 2),
      (e.i % 20 > 17, 'doorstep_services', (${sqlList(DOORSTEP_SERVICE_KINDS)})[e.i % 3 + 1], 1),
      (e.i % 20 > 17, 'served_households', (${sqlList(DOORSTEP_SERVICE_KINDS)})[e.i % 3 + 1], 3)
    ) AS v(keep, figure, dim, value) WHERE v.keep
  ) f`,
    keepFacts,
  );

/** The units, registered at 06:00 on the first day. */
const UNIT_FACTS = factsAndFiveMinuteSums(`
  SELECT 'canvass'::text AS context, f.figure, f.dim, u.district, u.district || lpad((u.sub + 1)::text, 3, '0') AS subdistrict,
         u.at AS occurred_at, f.value::numeric AS value
  FROM (
    SELECT i, (${sqlList(DISTRICTS.map((d) => d.code))})[i % 16 + 1] AS district, (i / 16) % ${SUBDISTRICTS_PER_DISTRICT} AS sub,
           (${sqlList(UNIT_KINDS)})[i % 5 + 1] AS kind, ($1::date::timestamp AT TIME ZONE '${ZONE}') + interval '6 hours' AS at
    FROM generate_series(0, $2 - 1) AS i
  ) u
  CROSS JOIN LATERAL (VALUES ('active_units', u.kind, 1), ('households_registered', '', 20)) AS f(figure, dim, value)`);

const SUMS_COLUMNS = 'context, grain, width, bucket, district, subdistrict, figure, dim, value';

/** The other buckets of one day, each width from the one below it, the district grain from the subdistrict grain. */
const DAY_SUMS = [
  ...(['hour', 'day'] as const).map(
    (width) => `INSERT INTO ops.figure_sums (${SUMS_COLUMNS})
   SELECT context, grain, '${width}', ${width === 'hour' ? `date_bin('1 hour', bucket, '2000-01-01T00:00:00Z')` : `$1::date::timestamp AT TIME ZONE '${ZONE}'`}, district, subdistrict, figure, dim, sum(value)
   FROM ops.figure_sums WHERE context = 'canvass' AND grain = 'subdistrict' AND width = '${width === 'hour' ? '5min' : 'hour'}'
     AND bucket >= $1::date::timestamp AT TIME ZONE '${ZONE}' AND bucket < ($1::date + 1)::timestamp AT TIME ZONE '${ZONE}'
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
  ),
  `INSERT INTO ops.figure_sums (${SUMS_COLUMNS})
   SELECT context, 'district', width, bucket, district, '', figure, dim, sum(value)
   FROM ops.figure_sums WHERE context = 'canvass' AND grain = 'subdistrict' AND width IN ('5min', 'hour', 'day')
     AND bucket >= $1::date::timestamp AT TIME ZONE '${ZONE}' AND bucket < ($1::date + 1)::timestamp AT TIME ZONE '${ZONE}'
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
];

const MONTH_AND_TOTAL_SUMS = [
  `INSERT INTO ops.figure_sums (${SUMS_COLUMNS})
   SELECT context, grain, 'month', date_trunc('month', bucket AT TIME ZONE '${ZONE}') AT TIME ZONE '${ZONE}', district, subdistrict, figure, dim, sum(value)
   FROM ops.figure_sums WHERE width = 'day' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
  `INSERT INTO ops.figure_sums (${SUMS_COLUMNS})
   SELECT context, grain, 'all', '-infinity'::timestamptz, district, subdistrict, figure, dim, sum(value)
   FROM ops.figure_sums WHERE width = 'month' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
];

function dayOf(index: number): string {
  const d = new Date(`${FIRST_DAY}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + index);
  return d.toISOString().slice(0, 10);
}

async function fill(db: SqlDatabase, eventsPerDay: number): Promise<{ facts: number; sums: number; seconds: number }> {
  const started = performance.now();
  await migrateOpsSchema(db);
  await migrateFigureStore(db);
  await db.query(
    `INSERT INTO ops.subdistricts (district_code, subdistrict_code, name, registered_at)
     SELECT d, d || lpad(s::text, 3, '0'), 'Subdistrict ' || s, '2026-10-01T00:00:00Z'
     FROM unnest(${sqlList(DISTRICTS.map((d) => d.code))}) AS d, generate_series(1, ${SUBDISTRICTS_PER_DISTRICT}) AS s`,
  );
  // The fill writes no WAL for the facts: it is no durable work, and the queries read the same pages.
  await db.query('ALTER TABLE ops.figure_facts SET UNLOGGED');
  await db.query(UNIT_FACTS, [FIRST_DAY, Math.round(UNITS * (eventsPerDay / EVENTS_PER_DAY))]);
  for (let i = 0; i < DAYS; i++) {
    const day = dayOf(i);
    const t0 = performance.now();
    let t1 = t0;
    await db.transaction(async (tx) => {
      // A day's facts aggregate in memory rather than on disk; the fill is no durable work.
      await tx.query(`SET LOCAL work_mem = '256MB'`);
      await tx.query(`SET LOCAL synchronous_commit = off`);
      await tx.query(dayFacts(i >= DAYS - FACT_DAYS), [day, eventsPerDay]);
      t1 = performance.now();
      for (const sql of DAY_SUMS) await tx.query(sql, [day]);
    });
    if (process.env.BENCH_TRACE) process.stderr.write(`${day} facts ${round(t1 - t0)} ms, sums ${round(performance.now() - t1)} ms\n`);
  }
  for (const sql of MONTH_AND_TOTAL_SUMS) await db.query(sql);
  await db.query('VACUUM ANALYZE ops.figure_facts');
  await db.query('VACUUM ANALYZE ops.figure_sums');
  const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0].n);
  return { facts: await count('ops.figure_facts'), sums: await count('ops.figure_sums'), seconds: round((performance.now() - started) / 1000) };
}

interface Timing {
  p50: number;
  p99: number;
  max: number;
}

function timing(ms: number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]) };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** As-of instants over the month: random moments of its days, and the one that reads the most buckets. */
function asOfInstants(runs: number): AsOf[] {
  const out: AsOf[] = [pastAsOf(new Date(`${LAST_DAY}T20:59:59+08:00`))];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  while (out.length < runs) {
    const day = dayOf(Math.floor(random() * DAYS));
    const minute = Math.floor(random() * 24 * 60);
    out.push(pastAsOf(new Date(`${day}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:37+08:00`)));
  }
  return out;
}

type Call = (at: AsOf) => Promise<unknown>;

async function measure(readModel: OperationsReadModel): Promise<Record<string, Record<string, Timing>>> {
  const now = new Date(`${LAST_DAY}T20:59:59+08:00`);
  const pages: Record<string, Record<string, Call>> = {
    city: {
      overview: (at) => readModel.cityOverview(at),
      subdistricts: (at) => readModel.citySubdistricts(at),
      series: () => readModel.series(now, 14),
    },
    district: {
      overview: (at) => readModel.districtOverview(DISTRICT, at),
      subdistricts: (at) => readModel.subdistricts(DISTRICT, at),
      series: () => readModel.series(now, 14, DISTRICT),
    },
  };
  const modes: Record<string, AsOf[]> = { live: Array.from({ length: RUNS }, () => liveAsOf(now)), asOf: asOfInstants(RUNS) };
  const result: Record<string, Record<string, Timing>> = {};
  for (const [page, calls] of Object.entries(pages)) {
    for (const [mode, instants] of Object.entries(modes)) {
      for (const call of Object.values(calls)) await call(instants[0]); // warm the cache and the plans
      const perCall: Record<string, number[]> = Object.fromEntries(Object.keys(calls).map((k) => [k, []]));
      const perPage: number[] = [];
      for (const at of instants) {
        const pageStarted = performance.now();
        for (const [name, call] of Object.entries(calls)) {
          const started = performance.now();
          await call(at);
          perCall[name].push(performance.now() - started);
        }
        perPage.push(performance.now() - pageStarted);
      }
      result[`${page}.${mode}`] = { page: timing(perPage), ...Object.fromEntries(Object.entries(perCall).map(([k, v]) => [k, timing(v)])) };
    }
  }
  return result;
}

/** The sums and the facts tell the same story: as of the end of the month equals live. */
async function checkConsistent(readModel: OperationsReadModel): Promise<void> {
  const live = await readModel.cityOverview(liveAsOf(new Date(`${LAST_DAY}T20:59:59+08:00`)));
  const end = await readModel.cityOverview(pastAsOf(new Date(`${LAST_DAY}T23:59:59+08:00`)));
  if (JSON.stringify(live.city) !== JSON.stringify(end.city)) {
    throw new Error(`As of the month's end differs from live: ${JSON.stringify({ live: live.city, end: end.city })}`);
  }
}

async function main(): Promise<void> {
  const scales: Record<string, unknown>[] = [];
  for (const scale of SCALES) {
    const test = await createTestDatabase('bench_read_model_scale');
    try {
      const eventsPerDay = Math.round(EVENTS_PER_DAY * scale);
      const filled = await fill(test.db, eventsPerDay);
      const readModel = new OperationsReadModel(test.db, [canvassReadModel()]);
      await checkConsistent(readModel);
      scales.push({
        scale,
        eventsPerDay,
        days: DAYS,
        factDays: FACT_DAYS,
        events: eventsPerDay * DAYS,
        factRows: filled.facts,
        sumRows: filled.sums,
        fillSeconds: filled.seconds,
        ms: await measure(readModel),
      });
    } finally {
      if (process.env.BENCH_KEEP_DATABASE) process.stderr.write(`kept database ${test.name}\n`);
      else await test.drop();
    }
  }
  process.stdout.write(`${JSON.stringify({ bench: 'read-model-scale', targetP99Ms: 200, runs: RUNS, scales })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
