import { assertNever, ConcurrencyError, NotFoundError, RuleViolationError, type Decider } from '@city/eventsourcing';
import {
  canvassStreams,
  isDistrictCode,
  unitProfileOf,
  type CanvassFindings,
  type CanvassVisitRecorded,
  type DoorstepServiceDelivered,
  type DoorstepServiceKind,
  type ResponsibleOfficialAssigned,
  type UnitKind,
  type UnitLocation,
  type UnitProfile,
  type UnitRegistered,
  type UnitRetired,
  type UnitSize,
  type UnitSizeUpdated,
} from '@city/contracts';
import { assertCanManageDistrict, assertResponsibleOrManager, fieldRelationTo, type AccessScope } from './access-policy';
import type { CommandContext } from './actor';
import { assertNotInFuture } from './city-time';
import { Rule } from './rules';

/**
 * One grassroots unit of responsibility (`canvass.unit-<id>`): its registration,
 * size and retirement, the official who answers for it (each assignment names
 * the previous official, so the stream is the assignment history), the canvass
 * visits and the doorstep services recorded on it.
 *
 * Visits and doorstep services carry client-generated ids: a phone that resends
 * one whose id the unit already holds causes no event (idempotent retry).
 */

// ---- commands ---------------------------------------------------------------

export type RegisterUnit = {
  readonly type: 'RegisterUnit';
  readonly data: UnitProfile & {
    /** Subdistricts the district has registered, read by the handler from the district stream. */
    readonly registeredSubdistricts: readonly string[];
  };
  readonly metadata: CommandContext;
};

/** Optional optimistic check: the stream version the client last saw. */
interface Versioned {
  readonly expectedVersion?: number;
}

export type UpdateUnitSize = {
  readonly type: 'UpdateUnitSize';
  readonly data: Versioned & { readonly unitId: string; readonly size: UnitSize };
  readonly metadata: CommandContext;
};

export type RetireUnit = {
  readonly type: 'RetireUnit';
  readonly data: Versioned & { readonly unitId: string; readonly reason?: string };
  readonly metadata: CommandContext;
};

export type AssignResponsibleOfficial = {
  readonly type: 'AssignResponsibleOfficial';
  readonly data: Versioned & { readonly unitId: string; readonly officialId: string };
  readonly metadata: CommandContext;
};

export type RecordCanvassVisit = {
  readonly type: 'RecordCanvassVisit';
  readonly data: { readonly unitId: string; readonly visitId: string; readonly visitedAt: string; readonly findings: CanvassFindings };
  readonly metadata: CommandContext;
};

export type RecordDoorstepService = {
  readonly type: 'RecordDoorstepService';
  readonly data: {
    readonly unitId: string;
    readonly serviceId: string;
    readonly kind: DoorstepServiceKind;
    readonly households: number;
    readonly deliveredAt: string;
  };
  readonly metadata: CommandContext;
};

export type UnitCommand = RegisterUnit | UpdateUnitSize | RetireUnit | AssignResponsibleOfficial | RecordCanvassVisit | RecordDoorstepService;

export type UnitEvent =
  | UnitRegistered
  | UnitSizeUpdated
  | UnitRetired
  | ResponsibleOfficialAssigned
  | CanvassVisitRecorded
  | DoorstepServiceDelivered;

// ---- state ------------------------------------------------------------------

export interface UnitFacts {
  readonly unitId: string;
  readonly kind: UnitKind;
  readonly name: string;
  readonly address: string;
  readonly location: UnitLocation;
  readonly residentsCommittee?: string;
  readonly size: UnitSize;
  /** The registration as recorded, to recognise a retried registration. */
  readonly registration: UnitRegistered['data'];
  /** The official who answers for the unit now; null before the first assignment. */
  readonly officialId: string | null;
  /** Stream version at which each visit id was recorded. */
  readonly visits: ReadonlyMap<string, number>;
  /** Stream version at which each doorstep service id was recorded. */
  readonly services: ReadonlyMap<string, number>;
}

export type UnitState =
  | { readonly status: 'unregistered'; readonly version: number }
  | ({ readonly status: 'active' | 'retired'; readonly version: number } & UnitFacts);

export type RegisteredUnitState = Extract<UnitState, { status: 'active' | 'retired' }>;

export function initialState(): UnitState {
  return { status: 'unregistered', version: -1 };
}

