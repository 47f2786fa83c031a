import { DOORSTEP_SERVICE_KINDS, PROBLEM_CATEGORIES, UNIT_KINDS, type UnitKind } from '@city/contracts';
import type { FigureCell } from '../../read-model/figures/figure-store';
import { CanvassMetric } from './canvass-metrics';

/** A counted figure: what happened today (city day of the "as of" instant) and in all. */
export interface Counter {
  today: number;
  total: number;
}

/** Units of an area: active ones, distinct ones canvassed today, and their ratio. */
export interface UnitCoverage {
  active: number;
  canvassedToday: number;
  /** canvassedToday / active, 0..1; null when the area has no active unit. */
  coverageToday: number | null;
}

/** The canvass section of an overview (one district, one subdistrict or the city). */
export interface CanvassFigures {
  units: UnitCoverage & { byKind: Record<UnitKind, UnitCoverage> };
  /** Households in active units (from their registered size). */
  householdsRegistered: number;
  visits: Counter;
  householdsCanvassed: Counter;
  returnedFromOutside: Counter;
  /** People in home observation now: per unit, the count its latest visit found. */
  inHomeObservation: number;
  tenantsOpened: Counter;
  tenantsClosed: Counter;
  problems: Counter & { byCategory: Record<string, Counter> };
  gateDuty: { shifts: Counter; hours: Counter; peopleChecked: Counter; peopleRegistered: Counter };
  doorstepServices: Counter & { households: Counter; byKind: Record<string, Counter> };
}

/** One day of the canvass series. */
export interface CanvassDayFigures {
  activeUnits: number;
  unitsCanvassed: number;
  coverage: number | null;
  visits: number;
  householdsCanvassed: number;
  returnedFromOutside: number;
  inHomeObservation: number;
  problems: number;
  gateHours: number;
  doorstepServices: number;
}

const counter = (): Counter => ({ today: 0, total: 0 });
const coverage = (): UnitCoverage => ({ active: 0, canvassedToday: 0, coverageToday: null });

export function emptyCanvassFigures(): CanvassFigures {
  return {
    units: { ...coverage(), byKind: Object.fromEntries(UNIT_KINDS.map((k) => [k, coverage()])) as Record<UnitKind, UnitCoverage> },
    householdsRegistered: 0,
    visits: counter(),
    householdsCanvassed: counter(),
    returnedFromOutside: counter(),
    inHomeObservation: 0,
    tenantsOpened: counter(),
    tenantsClosed: counter(),
    problems: { ...counter(), byCategory: Object.fromEntries(PROBLEM_CATEGORIES.map((c) => [c, counter()])) },
    gateDuty: { shifts: counter(), hours: counter(), peopleChecked: counter(), peopleRegistered: counter() },
    doorstepServices: { ...counter(), households: counter(), byKind: Object.fromEntries(DOORSTEP_SERVICE_KINDS.map((k) => [k, counter()])) },
  };
}

export function emptyCanvassDay(): CanvassDayFigures {
  return {
    activeUnits: 0,
    unitsCanvassed: 0,
    coverage: null,
    visits: 0,
    householdsCanvassed: 0,
    returnedFromOutside: 0,
    inHomeObservation: 0,
    problems: 0,
    gateHours: 0,
    doorstepServices: 0,
  };
}

/** The canvass figures of one area (or of the city) from its summed cells. */
export function foldCanvassFigures(cells: readonly FigureCell[]): CanvassFigures {
  const f = emptyCanvassFigures();
  for (const cell of cells) addCell(f, cell);
  finish(f);
  return f;
}

function addCell(f: CanvassFigures, cell: FigureCell): void {
  const add = (c: Counter) => {
    c.today += cell.today;
    c.total += cell.total;
  };
  switch (cell.figure) {
    case CanvassMetric.activeUnits: {
      f.units.active += cell.total;
      const kind = f.units.byKind[cell.dim as UnitKind];
      if (kind) kind.active += cell.total;
      return;
    }
    case CanvassMetric.unitsCanvassed: {
      f.units.canvassedToday += cell.today;
      const kind = f.units.byKind[cell.dim as UnitKind];
      if (kind) kind.canvassedToday += cell.today;
      return;
    }
    case CanvassMetric.householdsRegistered:
      f.householdsRegistered += cell.total;
      return;
    case CanvassMetric.inHomeObservation:
      f.inHomeObservation += cell.total;
      return;
    case CanvassMetric.visits:
      return add(f.visits);
    case CanvassMetric.householdsCanvassed:
      return add(f.householdsCanvassed);
    case CanvassMetric.returnedFromOutside:
      return add(f.returnedFromOutside);
    case CanvassMetric.tenantsOpened:
      return add(f.tenantsOpened);
    case CanvassMetric.tenantsClosed:
      return add(f.tenantsClosed);
    case CanvassMetric.problems:
      add(f.problems);
      return add((f.problems.byCategory[cell.dim] ??= counter()));
    case CanvassMetric.gateShifts:
      return add(f.gateDuty.shifts);
    case CanvassMetric.gateHours:
      return add(f.gateDuty.hours);
    case CanvassMetric.peopleChecked:
      return add(f.gateDuty.peopleChecked);
    case CanvassMetric.peopleRegistered:
      return add(f.gateDuty.peopleRegistered);
    case CanvassMetric.doorstepServices:
      add(f.doorstepServices);
      return add((f.doorstepServices.byKind[cell.dim] ??= counter()));
    case CanvassMetric.servedHouseholds:
      return add(f.doorstepServices.households);
    default:
      return; // a metric a newer projection version writes; this reader does not show it
  }
}

function finish(f: CanvassFigures): void {
  f.units.coverageToday = ratio(f.units.canvassedToday, f.units.active);
  for (const k of Object.values(f.units.byKind)) k.coverageToday = ratio(k.canvassedToday, k.active);
  f.gateDuty.hours.today = round(f.gateDuty.hours.today, 2);
  f.gateDuty.hours.total = round(f.gateDuty.hours.total, 2);
}

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? round(part / whole, 4) : null;
}

function round(value: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(value * p) / p;
}

/** Daily sums of one day, folded into a series point. `levels` are the running levels at the day's end. */
export function foldCanvassDay(sums: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): CanvassDayFigures {
  const get = (metric: string) => sums.get(metric) ?? 0;
  const activeUnits = levels.get(CanvassMetric.activeUnits) ?? 0;
  const unitsCanvassed = get(CanvassMetric.unitsCanvassed);
  return {
    activeUnits,
    unitsCanvassed,
    coverage: ratio(unitsCanvassed, activeUnits),
    visits: get(CanvassMetric.visits),
    householdsCanvassed: get(CanvassMetric.householdsCanvassed),
    returnedFromOutside: get(CanvassMetric.returnedFromOutside),
    inHomeObservation: levels.get(CanvassMetric.inHomeObservation) ?? 0,
    problems: get(CanvassMetric.problems),
    gateHours: round(get(CanvassMetric.gateHours), 2),
    doorstepServices: get(CanvassMetric.doorstepServices),
  };
}
