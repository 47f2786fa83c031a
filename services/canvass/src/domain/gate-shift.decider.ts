import { assertNever, ForbiddenError, NotFoundError, RuleViolationError, sameInstant, type Decider } from '@city/eventsourcing';
import type { GateShiftEnded, GateShiftStarted, UnitKind, UnitLocation } from '@city/contracts';
import { accessScopeOf, canvassAccess, requireOpenable, type PlaceOfWork } from './access-policy';
import type { CommandContext } from './command-context';
import { assertNotInFuture } from './city-time';
import { Rule } from './rules';

/**
 * One shift of gate duty at a compound gate (`canvass.gate-shift-<id>`):
 * started, then ended with the people checked and registered during it.
 *
 * "A shift cannot overlap itself": an official stands at one gate at a time.
 * That rule spans streams (all the official's shifts), so the command handler
 * reads the official's other shifts from the service's read model and passes
 * them in the command; `decide` stays pure. The handler serialises gate-duty
 * commands per official within the process, which closes the race between two
 * concurrent starts on one instance; across instances a race remains possible
 * (a per-official stream would close it, at the cost of a second stream per
 * command), and is accepted because one official does not start two shifts at
 * the same moment from two phones.
 */

/** The compound a shift is at, as the handler found it in the unit's stream. */
export interface CompoundSnapshot extends UnitLocation {
  readonly unitId: string;
  readonly kind: UnitKind;
  readonly status: 'active' | 'retired';
  readonly officialId: string | null;
}

/** Another shift of the same official, from the read model. */
export interface OfficialShift {
  readonly shiftId: string;
  readonly startedAt: string;
  /** null while the shift is still on. */
  readonly endedAt: string | null;
}

export type StartGateShift = {
  readonly type: 'StartGateShift';
  readonly data: {
    readonly shiftId: string;
    readonly unitId: string;
    readonly gate: string;
    readonly officialId: string;
    /** Omitted: when the service received the command. A retry without it matches whatever was recorded. */
    readonly startedAt?: string;
    /** null when the unit does not exist. */
    readonly compound: CompoundSnapshot | null;
    readonly otherShiftsOfOfficial: readonly OfficialShift[];
  };
  readonly metadata: CommandContext;
};

export type EndGateShift = {
  readonly type: 'EndGateShift';
  readonly data: {
    readonly shiftId: string;
    /** Omitted: when the service received the command. A retry without it matches whatever was recorded. */
    readonly endedAt?: string;
    readonly peopleChecked: number;
    readonly peopleRegistered: number;
    readonly otherShiftsOfOfficial: readonly OfficialShift[];
  };
  readonly metadata: CommandContext;
};

export type GateShiftCommand = StartGateShift | EndGateShift;
export type GateShiftEvent = GateShiftStarted | GateShiftEnded;

export type GateShiftState =
  | { readonly status: 'not-started' }
  | { readonly status: 'on-duty'; readonly started: GateShiftStarted['data'] }
  | { readonly status: 'ended'; readonly started: GateShiftStarted['data']; readonly ended: GateShiftEnded['data'] };

/** Unit kinds that are compounds with gates. */
export const COMPOUND_KINDS: readonly UnitKind[] = ['residential-building-group', 'village-group'];

export function initialState(): GateShiftState {
  return { status: 'not-started' };
}

export function evolve(state: GateShiftState, event: GateShiftEvent): GateShiftState {
  switch (event.type) {
    case 'GateShiftStarted':
      return { status: 'on-duty', started: event.data };
    case 'GateShiftEnded':
      return state.status === 'not-started' ? state : { status: 'ended', started: state.started, ended: event.data };
    default:
      return assertNever(event, 'gate shift event');
  }
}

export function startGateShift(command: StartGateShift, state: GateShiftState): GateShiftEvent[] {
  const { shiftId, unitId, gate, officialId, compound, otherShiftsOfOfficial } = command.data;
  const { actor, now } = command.metadata;
  const startedAt = command.data.startedAt ?? now;
  if (!compound) throw new NotFoundError(`Unknown unit ${unitId}`);
  requireOpenable(actor, compound, `Unknown unit ${unitId}`);
  canvassAccess.assert('fieldWork', actor, accessScopeOf(compound));
  assertOwnGateDuty(actor, officialId);
  if (state.status !== 'not-started') {
    const s = state.started;
    const differing = [
      ...(s.unitId === unitId ? [] : ['unitId']),
      ...(s.gate === gate ? [] : ['gate']),
      ...(s.officialId === officialId ? [] : ['officialId']),
      ...(command.data.startedAt === undefined || sameInstant(s.startedAt, command.data.startedAt) ? [] : ['startedAt']),
    ];
    if (differing.length === 0) return []; // a retry of the same start
    throw new RuleViolationError(Rule.shiftAlreadyStarted, `Shift ${shiftId} has already started with a different ${differing.join(', ')}`);
  }
  if (compound.status === 'retired') throw new RuleViolationError(Rule.unitRetired, `Unit ${unitId} is retired`);
  if (!COMPOUND_KINDS.includes(compound.kind)) {
    throw new RuleViolationError(Rule.gateDutyNeedsCompound, `Gate duty is kept at compounds (${COMPOUND_KINDS.join(', ')}), not at a ${compound.kind}`);
  }
  assertNotInFuture('startedAt', startedAt, now);
  const start = Date.parse(startedAt);
  const clash = otherShiftsOfOfficial.find(
    (other) => other.shiftId !== shiftId && (other.endedAt === null || (Date.parse(other.startedAt) <= start && start < Date.parse(other.endedAt))),
  );
  if (clash) throw overlapError(officialId, clash);
  return [{ type: 'GateShiftStarted', data: { ...locationOf(compound), shiftId, unitId, gate, officialId, startedAt } }];
}

