import type { EnterpriseReopeningEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import type { SqlExecutor } from '@city/sql';
import type { AsOf } from '../../read-model/as-of';
import type { Grain } from '../../read-model/figures/figure-store';

/**
 * Open appeals by age: how long each has waited for its department's answer (since it was filed,
 * or since the enterprise reopened it), at the instant of the answer. An age moves with the clock,
 * not with events, so it cannot be a delta of the figure storage; the projection keeps each spell
 * an appeal is open instead (opened, answered), and a query counts the spells open at its instant
 * by age: the same answer live and as of any past instant.
 */
export const APPEAL_AGE_BUCKETS = ['under1Day', 'from1To3Days', 'over3Days'] as const;
export type AppealAgeBucket = (typeof APPEAL_AGE_BUCKETS)[number];
export type AppealAges = Record<AppealAgeBucket, number>;

export const emptyAppealAges = (): AppealAges => ({ under1Day: 0, from1To3Days: 0, over3Days: 0 });

export const APPEAL_SPELLS_TABLE = 'ops.enterprise_reopening_appeal_spells';
export const APPEAL_SPELLS_STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS ${APPEAL_SPELLS_TABLE} (
     appeal_id   text        NOT NULL,
     opened_at   timestamptz NOT NULL,
     answered_at timestamptz,
     district    text        NOT NULL,
     subdistrict text        NOT NULL,
     department  text        NOT NULL,
     PRIMARY KEY (appeal_id, opened_at)
   )`,
  `CREATE INDEX IF NOT EXISTS enterprise_reopening_appeal_spells_open_idx ON ${APPEAL_SPELLS_TABLE} (district, opened_at)`,
];

/** Opens a spell when an appeal is filed or reopened, ends it when the appeal is answered. */
export async function recordAppealSpell(tx: SqlExecutor, event: RecordedEvent<EnterpriseReopeningEvent>): Promise<void> {
  const e = { type: event.type, data: event.data } as EnterpriseReopeningEvent;
  const open = (d: { appealId: string; districtCode: string; subdistrictCode: string; department: string }, openedAt: string) =>
    tx.query(
      `INSERT INTO ${APPEAL_SPELLS_TABLE} (appeal_id, opened_at, district, subdistrict, department) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (appeal_id, opened_at) DO NOTHING`,
      [d.appealId, openedAt, d.districtCode, d.subdistrictCode, d.department],
    );
  if (e.type === 'AppealFiled') await open(e.data, e.data.filedAt);
  else if (e.type === 'AppealReopened') await open(e.data, e.data.reopenedAt);
  else if (e.type === 'AppealAnswered') {
    await tx.query(`UPDATE ${APPEAL_SPELLS_TABLE} SET answered_at = $2 WHERE appeal_id = $1 AND answered_at IS NULL`, [e.data.appealId, e.data.answeredAt]);
  }
}

export interface AppealAgeRow {
  readonly area: string;
  readonly department: string;
  readonly ages: AppealAges;
}

interface Row {
  area: string;
  department: string;
  under1: number;
  from1to3: number;
  over3: number;
}

/** Open appeals by area (district or subdistrict), department and age, as of `at`; of the whole city or of one district. */
export async function loadAppealAges(db: SqlExecutor, at: AsOf, grain: Grain, district: string | null): Promise<AppealAgeRow[]> {
  const area = grain === 'district' ? 'district' : 'subdistrict';
  const { rows } = await db.query<Row>(
    `SELECT ${area} AS area, department,
            count(*) FILTER (WHERE opened_at > $1::timestamptz - interval '1 day')::int AS under1,
            count(*) FILTER (WHERE opened_at <= $1::timestamptz - interval '1 day' AND opened_at > $1::timestamptz - interval '3 days')::int AS from1to3,
            count(*) FILTER (WHERE opened_at <= $1::timestamptz - interval '3 days')::int AS over3
       FROM ${APPEAL_SPELLS_TABLE}
      WHERE opened_at <= $1::timestamptz AND (answered_at IS NULL OR answered_at > $1::timestamptz)
        AND ($2::text IS NULL OR district = $2)
      GROUP BY 1, 2`,
    [at.instant.toISOString(), district],
  );
  return rows.map((r) => ({
    area: r.area,
    department: r.department,
    ages: { under1Day: Number(r.under1), from1To3Days: Number(r.from1to3), over3Days: Number(r.over3) },
  }));
}

/** Adds one row's ages to an area's figures: in all, and under its department. */
export function addAppealAges(
  appeals: { openByAge: AppealAges; openByDepartmentAndAge: Record<string, AppealAges> },
  row: Pick<AppealAgeRow, 'department' | 'ages'>,
): void {
  const byDepartment = (appeals.openByDepartmentAndAge[row.department] ??= emptyAppealAges());
  for (const bucket of APPEAL_AGE_BUCKETS) {
    appeals.openByAge[bucket] += row.ages[bucket];
    byDepartment[bucket] += row.ages[bucket];
  }
}
