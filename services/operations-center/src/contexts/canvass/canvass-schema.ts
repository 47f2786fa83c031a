import type { SqlExecutor } from '@city/sql';
import { runDdl } from '../../read-model/ops-schema';

/**
 * The side tables canvass needs besides the shared figure storage
 * (read-model/figures/figure-store.ts), all in schema `ops`:
 *
 * - `canvass_visit_days`: one row per unit and city day it was visited, with
 *   its first visit: a second visit the same day does not count the unit
 *   again, and a late visit before the first moves the unit's count to its time.
 * - `canvass_units` holds each unit's current size, to turn size updates into deltas.
 * - `canvass_observations` keeps every visit's count of people in home
 *   observation, so a late (backdated) visit can be placed between its neighbours.
 */
const STATEMENTS = [
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

export const CANVASS_TABLES = ['ops.canvass_visit_days', 'ops.canvass_units', 'ops.canvass_observations'] as const;

export async function migrateCanvassSchema(db: SqlExecutor): Promise<void> {
  await runDdl(db, STATEMENTS);
}
