/**
 * The figures the canvass read model keeps, as `metric` values of its fact
 * rows. Counters add up what happened; levels (`LEVEL_METRICS`) are states
 * (units active now, people in home observation now) kept as +/- deltas, so
 * their sum up to any instant is the level at that instant.
 */
export const CanvassMetric = {
  activeUnits: 'active_units',
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

export const LEVEL_METRICS: readonly CanvassMetricName[] = [
  CanvassMetric.activeUnits,
  CanvassMetric.householdsRegistered,
  CanvassMetric.inHomeObservation,
];

/** Unit kind of a fact that is not broken down by kind (gate duty, doorstep services). */
export const NO_KIND = '';
/** Dimension of a fact that has none. */
export const NO_DIM = '';
