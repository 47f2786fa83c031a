import type { FigureCell } from '../../read-model/figures/figure-store';

/**
 * The figures traveller-health keeps in the shared figure storage (`figure` values, `dim` as noted).
 * Counters add up what happened; `underObservation` and `openFlags` are levels kept as +/- deltas,
 * so their sum up to any instant is the level at that instant. Areas are the destination's
 * district and subdistrict (where the community answers for the person). No personal data.
 */
export const TravellerHealthFigure = {
  /** dim = checkpoint kind */
  registrations: 'registrations',
  /** dim = province of origin (GB/T 2260) */
  registrationsByOrigin: 'registrations_by_origin',
  keyPersonsPushed: 'key_persons_pushed',
  observationsStarted: 'observations_started',
  /** level */
  underObservation: 'under_observation',
  checkIns: 'check_ins',
  checkInsMissed: 'check_ins_missed',
  /** dim = flag kind */
  flagsRaised: 'flags_raised',
  /** level */
  openFlags: 'open_flags',
  referrals: 'referrals',
  /** dim = outcome */
  referralOutcomes: 'referral_outcomes',
  releases: 'releases',
} as const;

export const TRAVELLER_HEALTH_LEVELS: readonly string[] = [TravellerHealthFigure.underObservation, TravellerHealthFigure.openFlags];

/** A counted figure: what happened today (city day of the "as of" instant) and in all. */
export interface Counter {
  today: number;
  total: number;
}

/** The traveller-health section of an overview (one district, one subdistrict or the city). */
export interface TravellerHealthFigures {
  registrations: Counter & { byCheckpointKind: Record<string, Counter>; byOrigin: Record<string, Counter> };
  keyPersonsPushed: Counter;
  observationsStarted: Counter;
  underObservation: number;
  checkIns: Counter;
  checkInsMissed: Counter;
  /** Check-ins made of those due today (made + missed); null when none was due. */
  complianceToday: number | null;
  flagsRaised: Counter & { byKind: Record<string, Counter> };
  openFlags: number;
  referrals: Counter;
  referralOutcomes: Record<string, Counter>;
  releases: Counter;
}

/** One day of the traveller-health series. */
export interface TravellerHealthDayFigures {
  registrations: number;
  keyPersonsPushed: number;
  underObservation: number;
  checkIns: number;
  checkInsMissed: number;
  flagsRaised: number;
  openFlags: number;
  referrals: number;
  releases: number;
}

const counter = (): Counter => ({ today: 0, total: 0 });

export function emptyTravellerHealthFigures(): TravellerHealthFigures {
  return {
    registrations: { ...counter(), byCheckpointKind: {}, byOrigin: {} },
    keyPersonsPushed: counter(),
    observationsStarted: counter(),
    underObservation: 0,
    checkIns: counter(),
    checkInsMissed: counter(),
    complianceToday: null,
    flagsRaised: { ...counter(), byKind: {} },
    openFlags: 0,
    referrals: counter(),
    referralOutcomes: {},
    releases: counter(),
  };
}

export function emptyTravellerHealthDay(): TravellerHealthDayFigures {
  return {
    registrations: 0,
    keyPersonsPushed: 0,
    underObservation: 0,
    checkIns: 0,
    checkInsMissed: 0,
    flagsRaised: 0,
    openFlags: 0,
    referrals: 0,
    releases: 0,
  };
}

/** The figures of one area (or of the city) from its summed cells. */
export function foldTravellerHealthFigures(cells: readonly FigureCell[]): TravellerHealthFigures {
  const f = emptyTravellerHealthFigures();
  const add = (c: Counter, cell: FigureCell) => {
    c.today += cell.today;
    c.total += cell.total;
  };
  for (const cell of cells) {
    switch (cell.figure) {
      case TravellerHealthFigure.registrations:
        add(f.registrations, cell);
        add((f.registrations.byCheckpointKind[cell.dim] ??= counter()), cell);
        break;
      case TravellerHealthFigure.registrationsByOrigin:
        add((f.registrations.byOrigin[cell.dim] ??= counter()), cell);
        break;
      case TravellerHealthFigure.keyPersonsPushed:
        add(f.keyPersonsPushed, cell);
        break;
      case TravellerHealthFigure.observationsStarted:
        add(f.observationsStarted, cell);
        break;
      case TravellerHealthFigure.underObservation:
        f.underObservation += cell.total;
        break;
      case TravellerHealthFigure.checkIns:
        add(f.checkIns, cell);
        break;
      case TravellerHealthFigure.checkInsMissed:
        add(f.checkInsMissed, cell);
        break;
      case TravellerHealthFigure.flagsRaised:
        add(f.flagsRaised, cell);
        add((f.flagsRaised.byKind[cell.dim] ??= counter()), cell);
        break;
      case TravellerHealthFigure.openFlags:
        f.openFlags += cell.total;
        break;
      case TravellerHealthFigure.referrals:
        add(f.referrals, cell);
        break;
      case TravellerHealthFigure.referralOutcomes:
        add((f.referralOutcomes[cell.dim] ??= counter()), cell);
        break;
      case TravellerHealthFigure.releases:
        add(f.releases, cell);
        break;
    }
  }
  const due = f.checkIns.today + f.checkInsMissed.today;
  f.complianceToday = due === 0 ? null : f.checkIns.today / due;
  return f;
}

/** Daily sums of one day, folded into a series point; `levels` are the running levels at the day's end. */
export function foldTravellerHealthDay(sums: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): TravellerHealthDayFigures {
  const sum = (figure: string) => sums.get(figure) ?? 0;
  return {
    registrations: sum(TravellerHealthFigure.registrations),
    keyPersonsPushed: sum(TravellerHealthFigure.keyPersonsPushed),
    underObservation: levels.get(TravellerHealthFigure.underObservation) ?? 0,
    checkIns: sum(TravellerHealthFigure.checkIns),
    checkInsMissed: sum(TravellerHealthFigure.checkInsMissed),
    flagsRaised: sum(TravellerHealthFigure.flagsRaised),
    openFlags: levels.get(TravellerHealthFigure.openFlags) ?? 0,
    referrals: sum(TravellerHealthFigure.referrals),
    releases: sum(TravellerHealthFigure.releases),
  };
}
