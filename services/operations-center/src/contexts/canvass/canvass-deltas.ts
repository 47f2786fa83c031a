import type { CanvassVisitRecorded, DoorstepServiceDelivered, GateShiftEnded, UnitKind, UnitLocation } from '@city/contracts';
import { CanvassMetric, NO_DIM, NO_KIND, type CanvassMetricName } from './canvass-metrics';

/** One change to one figure, caused by one event at the event's own time. */
export interface FigureDelta {
  readonly metric: CanvassMetricName;
  readonly dim: string;
  readonly value: number;
  /** ISO-8601 instant the fact happened (the event's own timestamp, not when it was recorded). */
  readonly occurredAt: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly unitKind: UnitKind | typeof NO_KIND;
}

/** Where and when a set of deltas happened. */
export interface DeltaPlace extends UnitLocation {
  readonly occurredAt: string;
  readonly unitKind: UnitKind | typeof NO_KIND;
}

export function delta(place: DeltaPlace, metric: CanvassMetricName, value: number, dim: string = NO_DIM): FigureDelta {
  return {
    metric,
    dim,
    value,
    occurredAt: place.occurredAt,
    districtCode: place.districtCode,
    subdistrictCode: place.subdistrictCode,
    unitKind: place.unitKind,
  };
}

/** The counters one canvass visit adds (people in home observation is a level; see the projection). */
export function visitDeltas(data: CanvassVisitRecorded['data']): FigureDelta[] {
  const place: DeltaPlace = { ...location(data), occurredAt: data.visitedAt, unitKind: data.kind };
  const f = data.findings;
  const problemsByCategory = new Map<string, number>();
  for (const p of f.problems) problemsByCategory.set(p.category, (problemsByCategory.get(p.category) ?? 0) + 1);
  return [
    delta(place, CanvassMetric.visits, 1),
    delta(place, CanvassMetric.householdsCanvassed, f.householdsCanvassed),
    delta(place, CanvassMetric.returnedFromOutside, f.returnedFromOutside),
    delta(place, CanvassMetric.tenantsOpened, f.tenantsOpened),
    delta(place, CanvassMetric.tenantsClosed, f.tenantsClosed),
    ...[...problemsByCategory].map(([category, count]) => delta(place, CanvassMetric.problems, count, category)),
  ].filter((d) => d.value !== 0 || d.metric === CanvassMetric.visits);
}

/**
 * A finished gate shift. Its hours count on the city day it ended: the shift is
 * a fact once it has ended, and a figure "as of" an instant never includes
 * hours of a shift that had not ended by then.
 */
export function gateShiftDeltas(data: GateShiftEnded['data']): FigureDelta[] {
  const place: DeltaPlace = { ...location(data), occurredAt: data.endedAt, unitKind: NO_KIND };
  return [
    delta(place, CanvassMetric.gateShifts, 1),
    delta(place, CanvassMetric.gateHours, shiftHours(data.startedAt, data.endedAt)),
    delta(place, CanvassMetric.peopleChecked, data.peopleChecked),
    delta(place, CanvassMetric.peopleRegistered, data.peopleRegistered),
  ];
}

export function doorstepServiceDeltas(data: DoorstepServiceDelivered['data']): FigureDelta[] {
  const place: DeltaPlace = { ...location(data), occurredAt: data.deliveredAt, unitKind: NO_KIND };
  return [
    delta(place, CanvassMetric.doorstepServices, 1, data.kind),
    delta(place, CanvassMetric.servedHouseholds, data.households, data.kind),
  ];
}

/** Hours between two instants, to the second; a shift that ends before it starts counts 0. */
export function shiftHours(startedAt: string, endedAt: string): number {
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return Math.round(ms / 1000) / 3600;
}

function location(data: UnitLocation): UnitLocation {
  return { districtCode: data.districtCode, subdistrictCode: data.subdistrictCode };
}
