import type { FigureCell } from '../../read-model/figures/figure-store';

/**
 * The figures enterprise-reopening keeps in the shared figure storage (`figure` values).
 * Counters add up what happened; `openCases` is a level kept as +/- deltas, so
 * its sum up to any instant is the level at that instant.
 */
export const EnterpriseReopeningFigure = {
  casesOpened: 'cases_opened',
  casesClosed: 'cases_closed',
  openCases: 'open_cases',
} as const;

export const ENTERPRISE_REOPENING_LEVELS: readonly string[] = [EnterpriseReopeningFigure.openCases];

/** A counted figure: what happened today (city day of the "as of" instant) and in all. */
export interface CaseCounter {
  today: number;
  total: number;
}

/** The enterprise-reopening section of an overview (one district, one subdistrict or the city). */
export interface EnterpriseReopeningFigures {
  openCases: number;
  opened: CaseCounter;
  closed: CaseCounter;
}

/** One day of the enterprise-reopening series. */
export interface EnterpriseReopeningDayFigures {
  openCases: number;
  opened: number;
  closed: number;
}

export function emptyEnterpriseReopeningFigures(): EnterpriseReopeningFigures {
  return { openCases: 0, opened: { today: 0, total: 0 }, closed: { today: 0, total: 0 } };
}

export function emptyEnterpriseReopeningDay(): EnterpriseReopeningDayFigures {
  return { openCases: 0, opened: 0, closed: 0 };
}

/** The figures of one area (or of the city) from its summed cells. */
export function foldEnterpriseReopeningFigures(cells: readonly FigureCell[]): EnterpriseReopeningFigures {
  const f = emptyEnterpriseReopeningFigures();
  for (const cell of cells) {
    if (cell.figure === EnterpriseReopeningFigure.openCases) f.openCases += cell.total;
    const counter =
      cell.figure === EnterpriseReopeningFigure.casesOpened ? f.opened : cell.figure === EnterpriseReopeningFigure.casesClosed ? f.closed : undefined;
    if (counter) {
      counter.today += cell.today;
      counter.total += cell.total;
    }
  }
  return f;
}

/** Daily sums of one day, folded into a series point; `levels` are the running levels at the day's end. */
export function foldEnterpriseReopeningDay(sums: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): EnterpriseReopeningDayFigures {
  return {
    openCases: levels.get(EnterpriseReopeningFigure.openCases) ?? 0,
    opened: sums.get(EnterpriseReopeningFigure.casesOpened) ?? 0,
    closed: sums.get(EnterpriseReopeningFigure.casesClosed) ?? 0,
  };
}
