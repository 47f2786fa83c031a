import type { FigureCell } from '../../read-model/figures/figure-store';

/**
 * The figures policy-relief keeps in the shared figure storage (`figure` values).
 * Counters add up what happened; `openCases` is a level kept as +/- deltas, so
 * its sum up to any instant is the level at that instant.
 */
export const PolicyReliefFigure = {
  casesOpened: 'cases_opened',
  casesClosed: 'cases_closed',
  openCases: 'open_cases',
} as const;

export const POLICY_RELIEF_LEVELS: readonly string[] = [PolicyReliefFigure.openCases];

/** A counted figure: what happened today (city day of the "as of" instant) and in all. */
export interface CaseCounter {
  today: number;
  total: number;
}

/** The policy-relief section of an overview (one district, one subdistrict or the city). */
export interface PolicyReliefFigures {
  openCases: number;
  opened: CaseCounter;
  closed: CaseCounter;
}

/** One day of the policy-relief series. */
export interface PolicyReliefDayFigures {
  openCases: number;
  opened: number;
  closed: number;
}

export function emptyPolicyReliefFigures(): PolicyReliefFigures {
  return { openCases: 0, opened: { today: 0, total: 0 }, closed: { today: 0, total: 0 } };
}

export function emptyPolicyReliefDay(): PolicyReliefDayFigures {
  return { openCases: 0, opened: 0, closed: 0 };
}

/** The figures of one area (or of the city) from its summed cells. */
export function foldPolicyReliefFigures(cells: readonly FigureCell[]): PolicyReliefFigures {
  const f = emptyPolicyReliefFigures();
  for (const cell of cells) {
    if (cell.figure === PolicyReliefFigure.openCases) f.openCases += cell.total;
    const counter = cell.figure === PolicyReliefFigure.casesOpened ? f.opened : cell.figure === PolicyReliefFigure.casesClosed ? f.closed : undefined;
    if (counter) {
      counter.today += cell.today;
      counter.total += cell.total;
    }
  }
  return f;
}

/** Daily sums of one day, folded into a series point; `levels` are the running levels at the day's end. */
export function foldPolicyReliefDay(sums: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): PolicyReliefDayFigures {
  return {
    openCases: levels.get(PolicyReliefFigure.openCases) ?? 0,
    opened: sums.get(PolicyReliefFigure.casesOpened) ?? 0,
    closed: sums.get(PolicyReliefFigure.casesClosed) ?? 0,
  };
}
