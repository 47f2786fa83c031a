import type { SqlExecutor } from '@city/sql';
import { runDdl } from '../../read-model/ops-schema';

/**
 * The canvass read model (schema `ops`). How "as of" works:
 *
 * - `canvass_facts` is append-only: one row per figure an event changes
 *   (a delta with the event's own time, its city day, district, subdistrict and
 *   unit kind). History lives here.
 * - `canvass_daily` sums the facts per city day and area; `canvass_totals` sums
 *   them over all time. Both are updated in the same statement that inserts the
 *   facts, so they always agree with them.
 * - Live figures read `canvass_totals` and today's `canvass_daily` rows. Figures
 *   as of a past instant T read `canvass_daily` for the days before T's day plus
 *   T's day's facts up to T. Levels (active units, households registered, people
 *   in home observation) are sums of +/- deltas, so the same sums answer them.
 * - Distinct units canvassed per day are rows keyed by (unit, day), holding the
 *   first visit time: a second visit the same day counts once, and "as of T"
 *   counts rows whose first visit is at or before T.
 * - `canvass_units` holds each unit's current size, to turn size updates into deltas.
 * - `canvass_observations` keeps every visit's count of people in home
 *   observation, so a late (backdated) visit can be placed between its neighbours.
 */
const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS ops.canvass_facts (
     event_id         text        NOT NULL,
     seq              smallint    NOT NULL,
     metric           text        NOT NULL,
     dim              text        NOT NULL,
     occurred_at      timestamptz NOT NULL,
     day              date        NOT NULL,
     district_code    text        NOT NULL,
     subdistrict_code text        NOT NULL,
     unit_kind        text        NOT NULL,
     value            numeric     NOT NULL,
     PRIMARY KEY (event_id, seq)
   )`,
  `CREATE INDEX IF NOT EXISTS canvass_facts_day_idx ON ops.canvass_facts (day, district_code, occurred_at)`,
  `CREATE TABLE IF NOT EXISTS ops.canvass_daily (
     day              date    NOT NULL,
     district_code    text    NOT NULL,
     subdistrict_code text    NOT NULL,
     unit_kind        text    NOT NULL,
     metric           text    NOT NULL,
     dim              text    NOT NULL,
     value            numeric NOT NULL,
     PRIMARY KEY (day, district_code, subdistrict_code, unit_kind, metric, dim)
   )`,
  `CREATE INDEX IF NOT EXISTS canvass_daily_district_idx ON ops.canvass_daily (district_code, day)`,
  `CREATE TABLE IF NOT EXISTS ops.canvass_totals (
     district_code    text    NOT NULL,
     subdistrict_code text    NOT NULL,
     unit_kind        text    NOT NULL,
     metric           text    NOT NULL,
     dim              text    NOT NULL,
     value            numeric NOT NULL,
     PRIMARY KEY (district_code, subdistrict_code, unit_kind, metric, dim)
   )`,
  `CREATE TABLE IF NOT EXISTS ops.canvass_visit_days (
     unit_id          text        NOT NULL,
     day              date        NOT NULL,
     district_code    text        NOT NULL,
     subdistrict_code text        NOT NULL,
     unit_kind        text        NOT NULL,
     first_visited_at timestamptz NOT NULL,
     visits           integer     NOT NULL,
     PRIMARY KEY (unit_id, day)
   )`,
  `CREATE INDEX IF NOT EXISTS canvass_visit_days_day_idx ON ops.canvass_visit_days (day, district_code)`,
  `CREATE TABLE IF NOT EXISTS ops.canvass_units (
     unit_id          text        PRIMARY KEY,
     kind             text        NOT NULL,
     district_code    text        NOT NULL,
     subdistrict_code text        NOT NULL,
     name             text        NOT NULL,
     tenants          integer     NOT NULL,
     shops            integer     NOT NULL,
     households       integer     NOT NULL,
     registered_at    timestamptz NOT NULL,
     retired_at       timestamptz
   )`,
  `CREATE TABLE IF NOT EXISTS ops.canvass_observations (
     unit_id     text        NOT NULL,
     observed_at timestamptz NOT NULL,
     event_id    text        NOT NULL,
     people      integer     NOT NULL,
     PRIMARY KEY (unit_id, observed_at, event_id)
   )`,
];

export const CANVASS_TABLES = [
  'ops.canvass_facts',
  'ops.canvass_daily',
  'ops.canvass_totals',
  'ops.canvass_visit_days',
  'ops.canvass_units',
  'ops.canvass_observations',
] as const;

export async function migrateCanvassSchema(db: SqlExecutor): Promise<void> {
  await runDdl(db, STATEMENTS);
}