export function endGateShift(command: EndGateShift, state: GateShiftState): GateShiftEvent[] {
  const { shiftId, peopleChecked, peopleRegistered, otherShiftsOfOfficial } = command.data;
  const { actor, now } = command.metadata;
  const endedAt = command.data.endedAt ?? now;
  if (state.status === 'not-started') throw new NotFoundError(`Unknown gate shift ${shiftId}`);
  const started = state.started;
  requireOpenable(actor, placeOfShift(started), `Unknown gate shift ${shiftId}`);
  canvassAccess.assert('fieldWork', actor, accessScopeOf(placeOfShift(started)));
  assertOwnGateDuty(actor, started.officialId);
  if (state.status === 'ended') {
    const e = state.ended;
    const differing = [
      ...(e.peopleChecked === peopleChecked ? [] : ['peopleChecked']),
      ...(e.peopleRegistered === peopleRegistered ? [] : ['peopleRegistered']),
      ...(command.data.endedAt === undefined || sameInstant(e.endedAt, command.data.endedAt) ? [] : ['endedAt']),
    ];
    if (differing.length === 0) return []; // a retry of the same end
    throw new RuleViolationError(Rule.shiftAlreadyEnded, `Shift ${shiftId} ended at ${e.endedAt} with a different ${differing.join(', ')}`);
  }
  const start = Date.parse(started.startedAt);
  const end = Date.parse(endedAt);
  if (end <= start) throw new RuleViolationError(Rule.shiftEndsBeforeStart, `Shift ${shiftId} started at ${started.startedAt}; it cannot end at ${endedAt}`);
  assertNotInFuture('endedAt', endedAt, now);
  if (peopleRegistered > peopleChecked) {
    throw new RuleViolationError(
      Rule.registeredExceedsChecked,
      `Everyone registered at the gate was checked: ${peopleRegistered} registered > ${peopleChecked} checked`,
    );
  }
  const clash = otherShiftsOfOfficial.find(
    (other) => other.shiftId !== shiftId && Date.parse(other.startedAt) < end && start < (other.endedAt === null ? Infinity : Date.parse(other.endedAt)),
  );
  if (clash) throw overlapError(started.officialId, clash);
  return [
    {
      type: 'GateShiftEnded',
      data: {
        districtCode: started.districtCode,
        subdistrictCode: started.subdistrictCode,
        shiftId,
        unitId: started.unitId,
        officialId: started.officialId,
        startedAt: started.startedAt,
        endedAt,
        peopleChecked,
        peopleRegistered,
      },
    },
  ];
}

export function decide(command: GateShiftCommand, state: GateShiftState): GateShiftEvent[] {
  switch (command.type) {
    case 'StartGateShift':
      return startGateShift(command, state);
    case 'EndGateShift':
      return endGateShift(command, state);
    default:
      return assertNever(command, 'gate shift command');
  }
}

export const gateShiftDecider: Decider<GateShiftCommand, GateShiftEvent, GateShiftState> = { decide, evolve, initialState };

/** Who may touch a shift: the compound's place, and the official on duty counts as "responsible". */
export function placeOfShift(started: GateShiftStarted['data']): PlaceOfWork {
  return { districtCode: started.districtCode, subdistrictCode: started.subdistrictCode, officialId: started.officialId };
}

/** Access rule 7: a field official starts and ends only their own shifts. */
function assertOwnGateDuty(actor: CommandContext['actor'], officialId: string): void {
  if (actor.role === 'field-official' && officialId !== actor.sub) {
    throw new ForbiddenError(`Field official ${actor.sub} may record only their own gate duty`, 'wrong_role');
  }
}

function locationOf(unit: UnitLocation): UnitLocation {
  return { districtCode: unit.districtCode, subdistrictCode: unit.subdistrictCode };
}

function overlapError(officialId: string, clash: OfficialShift): RuleViolationError {
  return new RuleViolationError(
    Rule.shiftsOverlap,
    `Official ${officialId} is on another shift (${clash.shiftId}, from ${clash.startedAt}${clash.endedAt ? ` to ${clash.endedAt}` : ', not ended'})`,
  );
}
