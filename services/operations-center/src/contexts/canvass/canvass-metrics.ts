/**
 * The figures canvass keeps in the shared figure storage (`figure` values).
 * Counters add up what happened; levels (`LEVEL_METRICS`) are states (units
 * active now, people in home observation now) kept as +/- deltas, so their sum
 * up to any instant is the level at that instant.
 */
export const CanvassMetric = {
  /** dim = unit kind */
  activeUnits: 'active_units',
  /** dim = unit kind; +1 at a unit's first visit of a city day (moved if an earlier visit arrives late) */
  unitsCanvassed: 'units_canvassed',
  householdsRegistered: 'households_registered',
  inHomeObservation: 'in_home_observation',
  visits: 'visits',
  householdsCanvassed: 'households_canvassed',
  returnedFromOutside: 'returned_from_outside',
  tenantsOpened: 'tenants_opened',
  tenantsClosed: 'tenants_closed',
  /** dim = problem category */
  problems: 'problems',
  gateShifts: 'gate_shifts',
  gateHours: 'gate_hours',
  peopleChecked: 'people_checked',
  peopleRegistered: 'people_registered',
  /** dim = service kind */
  doorstepServices: 'doorstep_services',
  /** dim = service kind */
  servedHouseholds: 'served_households',
} as const;

export type CanvassMetricName = (typeof CanvassMetric)[keyof typeof CanvassMetric];

export const LEVEL_METRICS: readonly CanvassMetricName[] = [CanvassMetric.activeUnits, CanvassMetric.householdsRegistered, CanvassMetric.inHomeObservation];
/** Dimension of a fact that has none. */
export const NO_DIM = '';
