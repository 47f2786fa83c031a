import type { FigureCell } from '../../read-model/figures/figure-store';

/**
 * The figures traveller-health keeps in the shared figure storage (`figure` values).
 * Counters add up what happened; `openCases` is a level kept as +/- deltas, so
 * its sum up to any instant is the level at that instant.
 */
export const TravellerHealthFigure = {
  casesOpened: 'cases_opened',
  casesClosed: 'cases_closed',
  openCases: 'open_cases',
} as const;

export const TRAVELLER_HEALTH_LEVELS: readonly string[] = [TravellerHealthFigure.openCases];

/** A counted figure: what happened today (city day of the "as of" instant) and in all. */
export interface CaseCounter {
  today: number;
  total: number;
}

/** The traveller-health section of an overview (one district, one subdistrict or the city). */
export interface TravellerHealthFigures {
  openCases: number;
  opened: CaseCounter;
  closed: CaseCounter;
}

/** One day of the traveller-health series. */
export interface TravellerHealthDayFigures {
  openCases: number;
  opened: number;
  closed: number;
}

export function emptyTravellerHealthFigures(): TravellerHealthFigures {
  return { openCases: 0, opened: { today: 0, total: 0 }, closed: { today: 0, total: 0 } };
}

export function emptyTravellerHealthDay(): TravellerHealthDayFigures {
  return { openCases: 0, opened: 0, closed: 0 };
}

/** The figures of one area (or of the city) from its summed cells. */
export function foldTravellerHealthFigures(cells: readonly FigureCell[]): TravellerHealthFigures {
  const f = emptyTravellerHealthFigures();
  for (const cell of cells) {
    if (cell.figure === TravellerHealthFigure.openCases) f.openCases += cell.total;
    const counter = cell.figure === TravellerHealthFigure.casesOpened ? f.opened : cell.figure === TravellerHealthFigure.casesClosed ? f.closed : undefined;
    if (counter) {
      counter.today += cell.today;
      counter.total += cell.total;
    }
  }
  return f;
}

/** Daily sums of one day, folded into a series point; `levels` are the running levels at the day's end. */
export function foldTravellerHealthDay(sums: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): TravellerHealthDayFigures {
  return {
    openCases: levels.get(TravellerHealthFigure.openCases) ?? 0,
    opened: sums.get(TravellerHealthFigure.casesOpened) ?? 0,
    closed: sums.get(TravellerHealthFigure.casesClosed) ?? 0,
  };
}
