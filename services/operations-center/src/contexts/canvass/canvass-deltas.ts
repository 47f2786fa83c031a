import type { CanvassVisitRecorded, DoorstepServiceDelivered, GateShiftEnded, UnitLocation } from '@city/contracts';
import type { FigureDelta } from '../../read-model/figures/figure-store';
import { CanvassMetric, NO_DIM, type CanvassMetricName } from './canvass-metrics';

/** Where and when a set of deltas happened. */
export interface DeltaPlace extends UnitLocation {
  readonly occurredAt: string;
}

export function delta(place: DeltaPlace, metric: CanvassMetricName, value: number, dim: string = NO_DIM): FigureDelta {
  return { figure: metric, dim, value, occurredAt: place.occurredAt, districtCode: place.districtCode, subdistrictCode: place.subdistrictCode };
}

/** The counters one canvass visit adds (people in home observation is a level; see the projection). */
export function visitDeltas(data: CanvassVisitRecorded['data']): FigureDelta[] {
  const place: DeltaPlace = { ...location(data), occurredAt: data.visitedAt };
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
  ].filter((d) => d.value !== 0 || d.figure === CanvassMetric.visits);
}

/**
 * A finished gate shift. Its hours count on the city day it ended: the shift is
 * a fact once it has ended, and a figure "as of" an instant never includes
 * hours of a shift that had not ended by then.
 */
export function gateShiftDeltas(data: GateShiftEnded['data']): FigureDelta[] {
  const place: DeltaPlace = { ...location(data), occurredAt: data.endedAt };
  return [
    delta(place, CanvassMetric.gateShifts, 1),
    delta(place, CanvassMetric.gateHours, shiftHours(data.startedAt, data.endedAt)),
    delta(place, CanvassMetric.peopleChecked, data.peopleChecked),
    delta(place, CanvassMetric.peopleRegistered, data.peopleRegistered),
  ];
}

export function doorstepServiceDeltas(data: DoorstepServiceDelivered['data']): FigureDelta[] {
  const place: DeltaPlace = { ...location(data), occurredAt: data.deliveredAt };
  return [delta(place, CanvassMetric.doorstepServices, 1, data.kind), delta(place, CanvassMetric.servedHouseholds, data.households, data.kind)];
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