export function evolve(state: UnitState, event: UnitEvent): UnitState {
  const version = state.version + 1;
  if (event.type === 'UnitRegistered') {
    const d = event.data;
    return {
      status: 'active',
      version,
      unitId: d.unitId,
      kind: d.kind,
      name: d.name,
      address: d.address,
      location: { districtCode: d.districtCode, subdistrictCode: d.subdistrictCode },
      ...(d.residentsCommittee === undefined ? {} : { residentsCommittee: d.residentsCommittee }),
      size: d.size,
      registration: d,
      officialId: null,
      visits: new Map(),
      services: new Map(),
    };
  }
  // Every other event presupposes a registered unit; a stream never starts with one.
  if (state.status === 'unregistered') return { ...state, version };
  switch (event.type) {
    case 'UnitSizeUpdated':
      return { ...state, version, size: event.data.size };
    case 'UnitRetired':
      return { ...state, version, status: 'retired' };
    case 'ResponsibleOfficialAssigned':
      return { ...state, version, officialId: event.data.officialId };
    case 'CanvassVisitRecorded':
      return { ...state, version, visits: new Map(state.visits).set(event.data.visitId, version) };
    case 'DoorstepServiceDelivered':
      return { ...state, version, services: new Map(state.services).set(event.data.serviceId, version) };
    default:
      return assertNever(event, 'unit event');
  }
}

// ---- decisions --------------------------------------------------------------

export function registerUnit(command: RegisterUnit, state: UnitState): UnitEvent[] {
  const { registeredSubdistricts, ...d } = command.data;
  const { actor, now } = command.metadata;
  if (!isDistrictCode(d.districtCode)) throw new RuleViolationError(Rule.unknownDistrict, `District ${d.districtCode} is not one of the city's districts`);
  assertCanManageDistrict(actor, d.districtCode);
  if (!registeredSubdistricts.includes(d.subdistrictCode)) {
    throw new RuleViolationError(Rule.unknownSubdistrict, `Subdistrict ${d.subdistrictCode} is not registered in district ${d.districtCode}`);
  }
  if (state.status !== 'unregistered') {
    if (sameRegistration(state.registration, d)) return []; // a retry of the same registration
    throw new RuleViolationError(Rule.unitAlreadyRegistered, `Unit ${d.unitId} is already registered`);
  }
  return [
    {
      type: 'UnitRegistered',
      data: { ...unitProfileOf(d), registeredAt: now },
    },
  ];
}

export function updateUnitSize(command: UpdateUnitSize, state: UnitState): UnitEvent[] {
  const unit = requireActiveUnit(command.data.unitId, state, command.data.expectedVersion);
  assertResponsibleOrManager(command.metadata.actor, scopeOf(unit));
  const { size } = command.data;
  if (sameSize(unit.size, size)) return [];
  return [
    {
      type: 'UnitSizeUpdated',
      data: {
        ...unit.location,
        unitId: unit.unitId,
        kind: unit.kind,
        size: { tenants: size.tenants, shops: size.shops, households: size.households },
        updatedAt: command.metadata.now,
      },
    },
  ];
}

export function retireUnit(command: RetireUnit, state: UnitState): UnitEvent[] {
  const unit = requireUnit(command.data.unitId, state);
  checkExpectedVersion(unit, command.data.expectedVersion);
  assertCanManageDistrict(command.metadata.actor, unit.location.districtCode);
  if (unit.status === 'retired') return []; // retiring twice changes nothing
  return [
    {
      type: 'UnitRetired',
      data: {
        ...unit.location,
        unitId: unit.unitId,
        kind: unit.kind,
        ...(command.data.reason === undefined ? {} : { reason: command.data.reason }),
        retiredAt: command.metadata.now,
      },
    },
  ];
}

export function assignResponsibleOfficial(command: AssignResponsibleOfficial, state: UnitState): UnitEvent[] {
  const unit = requireActiveUnit(command.data.unitId, state, command.data.expectedVersion);
  const { actor, now } = command.metadata;
  assertCanManageDistrict(actor, unit.location.districtCode);
  if (unit.officialId === command.data.officialId) return []; // already answers for it
  return [
    {
      type: 'ResponsibleOfficialAssigned',
      data: {
        ...unit.location,
        unitId: unit.unitId,
        officialId: command.data.officialId,
        previousOfficialId: unit.officialId,
        assignedBy: actor.sub,
        assignedAt: now,
      },
    },
  ];
}

