import { cityDayBounds } from '@city/city-time';
import { ENTERPRISE_REOPENING_EVENT_TYPES, type AppealFacts, type EnterpriseReopeningEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import type { SqlExecutor } from '@city/sql';
import { FigureProjection, unhandledEvent } from '../../read-model/figures/figure-projection';
import type { FigureDelta } from '../../read-model/figures/figure-store';
import { runDdl } from '../../read-model/ops-schema';
import { APPEAL_SPELLS_STATEMENTS, APPEAL_SPELLS_TABLE, recordAppealSpell } from './appeal-ages';
import { EnterpriseReopeningFigure as F } from './enterprise-reopening-figures';

/** The key of enterprise-reopening in the figure tables and in every answer. */
export const ENTERPRISE_REOPENING_CONTEXT = 'enterpriseReopening';

/** Which appeals are overdue now (escalated, not answered since): answering one takes it off the overdue figure. */
const APPEALS_TABLE = 'ops.enterprise_reopening_appeals';
const STATEMENTS = [`CREATE TABLE IF NOT EXISTS ${APPEALS_TABLE} (appeal_id text PRIMARY KEY, overdue boolean NOT NULL)`];

/** The enterprise-reopening figures of the city and district read models, in the shared figure storage (read-model/figures/). */
export class EnterpriseReopeningProjection extends FigureProjection<EnterpriseReopeningEvent> {
  constructor() {
    super({
      name: 'ops-enterprise-reopening',
      context: ENTERPRISE_REOPENING_CONTEXT,
      handles: ENTERPRISE_REOPENING_EVENT_TYPES,
      sideTables: { tables: [APPEALS_TABLE, APPEAL_SPELLS_TABLE], migrate: (db) => runDdl(db, [...STATEMENTS, ...APPEAL_SPELLS_STATEMENTS]) },
      deltas: async (tx, events) => {
        const out: FigureDelta[][] = [];
        for (const event of events) {
          await recordAppealSpell(tx, event);
          out.push([...enterpriseReopeningDeltas(event), ...(await overdueDeltas(tx, event))]);
        }
        return out;
      },
    });
  }
}

type Place = Pick<FigureDelta, 'districtCode' | 'subdistrictCode' | 'occurredAt'>;
const at = (d: { districtCode: string; subdistrictCode: string }, occurredAt: string): Place => ({
  districtCode: d.districtCode,
  subdistrictCode: d.subdistrictCode,
  occurredAt,
});
const delta = (place: Place, figure: string, value: number, dim = ''): FigureDelta => ({ ...place, figure, value, dim });

/** The figure deltas of one event that need no memory of earlier ones. */
export function enterpriseReopeningDeltas(event: RecordedEvent<EnterpriseReopeningEvent>): FigureDelta[] {
  const e = { type: event.type, data: event.data } as EnterpriseReopeningEvent;
  switch (e.type) {
    case 'IndustryGuidelineIssued':
    case 'RectificationSubmitted':
    case 'SurveyAnswered':
    case 'AppealClosed':
    case 'AppealEscalated': // overdue: see overdueDeltas
      return [];
    case 'EnterpriseRegistered':
      return [delta(at(e.data, e.data.registeredAt), F.registered, 1, e.data.industryCode)];
    case 'ReopeningDeclared':
      return [delta(at(e.data, e.data.declaredAt), F.declarations, 1)];
    case 'InspectionRecorded':
      return [delta(at(e.data, e.data.inspectedAt), F.inspections, 1, e.data.outcome)];
    case 'EnterpriseReopened': {
      const place = at(e.data, e.data.reportedAt);
      return [delta(place, F.reopened, 1, e.data.industryCode), delta(place, F.usualHeadcountReopened, e.data.usualHeadcount)];
    }
    case 'DailyWorkforceReported': {
      // The report counts on the day it is for: a report made later lands at that day's last instant.
      const dayEnd = new Date(cityDayBounds(e.data.reportDate).end - 1000).toISOString();
      const place = at(e.data, Date.parse(e.data.reportedAt) < Date.parse(dayEnd) ? e.data.reportedAt : dayEnd);
      const out = [delta(place, F.onSite, e.data.onSiteHeadcount - (e.data.previousOnSiteHeadcount ?? 0))];
      if (e.data.revision === 1) out.push(delta(place, F.workforceReports, 1));
      return out;
    }
    case 'AppealFiled': {
      const place = at(e.data, e.data.filedAt);
      return [delta(place, F.appealsFiled, 1), delta(place, F.appealsOpen, 1, e.data.department)];
    }
    case 'AppealAnswered':
      return [delta(at(e.data, e.data.answeredAt), F.appealsOpen, -1, e.data.department)];
    case 'AppealReopened':
      return [delta(at(e.data, e.data.reopenedAt), F.appealsOpen, 1, e.data.department)];
    default:
      return unhandledEvent(e);
  }
}

/** Overdue appeals: escalated and not answered since; kept in a side table per appeal. */
async function overdueDeltas(tx: SqlExecutor, event: RecordedEvent<EnterpriseReopeningEvent>): Promise<FigureDelta[]> {
  const set = async (d: AppealFacts, overdue: boolean, occurredAt: string): Promise<FigureDelta[]> => {
    const { rows } = await tx.query<{ was: boolean | null }>(
      `WITH old AS (SELECT overdue FROM ${APPEALS_TABLE} WHERE appeal_id = $1)
       INSERT INTO ${APPEALS_TABLE} (appeal_id, overdue) VALUES ($1, $2)
       ON CONFLICT (appeal_id) DO UPDATE SET overdue = EXCLUDED.overdue
       RETURNING (SELECT overdue FROM old) AS was`,
      [d.appealId, overdue],
    );
    const was = rows[0]?.was === true;
    if (was === overdue) return [];
    return [delta(at(d, occurredAt), F.appealsOverdue, overdue ? 1 : -1, d.department)];
  };
  const e = { type: event.type, data: event.data } as EnterpriseReopeningEvent;
  if (e.type === 'AppealEscalated') return set(e.data, true, e.data.escalatedAt);
  if (e.type === 'AppealAnswered') return set(e.data, false, e.data.answeredAt);
  return [];
}
