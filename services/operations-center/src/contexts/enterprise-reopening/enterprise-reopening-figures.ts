import { INDUSTRY_CODES, INSPECTION_OUTCOMES } from '@city/contracts';
import type { FigureCell } from '../../read-model/figures/figure-store';
import { emptyAppealAges, type AppealAges } from './appeal-ages';

/**
 * The figures enterprise-reopening keeps in the shared figure storage (`figure` values).
 * Levels (kept as +/- deltas, so their sum up to any instant is the level then):
 * enterprises registered and reopened (by industry), the usual headcount of
 * the reopened ones, open and overdue appeals (by department). Counters:
 * declarations, inspections (by outcome), workforce reports and the on-site
 * headcount they report (a correction adds the difference), appeals filed.
 */
export const EnterpriseReopeningFigure = {
  registered: 'enterprises_registered',
  reopened: 'enterprises_reopened',
  usualHeadcountReopened: 'usual_headcount_reopened',
  onSite: 'on_site_headcount',
  workforceReports: 'workforce_reports',
  declarations: 'declarations',
  inspections: 'inspections',
  appealsFiled: 'appeals_filed',
  appealsOpen: 'appeals_open',
  appealsOverdue: 'appeals_overdue',
} as const;

const F = EnterpriseReopeningFigure;
export const ENTERPRISE_REOPENING_LEVELS: readonly string[] = [F.registered, F.reopened, F.usualHeadcountReopened, F.appealsOpen, F.appealsOverdue];

/** A counted figure: what happened today (city day of the "as of" instant) and in all. */
export interface Counter {
  today: number;
  total: number;
}

export interface ReopeningShare {
  registered: number;
  reopened: number;
  /** Share of registered enterprises reopened, 0..1; null when none is registered. */
  reopeningRate: number | null;
}

/** The enterprise-reopening section of an overview (one district, one subdistrict or the city). */
export interface EnterpriseReopeningFigures extends ReopeningShare {
  byIndustry: Record<string, ReopeningShare>;
  workforce: {
    /** Usual headcount of the enterprises reopened. */
    usualHeadcount: number;
    /** On-site headcount the reopened enterprises reported for today. */
    onSiteToday: number;
    /** onSiteToday / usualHeadcount, 0..; null without reopened enterprises. */
    onSiteShare: number | null;
    reportsToday: number;
  };
  declarations: Counter;
  inspections: Counter & { byOutcome: Record<string, Counter> };
  appeals: {
    filed: Counter;
    open: number;
    overdue: number;
    openByDepartment: Record<string, number>;
    overdueByDepartment: Record<string, number>;
    /** Open appeals by how long they have waited for their answer (appeal-ages.ts). */
    openByAge: AppealAges;
    openByDepartmentAndAge: Record<string, AppealAges>;
  };
}

/** One day of the enterprise-reopening series. */
export interface EnterpriseReopeningDayFigures {
  registered: number;
  reopened: number;
  reopeningRate: number | null;
  onSite: number;
  declarations: number;
  inspections: number;
  appealsOpen: number;
  appealsOverdue: number;
}

const counter = (): Counter => ({ today: 0, total: 0 });
const share = (): ReopeningShare => ({ registered: 0, reopened: 0, reopeningRate: null });
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

export function emptyEnterpriseReopeningFigures(): EnterpriseReopeningFigures {
  return {
    ...share(),
    byIndustry: Object.fromEntries(INDUSTRY_CODES.map((code) => [code, share()])),
    workforce: { usualHeadcount: 0, onSiteToday: 0, onSiteShare: null, reportsToday: 0 },
    declarations: counter(),
    inspections: { ...counter(), byOutcome: Object.fromEntries(INSPECTION_OUTCOMES.map((o) => [o, counter()])) },
    appeals: { filed: counter(), open: 0, overdue: 0, openByDepartment: {}, overdueByDepartment: {}, openByAge: emptyAppealAges(), openByDepartmentAndAge: {} },
  };
}

export function emptyEnterpriseReopeningDay(): EnterpriseReopeningDayFigures {
  return { registered: 0, reopened: 0, reopeningRate: null, onSite: 0, declarations: 0, inspections: 0, appealsOpen: 0, appealsOverdue: 0 };
}

/** The figures of one area (or of the city) from its summed cells. */
export function foldEnterpriseReopeningFigures(cells: readonly FigureCell[]): EnterpriseReopeningFigures {
  const f = emptyEnterpriseReopeningFigures();
  for (const cell of cells) addCell(f, cell);
  f.reopeningRate = ratio(f.reopened, f.registered);
  for (const s of Object.values(f.byIndustry)) s.reopeningRate = ratio(s.reopened, s.registered);
  f.workforce.onSiteShare = ratio(f.workforce.onSiteToday, f.workforce.usualHeadcount);
  return f;
}

function addCell(f: EnterpriseReopeningFigures, cell: FigureCell): void {
  const add = (c: Counter) => {
    c.today += cell.today;
    c.total += cell.total;
  };
  switch (cell.figure) {
    case F.registered:
      f.registered += cell.total;
      (f.byIndustry[cell.dim] ??= share()).registered += cell.total;
      return;
    case F.reopened:
      f.reopened += cell.total;
      (f.byIndustry[cell.dim] ??= share()).reopened += cell.total;
      return;
    case F.usualHeadcountReopened:
      f.workforce.usualHeadcount += cell.total;
      return;
    case F.onSite:
      f.workforce.onSiteToday += cell.today;
      return;
    case F.workforceReports:
      f.workforce.reportsToday += cell.today;
      return;
    case F.declarations:
      return add(f.declarations);
    case F.inspections:
      add(f.inspections);
      return add((f.inspections.byOutcome[cell.dim] ??= counter()));
    case F.appealsFiled:
      return add(f.appeals.filed);
    case F.appealsOpen:
      f.appeals.open += cell.total;
      f.appeals.openByDepartment[cell.dim] = (f.appeals.openByDepartment[cell.dim] ?? 0) + cell.total;
      return;
    case F.appealsOverdue:
      f.appeals.overdue += cell.total;
      f.appeals.overdueByDepartment[cell.dim] = (f.appeals.overdueByDepartment[cell.dim] ?? 0) + cell.total;
      return;
    default:
      return; // a figure a newer projection version writes; this reader does not show it
  }
}

/** Daily sums of one day, folded into a series point; `levels` are the running levels at the day's end. */
export function foldEnterpriseReopeningDay(sums: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): EnterpriseReopeningDayFigures {
  const registered = levels.get(F.registered) ?? 0;
  const reopened = levels.get(F.reopened) ?? 0;
  return {
    registered,
    reopened,
    reopeningRate: ratio(reopened, registered),
    onSite: sums.get(F.onSite) ?? 0,
    declarations: sums.get(F.declarations) ?? 0,
    inspections: sums.get(F.inspections) ?? 0,
    appealsOpen: levels.get(F.appealsOpen) ?? 0,
    appealsOverdue: levels.get(F.appealsOverdue) ?? 0,
  };
}
