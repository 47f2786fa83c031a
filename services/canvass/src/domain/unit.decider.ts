import { assertNever, differingFields, idempotencyKeyReused, NotFoundError, RuleViolationError, sameInstant, type Decider } from '@city/eventsourcing';
import {
  isDistrictCode,
  unitProfileOf,
  type CanvassFindings,
  type CanvassVisitRecorded,
  type DoorstepServiceDelivered,
  type DoorstepServiceKind,
  type ResponsibleOfficialAssigned,
  type UnitLocation,
  type UnitProfile,
  type UnitRegistered,
  type UnitRetired,
  type UnitSize,
  type UnitSizeUpdated,
} from '@city/contracts';
import type { AccessScope } from '@city/auth/access';
import { accessScopeOf, canvassAccess, requireOpenable, type PlaceOfWork } from './access-policy';
import type { CommandContext } from './command-context';
import { assertNotInFuture } from './city-time';
import { Rule } from './rules';

/**
 * One grassroots unit of responsibility (`canvass.unit-<id>`): its registration,
 * size and retirement, the official who answers for it (each assignment names
 * the previous official, so the stream is the assignment history), the canvass
 * visits and the doorstep services recorded on it.
 *
 * Visits and doorstep services carry client-generated ids: a phone that resends
 * one whose id the unit already holds causes no event (idempotent retry); the
 * same id with a different body is refused (`idempotencyKeyReused` of @city/eventsourcing).
 *
 * Edits may name the stream version the client saw (`expectedVersion`); the
 * command handler checks it against the stream, so the decider never sees it.
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

export type UpdateUnitSize = {
  readonly type: 'UpdateUnitSize';
  readonly data: { readonly unitId: string; readonly size: UnitSize };
  readonly metadata: CommandContext;
};

export type RetireUnit = {
  readonly type: 'RetireUnit';
  readonly data: { readonly unitId: string; readonly reason?: string };
  readonly metadata: CommandContext;
};

export type AssignResponsibleOfficial = {
  readonly type: 'AssignResponsibleOfficial';
  readonly data: { readonly unitId: string; readonly officialId: string };
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
    /** Omitted: when the service received the command. A resend without it matches whatever was recorded. */
    readonly deliveredAt?: string;
  };
  readonly metadata: CommandContext;
};

export type UnitCommand = RegisterUnit | UpdateUnitSize | RetireUnit | AssignResponsibleOfficial | RecordCanvassVisit | RecordDoorstepService;

export type UnitEvent = UnitRegistered | UnitSizeUpdated | UnitRetired | ResponsibleOfficialAssigned | CanvassVisitRecorded | DoorstepServiceDelivered;

// ---- state ------------------------------------------------------------------

export interface RegisteredUnit {
  readonly status: 'active' | 'retired';
  /** The registration as recorded: the unit's profile, and what a retried registration is compared with. */
  readonly registration: UnitRegistered['data'];
  /** The size now (the registration keeps the size it was registered with). */
  readonly size: UnitSize;
  /** The official who answers for the unit now; null before the first assignment. */
  readonly officialId: string | null;
  /** The visits recorded, by id: a resent one is recognised, and compared with what was recorded. */
  readonly visits: ReadonlyMap<string, RecordedVisit>;
  /** The doorstep services recorded, by id, likewise. */
  readonly services: ReadonlyMap<string, RecordedService>;
}

/** What a resent visit must repeat. */
export type RecordedVisit = Pick<CanvassVisitRecorded['data'], 'visitedAt' | 'findings'>;
/** What a resent doorstep service must repeat. */
export type RecordedService = Pick<DoorstepServiceDelivered['data'], 'kind' | 'households' | 'deliveredAt'>;

export type UnitState = { readonly status: 'unregistered' } | RegisteredUnit;

export function initialState(): UnitState {
  return { status: 'unregistered' };
}

export function evolve(state: UnitState, event: UnitEvent): UnitState {
  if (event.type === 'UnitRegistered') {
    return { status: 'active', registration: event.data, size: event.data.size, officialId: null, visits: new Map(), services: new Map() };
  }
  // Every other event presupposes a registered unit; a stream never starts with one.
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'UnitSizeUpdated':
      return { ...state, size: event.data.size };
    case 'UnitRetired':
      return { ...state, status: 'retired' };
    case 'ResponsibleOfficialAssigned':
      return { ...state, officialId: event.data.officialId };
    case 'CanvassVisitRecorded':
      return { ...state, visits: new Map(state.visits).set(event.data.visitId, { visitedAt: event.data.visitedAt, findings: event.data.findings }) };
    case 'DoorstepServiceDelivered': {
      const { kind, households, deliveredAt } = event.data;
      return { ...state, services: new Map(state.services).set(event.data.serviceId, { kind, households, deliveredAt }) };
    }
    default:
      return assertNever(event, 'unit event');
  }
}

// ---- decisions --------------------------------------------------------------