export function recordCanvassVisit(command: RecordCanvassVisit, state: UnitState): UnitEvent[] {
  const { unitId, visitId, visitedAt, findings } = command.data;
  const { actor, now } = command.metadata;
  const unit = requireUnit(unitId, state);
  const relation = fieldRelationTo(actor, scopeOf(unit));
  if (unit.visits.has(visitId)) return []; // the phone resent a visit already recorded
  if (unit.status === 'retired') throw new RuleViolationError(Rule.unitRetired, `Unit ${unitId} is retired`);
  if (unit.officialId === null) throw new RuleViolationError(Rule.noResponsibleOfficial, `Unit ${unitId} has no responsible official yet`);
  assertNotInFuture('visitedAt', visitedAt, now);
  return [
    {
      type: 'CanvassVisitRecorded',
      data: {
        ...unit.location,
        visitId,
        unitId,
        kind: unit.kind,
        officialId: unit.officialId,
        recordedBy: actor.sub,
        standingIn: relation === 'standing-in',
        visitedAt,
        findings: copyFindings(findings),
      },
    },
  ];
}

export function recordDoorstepService(command: RecordDoorstepService, state: UnitState): UnitEvent[] {
  const { unitId, serviceId, kind, households, deliveredAt } = command.data;
  const { actor, now } = command.metadata;
  const unit = requireUnit(unitId, state);
  fieldRelationTo(actor, scopeOf(unit));
  if (unit.services.has(serviceId)) return []; // resent
  if (unit.status === 'retired') throw new RuleViolationError(Rule.unitRetired, `Unit ${unitId} is retired`);
  assertNotInFuture('deliveredAt', deliveredAt, now);
  return [
    {
      type: 'DoorstepServiceDelivered',
      data: { ...unit.location, serviceId, unitId, kind, deliveredBy: actor.sub, deliveredAt, households },
    },
  ];
}

export function decide(command: UnitCommand, state: UnitState): UnitEvent[] {
  switch (command.type) {
    case 'RegisterUnit':
      return registerUnit(command, state);
    case 'UpdateUnitSize':
      return updateUnitSize(command, state);
    case 'RetireUnit':
      return retireUnit(command, state);
    case 'AssignResponsibleOfficial':
      return assignResponsibleOfficial(command, state);
    case 'RecordCanvassVisit':
      return recordCanvassVisit(command, state);
    case 'RecordDoorstepService':
      return recordDoorstepService(command, state);
    default:
      return assertNever(command, 'unit command');
  }
}

export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState> = { decide, evolve, initialState };

// ---- helpers ----------------------------------------------------------------

/** Who may touch the unit: its location and responsible official. */
export function scopeOf(unit: RegisteredUnitState): AccessScope {
  return { ...unit.location, officialId: unit.officialId };
}

function requireUnit(unitId: string, state: UnitState): RegisteredUnitState {
  if (state.status === 'unregistered') throw new NotFoundError(`Unknown unit ${unitId}`);
  return state;
}

function requireActiveUnit(unitId: string, state: UnitState, expectedVersion: number | undefined): RegisteredUnitState {
  const unit = requireUnit(unitId, state);
  checkExpectedVersion(unit, expectedVersion);
  if (unit.status === 'retired') throw new RuleViolationError(Rule.unitRetired, `Unit ${unitId} is retired`);
  return unit;
}

/** The client edited what it saw at `expected`; someone has written since. */
function checkExpectedVersion(unit: RegisteredUnitState, expected: number | undefined): void {
  if (expected !== undefined && expected !== unit.version) {
    throw new ConcurrencyError(canvassStreams.unit(unit.unitId), String(expected), unit.version);
  }
}

function sameSize(a: UnitSize, b: UnitSize): boolean {
  return a.tenants === b.tenants && a.shops === b.shops && a.households === b.households;
}

function sameRegistration(recorded: UnitRegistered['data'], d: Omit<RegisterUnit['data'], 'registeredSubdistricts'>): boolean {
  return (
    recorded.kind === d.kind &&
    recorded.name === d.name &&
    recorded.address === d.address &&
    recorded.districtCode === d.districtCode &&
    recorded.subdistrictCode === d.subdistrictCode &&
    recorded.residentsCommittee === d.residentsCommittee &&
    sameSize(recorded.size, d.size)
  );
}

/** Copies only the contract's fields, so nothing extra ever reaches the event. */
function copyFindings(f: CanvassFindings): CanvassFindings {
  return {
    tenantsOpened: f.tenantsOpened,
    tenantsClosed: f.tenantsClosed,
    householdsCanvassed: f.householdsCanvassed,
    returnedFromOutside: f.returnedFromOutside,
    inHomeObservation: f.inHomeObservation,
    problems: f.problems.map((p) => ({ category: p.category, ...(p.description === undefined ? {} : { description: p.description }) })),
    ...(f.note === undefined ? {} : { note: f.note }),
  };
}
