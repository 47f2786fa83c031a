import type { FigureCell } from '../../read-model/figures/figure-store';

/**
 * The figures enterprise-reopening keeps in the shared figure storage (`figure` values).
 * Both are levels kept as +1 deltas: enterprises registered and reopened up to any instant.
 */
export const EnterpriseReopeningFigure = {
  registered: 'enterprises_registered',
  reopened: 'enterprises_reopened',
} as const;

export const ENTERPRISE_REOPENING_LEVELS: readonly string[] = [EnterpriseReopeningFigure.registered, EnterpriseReopeningFigure.reopened];

/** The enterprise-reopening section of an overview (one district, one subdistrict or the city). */
export interface EnterpriseReopeningFigures {
  registered: number;
  reopened: number;
  /** Share of registered enterprises reopened, 0..1 (0 when none is registered). */
  reopeningRate: number;
}

/** One day of the enterprise-reopening series. */
export interface EnterpriseReopeningDayFigures {
  registered: number;
  reopened: number;
  reopeningRate: number;
}

const rate = (reopened: number, registered: number): number => (registered === 0 ? 0 : reopened / registered);

export function emptyEnterpriseReopeningFigures(): EnterpriseReopeningFigures {
  return { registered: 0, reopened: 0, reopeningRate: 0 };
}

export function emptyEnterpriseReopeningDay(): EnterpriseReopeningDayFigures {
  return { registered: 0, reopened: 0, reopeningRate: 0 };
}

/** The figures of one area (or of the city) from its summed cells. */
export function foldEnterpriseReopeningFigures(cells: readonly FigureCell[]): EnterpriseReopeningFigures {
  const f = emptyEnterpriseReopeningFigures();
  for (const cell of cells) {
    if (cell.figure === EnterpriseReopeningFigure.registered) f.registered += cell.total;
    if (cell.figure === EnterpriseReopeningFigure.reopened) f.reopened += cell.total;
  }
  f.reopeningRate = rate(f.reopened, f.registered);
  return f;
}

/** Daily sums of one day, folded into a series point; `levels` are the running levels at the day's end. */
export function foldEnterpriseReopeningDay(_sums: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): EnterpriseReopeningDayFigures {
  const registered = levels.get(EnterpriseReopeningFigure.registered) ?? 0;
  const reopened = levels.get(EnterpriseReopeningFigure.reopened) ?? 0;
  return { registered, reopened, reopeningRate: rate(reopened, registered) };
}