export function registerUnit(command: RegisterUnit, state: UnitState): UnitEvent[] {
  const { registeredSubdistricts, ...d } = command.data;
  const { actor, now } = command.metadata;
  if (!isDistrictCode(d.districtCode)) throw new RuleViolationError(Rule.unknownDistrict, `District ${d.districtCode} is not one of the city's districts`);
  canvassAccess.assert('manage', actor, { district: d.districtCode });
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
  const unit = requireActiveUnit(command.data.unitId, state, command.metadata.actor);
  canvassAccess.assert('editUnit', command.metadata.actor, scopeOf(unit));
  const { size } = command.data;
  if (sameSize(unit.size, size)) return [];
  return [
    {
      type: 'UnitSizeUpdated',
      data: {
        ...locationOf(unit),
        unitId: unit.registration.unitId,
        kind: unit.registration.kind,
        size: { tenants: size.tenants, shops: size.shops, households: size.households },
        updatedAt: command.metadata.now,
      },
    },
  ];
}

export function retireUnit(command: RetireUnit, state: UnitState): UnitEvent[] {
  const unit = requireUnit(command.data.unitId, state, command.metadata.actor);
  canvassAccess.assert('manage', command.metadata.actor, scopeOf(unit));
  if (unit.status === 'retired') return []; // retiring twice changes nothing
  return [
    {
      type: 'UnitRetired',
      data: {
        ...locationOf(unit),
        unitId: unit.registration.unitId,
        kind: unit.registration.kind,
        ...(command.data.reason === undefined ? {} : { reason: command.data.reason }),
        retiredAt: command.metadata.now,
      },
    },
  ];
}

export function assignResponsibleOfficial(command: AssignResponsibleOfficial, state: UnitState): UnitEvent[] {
  const { actor, now } = command.metadata;
  const unit = requireActiveUnit(command.data.unitId, state, actor);
  canvassAccess.assert('manage', actor, scopeOf(unit));
  if (unit.officialId === command.data.officialId) return []; // already answers for it
  return [
    {
      type: 'ResponsibleOfficialAssigned',
      data: {
        ...locationOf(unit),
        unitId: unit.registration.unitId,
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
  const unit = requireUnit(unitId, state, actor);
  const relation = canvassAccess.assert('fieldWork', actor, scopeOf(unit));
  const recorded = unit.visits.get(visitId);
  if (recorded) {
    // The phone resent a visit already recorded: nothing to do, unless the body differs.
    const differing = [
      ...(sameInstant(recorded.visitedAt, visitedAt) ? [] : ['visitedAt']),
      ...differingFields(recorded.findings, copyFindings(findings), 'findings'),
    ];
    if (differing.length > 0) throw idempotencyKeyReused('Visit', visitId, differing);
    return [];
  }
  if (unit.status === 'retired') throw new RuleViolationError(Rule.unitRetired, `Unit ${unitId} is retired`);
  if (unit.officialId === null) throw new RuleViolationError(Rule.noResponsibleOfficial, `Unit ${unitId} has no responsible official yet`);
  assertNotInFuture('visitedAt', visitedAt, now);
  return [
    {
      type: 'CanvassVisitRecorded',
      data: {
        ...locationOf(unit),
        visitId,
        unitId,
        kind: unit.registration.kind,
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
  const { unitId, serviceId, kind, households } = command.data;
  const { actor, now } = command.metadata;
  const deliveredAt = command.data.deliveredAt ?? now;
  const unit = requireUnit(unitId, state, actor);
  canvassAccess.assert('fieldWork', actor, scopeOf(unit));
  const recorded = unit.services.get(serviceId);
  if (recorded) {
    const differing = [
      ...(recorded.kind === kind ? [] : ['kind']),
      ...(recorded.households === households ? [] : ['households']),
      ...(command.data.deliveredAt === undefined || sameInstant(recorded.deliveredAt, command.data.deliveredAt) ? [] : ['deliveredAt']),
    ];
    if (differing.length > 0) throw idempotencyKeyReused('Doorstep service', serviceId, differing);
    return []; // resent
  }
  if (unit.status === 'retired') throw new RuleViolationError(Rule.unitRetired, `Unit ${unitId} is retired`);
  assertNotInFuture('deliveredAt', deliveredAt, now);
  return [
    {
      type: 'DoorstepServiceDelivered',
      data: { ...locationOf(unit), serviceId, unitId, kind, deliveredBy: actor.sub, deliveredAt, households },
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

/** Where the unit is. */
export function locationOf(unit: RegisteredUnit): UnitLocation {
  return { districtCode: unit.registration.districtCode, subdistrictCode: unit.registration.subdistrictCode };
}

/** Who may touch the unit: its location and responsible official. */
export function placeOf(unit: RegisteredUnit): PlaceOfWork {
  return { ...locationOf(unit), officialId: unit.officialId };
}

function scopeOf(unit: RegisteredUnit): AccessScope {
  return accessScopeOf(placeOf(unit));
}

/** The unit, if it exists and the actor may open it; otherwise "Unknown unit" either way (access rule 5). */
function requireUnit(unitId: string, state: UnitState, actor: CommandContext['actor']): RegisteredUnit {
  if (state.status === 'unregistered') throw new NotFoundError(`Unknown unit ${unitId}`);
  requireOpenable(actor, placeOf(state), `Unknown unit ${unitId}`);
  return state;
}

function requireActiveUnit(unitId: string, state: UnitState, actor: CommandContext['actor']): RegisteredUnit {
  const unit = requireUnit(unitId, state, actor);
  if (unit.status === 'retired') throw new RuleViolationError(Rule.unitRetired, `Unit ${unitId} is retired`);
  return unit;
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
