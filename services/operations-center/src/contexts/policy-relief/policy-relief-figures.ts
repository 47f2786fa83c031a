import { MEASURE_CATALOG, RELIEF_AREAS, type ReliefArea } from '@city/contracts';
import type { FigureCell } from '../../read-model/figures/figure-store';

/**
 * The figures policy-relief keeps in the shared figure storage (`figure`
 * values), each broken down by measure (`dim` = measure id) except the time to
 * money, whose `dim` is the number of whole days from application to the
 * first payment. Counters add up what happened; `waiting` (applications
 * waiting for a decision) is a level kept as +/- deltas. Money is integer fen.
 */
export const PolicyReliefFigure = {
  applications: 'applications',
  ineligible: 'ineligible',
  approvals: 'approvals',
  rejections: 'rejections',
  withdrawals: 'withdrawals',
  waiting: 'waiting',
  grantedFen: 'granted_fen',
  disbursedFen: 'disbursed_fen',
  daysToMoney: 'days_to_money',
} as const;

export const POLICY_RELIEF_LEVELS: readonly string[] = [PolicyReliefFigure.waiting];

/** A counted figure: what happened today (city day of the "as of" instant) and in all. */
export interface ReliefCounter {
  today: number;
  total: number;
}

/** One measure's figures against its budget (the budget is city-wide; a district's page shows its share of the grants). */
export interface MeasureFigures {
  measureId: string;
  area: ReliefArea;
  applications: number;
  approvals: number;
  rejections: number;
  grantedFen: number;
  disbursedFen: number;
  budgetFen: number;
}

export interface AreaFigures {
  area: ReliefArea;
  applications: number;
  approvals: number;
  grantedFen: number;
  disbursedFen: number;
  budgetFen: number;
}

/** The policy-relief section of an overview (one district, one subdistrict or the city). */
export interface PolicyReliefFigures {
  applications: ReliefCounter;
  ineligible: ReliefCounter;
  approvals: ReliefCounter;
  rejections: ReliefCounter;
  withdrawals: ReliefCounter;
  /** Eligible applications waiting for a decision at the instant. */
  waiting: number;
  grantedFen: ReliefCounter;
  disbursedFen: ReliefCounter;
  /** Whole days from application to the first payment: median and 90th percentile over the applications paid; null before any. */
  daysToMoney: { paid: number; median: number | null; p90: number | null };
  byMeasure: MeasureFigures[];
  byArea: AreaFigures[];
}

/** One day of the policy-relief series. */
export interface PolicyReliefDayFigures {
  applications: number;
  approvals: number;
  rejections: number;
  waiting: number;
  grantedFen: number;
  disbursedFen: number;
}

const counter = (): ReliefCounter => ({ today: 0, total: 0 });

export function emptyPolicyReliefFigures(): PolicyReliefFigures {
  return {
    applications: counter(),
    ineligible: counter(),
    approvals: counter(),
    rejections: counter(),
    withdrawals: counter(),
    waiting: 0,
    grantedFen: counter(),
    disbursedFen: counter(),
    daysToMoney: { paid: 0, median: null, p90: null },
    byMeasure: MEASURE_CATALOG.measures.map((m) => ({
      measureId: m.measureId,
      area: m.area,
      applications: 0,
      approvals: 0,
      rejections: 0,
      grantedFen: 0,
      disbursedFen: 0,
      budgetFen: m.budgetFen,
    })),
    byArea: [],
  };
}

export function emptyPolicyReliefDay(): PolicyReliefDayFigures {
  return { applications: 0, approvals: 0, rejections: 0, waiting: 0, grantedFen: 0, disbursedFen: 0 };
}

const COUNTERS: Readonly<Record<string, keyof PolicyReliefFigures>> = {
  [PolicyReliefFigure.applications]: 'applications',
  [PolicyReliefFigure.ineligible]: 'ineligible',
  [PolicyReliefFigure.approvals]: 'approvals',
  [PolicyReliefFigure.rejections]: 'rejections',
  [PolicyReliefFigure.withdrawals]: 'withdrawals',
  [PolicyReliefFigure.grantedFen]: 'grantedFen',
  [PolicyReliefFigure.disbursedFen]: 'disbursedFen',
};

const PER_MEASURE: Readonly<Record<string, keyof MeasureFigures>> = {
  [PolicyReliefFigure.applications]: 'applications',
  [PolicyReliefFigure.approvals]: 'approvals',
  [PolicyReliefFigure.rejections]: 'rejections',
  [PolicyReliefFigure.grantedFen]: 'grantedFen',
  [PolicyReliefFigure.disbursedFen]: 'disbursedFen',
};

/** The figures of one area (or of the city) from its summed cells. */
export function foldPolicyReliefFigures(cells: readonly FigureCell[]): PolicyReliefFigures {
  const f = emptyPolicyReliefFigures();
  const measures = new Map(f.byMeasure.map((m) => [m.measureId, m]));
  const days = new Map<number, number>();
  for (const cell of cells) {
    if (cell.figure === PolicyReliefFigure.waiting) f.waiting += cell.total;
    if (cell.figure === PolicyReliefFigure.daysToMoney) days.set(Number(cell.dim), (days.get(Number(cell.dim)) ?? 0) + cell.total);
    const key = COUNTERS[cell.figure];
    if (key) {
      const c = f[key] as ReliefCounter;
      c.today += cell.today;
      c.total += cell.total;
    }
    const perMeasure = PER_MEASURE[cell.figure];
    const measure = measures.get(cell.dim);
    if (perMeasure && measure) (measure[perMeasure] as number) += cell.total;
  }
  f.daysToMoney = percentiles(days);
  f.byArea = RELIEF_AREAS.map((area) => {
    const of = f.byMeasure.filter((m) => m.area === area);
    const sum = (k: 'applications' | 'approvals' | 'grantedFen' | 'disbursedFen' | 'budgetFen') => of.reduce((s, m) => s + m[k], 0);
    return {
      area,
      applications: sum('applications'),
      approvals: sum('approvals'),
      grantedFen: sum('grantedFen'),
      disbursedFen: sum('disbursedFen'),
      budgetFen: sum('budgetFen'),
    };
  }).filter((a) => a.budgetFen > 0);
  return f;
}

/** Median and 90th percentile (nearest rank) of a histogram of whole days. */
function percentiles(days: ReadonlyMap<number, number>): PolicyReliefFigures['daysToMoney'] {
  const sorted = [...days].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const paid = sorted.reduce((s, [, n]) => s + n, 0);
  if (paid === 0) return { paid: 0, median: null, p90: null };
  const rank = (q: number) => {
    const target = Math.ceil(q * paid);
    let seen = 0;
    for (const [day, n] of sorted) {
      seen += n;
      if (seen >= target) return day;
    }
    return sorted[sorted.length - 1][0];
  };
  return { paid, median: rank(0.5), p90: rank(0.9) };
}

/** Daily sums of one day, folded into a series point; `levels` are the running levels at the day's end. */
export function foldPolicyReliefDay(sums: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): PolicyReliefDayFigures {
  return {
    applications: sums.get(PolicyReliefFigure.applications) ?? 0,
    approvals: sums.get(PolicyReliefFigure.approvals) ?? 0,
    rejections: sums.get(PolicyReliefFigure.rejections) ?? 0,
    waiting: levels.get(PolicyReliefFigure.waiting) ?? 0,
    grantedFen: sums.get(PolicyReliefFigure.grantedFen) ?? 0,
    disbursedFen: sums.get(PolicyReliefFigure.disbursedFen) ?? 0,
  };
}
