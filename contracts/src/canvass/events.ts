/**
 * The events of the canvass context ("five responsibilities, one network"),
 * published on Kafka topic `canvass.events.v1`. Each type has a JSON Schema per
 * version in contracts/topics/canvass.events.v1/schemas. Timestamps are ISO-8601
 * with offset; district codes are GB/T 2260; ids are opaque strings.
 * No personal data of residents travels here: households are counted, not named.
 */

export const CANVASS_TOPIC = 'canvass.events.v1';
/** Every canvass stream id starts with this prefix. */
export const CANVASS_STREAM_PREFIX = 'canvass.';

export const UNIT_KINDS = ['street-block', 'office-building', 'residential-building-group', 'village-group', 'market'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const PROBLEM_CATEGORIES = ['prevention-supplies', 'unregistered-returnee', 'gathering', 'sanitation', 'business-operation', 'other'] as const;
export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number];

export const DOORSTEP_SERVICE_KINDS = ['groceries', 'delivery', 'medicine'] as const;
export type DoorstepServiceKind = (typeof DOORSTEP_SERVICE_KINDS)[number];

/** Size of a unit: tenants (office buildings), street shops, households. */
export interface UnitSize {
  readonly tenants: number;
  readonly shops: number;
  readonly households: number;
}

/** Where a unit is; carried on every unit event so consumers need no join. */
export interface UnitLocation {
  readonly districtCode: string;
  readonly subdistrictCode: string;
}

export interface SubdistrictRegistered {
  readonly type: 'SubdistrictRegistered';
  readonly data: {
    readonly districtCode: string;
    readonly subdistrictCode: string;
    readonly name: string;
    readonly registeredAt: string;
  };
}

/** What a unit is and where, as registered. */
export interface UnitProfile extends UnitLocation {
  readonly unitId: string;
  readonly kind: UnitKind;
  readonly name: string;
  /** Address of the building or block (a place, not a person). */
  readonly address: string;
  readonly residentsCommittee?: string;
  readonly size: UnitSize;
}

/** The profile fields of a command, event or view that carries more: a copy with nothing else. */
export function unitProfileOf(d: UnitProfile): UnitProfile {
  return {
    unitId: d.unitId,
    kind: d.kind,
    name: d.name,
    address: d.address,
    districtCode: d.districtCode,
    subdistrictCode: d.subdistrictCode,
    ...(d.residentsCommittee === undefined ? {} : { residentsCommittee: d.residentsCommittee }),
    size: { tenants: d.size.tenants, shops: d.size.shops, households: d.size.households },
  };
}

export interface UnitRegistered {
  readonly type: 'UnitRegistered';
  readonly data: UnitProfile & {
    readonly registeredAt: string;
  };
}

export interface UnitSizeUpdated {
  readonly type: 'UnitSizeUpdated';
  readonly data: UnitLocation & {
    readonly unitId: string;
    readonly kind: UnitKind;
    readonly size: UnitSize;
    readonly updatedAt: string;
  };
}

export interface UnitRetired {
  readonly type: 'UnitRetired';
  readonly data: UnitLocation & {
    readonly unitId: string;
    readonly kind: UnitKind;
    readonly reason?: string;
    readonly retiredAt: string;
  };
}

export interface ResponsibleOfficialAssigned {
  readonly type: 'ResponsibleOfficialAssigned';
  readonly data: UnitLocation & {
    readonly unitId: string;
    readonly officialId: string;
    /** The official who answered for the unit until now; null on first assignment. */
    readonly previousOfficialId: string | null;
    readonly assignedBy: string;
    readonly assignedAt: string;
  };
}

export interface CanvassFindings {
  readonly tenantsOpened: number;
  readonly tenantsClosed: number;
  readonly householdsCanvassed: number;
  readonly returnedFromOutside: number;
  readonly inHomeObservation: number;
  readonly problems: readonly { readonly category: ProblemCategory; readonly description?: string }[];
  readonly note?: string;
}

export interface CanvassVisitRecorded {
  readonly type: 'CanvassVisitRecorded';
  readonly data: UnitLocation & {
    /** Client-generated id: a resent visit with the same id is recorded once. */
    readonly visitId: string;
    readonly unitId: string;
    readonly kind: UnitKind;
    /** The official who answers for the unit. */
    readonly officialId: string;
    /** Who actually recorded it; differs from officialId when standing in. */
    readonly recordedBy: string;
    readonly standingIn: boolean;
    readonly visitedAt: string;
    readonly findings: CanvassFindings;
  };
}

export interface GateShiftStarted {
  readonly type: 'GateShiftStarted';
  readonly data: UnitLocation & {
    readonly shiftId: string;
    /** The compound (a residential building group or village group unit). */
    readonly unitId: string;
    readonly gate: string;
    readonly officialId: string;
    readonly startedAt: string;
  };
}

export interface GateShiftEnded {
  readonly type: 'GateShiftEnded';
  readonly data: UnitLocation & {
    readonly shiftId: string;
    readonly unitId: string;
    readonly officialId: string;
    readonly startedAt: string;
    readonly endedAt: string;
    readonly peopleChecked: number;
    readonly peopleRegistered: number;
  };
}

export interface DoorstepServiceDelivered {
  readonly type: 'DoorstepServiceDelivered';
  readonly data: UnitLocation & {
    readonly serviceId: string;
    readonly unitId: string;
    readonly kind: DoorstepServiceKind;
    readonly deliveredBy: string;
    readonly deliveredAt: string;
    /** Count of households served in this run. */
    readonly households: number;
  };
}

export type CanvassEvent =
  | SubdistrictRegistered
  | UnitRegistered
  | UnitSizeUpdated
  | UnitRetired
  | ResponsibleOfficialAssigned
  | CanvassVisitRecorded
  | GateShiftStarted
  | GateShiftEnded
  | DoorstepServiceDelivered;

export type CanvassEventType = CanvassEvent['type'];

export const CANVASS_EVENT_TYPES: readonly CanvassEventType[] = [
  'SubdistrictRegistered',
  'UnitRegistered',
  'UnitSizeUpdated',
  'UnitRetired',
  'ResponsibleOfficialAssigned',
  'CanvassVisitRecorded',
  'GateShiftStarted',
  'GateShiftEnded',
  'DoorstepServiceDelivered',
];

/** Stream ids of the canvass context (key on Kafka). */
export const canvassStreams = {
  district: (districtCode: string) => `canvass.district-${districtCode}`,
  unit: (unitId: string) => `canvass.unit-${unitId}`,
  gateShift: (shiftId: string) => `canvass.gate-shift-${shiftId}`,
};
