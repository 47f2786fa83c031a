import { addDays, cityDayOf } from '@city/city-time';
import { assertNever, differingFields, idempotencyKeyReused, NotFoundError, RuleViolationError, ValidationError, type Decider } from '@city/eventsourcing';
import type {
  CheckInSlot,
  CommunityPlace,
  FlagKind,
  ReferralOutcome,
  RegistrationChannel,
  TravellerHealthEvent,
  TravellerId,
  TravellerRegistered,
  TripMode,
} from '@city/contracts';
import { placeScope, travellerHealthAccess } from './access-policy';
import type { Checkpoint } from './checkpoint-registry.decider';
import type { CommandContext } from './command-context';
import { placeProblems } from './registration-checks';
import { classify, type RiskFacts, type RuleSet } from './risk-rules';
import { Rule } from './rules';

/**
 * One traveller (`traveller-health.traveller-<id>`, the id a keyed hash of their document):
 * registrations at checkpoints, the push of a key person to their community, 14 days of home
 * observation, erasure of their personal data. No personal data passes through here: the
 * service seals it before the command is decided. Time, ids and the rule set arrive in the
 * command, so `decide` is pure.
 */

export const OBSERVATION_DAYS = 14;

export type RegisterTraveller = {
  readonly type: 'RegisterTraveller';
  readonly data: {
    readonly registrationId: string;
    readonly travellerId: TravellerId;
    readonly channel: RegistrationChannel;
    readonly checkpoint: Checkpoint;
    readonly destination: CommunityPlace;
    readonly tripMode: TripMode;
    readonly tripDate: string;
    readonly facts: RiskFacts;
    readonly ruleSet: RuleSet;
  };
  readonly metadata: CommandContext;
};
type OnTraveller<T extends string, D = object> = {
  readonly type: T;
  readonly data: { readonly travellerId: TravellerId } & D;
  readonly metadata: CommandContext;
};
export type StartHomeObservation = OnTraveller<'StartHomeObservation'>;
export type RecordCheckIn = OnTraveller<
  'RecordCheckIn',
  { readonly slot: CheckInSlot; readonly temperatureC: number; readonly symptomatic: boolean; readonly feverThresholdC: number }
>;
/** Issued by the scheduler when a check-in's window has closed. */
export type MarkCheckInMissed = OnTraveller<'MarkCheckInMissed', { readonly day: string; readonly slot: CheckInSlot }>;
export type ResolveFlag = OnTraveller<'ResolveFlag', { readonly flagId: string }>;
export type ReferToFeverClinic = OnTraveller<'ReferToFeverClinic', { readonly referralId: string }>;
export type RecordReferralOutcome = OnTraveller<'RecordReferralOutcome', { readonly referralId: string; readonly outcome: ReferralOutcome }>;
/** Issued by the scheduler on day 15 (or by staff on or after it). */
export type ReleaseFromObservation = OnTraveller<'ReleaseFromObservation'>;
export type TransferObservation = OnTraveller<'TransferObservation', { readonly to: CommunityPlace }>;
export type ErasePersonalData = OnTraveller<'ErasePersonalData'>;
/**
 * Issued by the clock: erases the person's data once `retentionDays` have passed since the later
 * of their last registration and their last release from observation; before that, or while in
 * observation, it decides nothing (a later registration has moved the deadline).
 */
export type EraseAfterRetention = OnTraveller<'EraseAfterRetention', { readonly retentionDays: number }>;

export type TravellerCommand =
  | RegisterTraveller
  | StartHomeObservation
  | RecordCheckIn
  | MarkCheckInMissed
  | ResolveFlag
  | ReferToFeverClinic
  | RecordReferralOutcome
  | ReleaseFromObservation
  | TransferObservation
  | ErasePersonalData
  | EraseAfterRetention;
export type TravellerEvent = Exclude<TravellerHealthEvent, { type: 'CheckpointRegistered' | 'CommitteeRegistered' }>;

/** A check-in as the rules see it: fever (against the threshold in force) and symptoms. */
export interface CheckInReading {
  readonly fever: boolean;
  readonly symptomatic: boolean;
}

export interface Observation {
  readonly place: CommunityPlace;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly releaseDay: string;
  /** `<day>-<slot>` of every check-in made or missed. */
  /** By `<day>-<slot>`: the reading recorded, or missed. */
  readonly checkIns: Readonly<Record<string, CheckInReading | 'missed'>>;
  readonly openFlags: Readonly<Record<string, FlagKind>>;
  readonly resolvedFlags: readonly string[];
  readonly referrals: Readonly<Record<string, ReferralOutcome | null>>;
}

export interface TravellerState {
  readonly registered: boolean;
  readonly registrationIds: readonly string[];
  /**
   * What each registration recorded, by its id, to tell a retry from the id reused for another body.
   * A Map: an object keyed by ever new ids makes V8 build a hidden class per id (about 3 µs a registration).
   */
  readonly registrations: ReadonlyMap<string, TravellerRegistered['data']>;
  readonly lastRegistration: TravellerRegistered['data'] | null;
  /** Where the person is: destination of the last registration, or the observing community. */
  readonly place: CommunityPlace | null;
  /** Pushed to the community's work list and waiting for observation to start. */
  readonly onWorkList: boolean;
  readonly observation: Observation | null;
  readonly observationsCompleted: number;
  /** When the last observation ended (retention counts from it or from the last registration, whichever is later). */
  readonly lastReleasedAt: string | null;
  readonly erased: boolean;
}

export function initialState(): TravellerState {
  return {
    registered: false,
    registrationIds: [],
    registrations: new Map(),
    lastRegistration: null,
    place: null,
    onWorkList: false,
    observation: null,
    observationsCompleted: 0,
    lastReleasedAt: null,
    erased: false,
  };
}

const placeOf = (d: CommunityPlace): CommunityPlace => ({ districtCode: d.districtCode, subdistrictCode: d.subdistrictCode, committeeCode: d.committeeCode });
const withObservation = (state: TravellerState, change: (o: Observation) => Observation): TravellerState =>
  state.observation ? { ...state, observation: change(state.observation) } : state;

export function evolve(state: TravellerState, event: TravellerEvent): TravellerState {
  switch (event.type) {
    case 'TravellerRegistered':
      return {
        ...state,
        registered: true,
        registrationIds: [...state.registrationIds, event.data.registrationId],
        registrations: new Map(state.registrations).set(event.data.registrationId, event.data),
        lastRegistration: event.data,
        place: state.observation ? state.place : placeOf(event.data),
        erased: false,
      };
    case 'KeyPersonPushed':
      return { ...state, onWorkList: true };
    case 'HomeObservationStarted': {
      const { firstDay, lastDay, releaseDay } = event.data;
      const place = placeOf(event.data);
      return {
        ...state,
        place,
        onWorkList: false,
        observation: { place, firstDay, lastDay, releaseDay, checkIns: {}, openFlags: {}, resolvedFlags: [], referrals: {} },
      };
    }
    case 'CheckInRecorded':
      return withObservation(state, (o) => ({
        ...o,
        checkIns: { ...o.checkIns, [`${event.data.day}-${event.data.slot}`]: { fever: event.data.fever, symptomatic: event.data.symptomatic } },
      }));
    case 'CheckInMissed':
      return withObservation(state, (o) => ({ ...o, checkIns: { ...o.checkIns, [`${event.data.day}-${event.data.slot}`]: 'missed' } }));
    case 'ObservationFlagRaised':
      return withObservation(state, (o) => ({ ...o, openFlags: { ...o.openFlags, [event.data.flagId]: event.data.kind } }));
    case 'ObservationFlagResolved':
      return withObservation(state, (o) => {
        const { [event.data.flagId]: _resolved, ...openFlags } = o.openFlags;
        return { ...o, openFlags, resolvedFlags: [...o.resolvedFlags, event.data.flagId] };
      });
    case 'FeverClinicReferred':
      return withObservation(state, (o) => ({ ...o, referrals: { ...o.referrals, [event.data.referralId]: null } }));
    case 'ReferralOutcomeRecorded':
      return withObservation(state, (o) => ({ ...o, referrals: { ...o.referrals, [event.data.referralId]: event.data.outcome } }));
    case 'HomeObservationReleased':
      return { ...state, observation: null, observationsCompleted: state.observationsCompleted + 1, lastReleasedAt: event.data.releasedAt };
    case 'HomeObservationTransferred': {
      const place = placeOf(event.data);
      return { ...withObservation(state, (o) => ({ ...o, place })), place };
    }
    case 'PersonalDataErased':
      return { ...state, erased: true };
    default:
      return assertNever(event, 'traveller event');
  }
}

/** A recorded registration in the API's terms, to compare with one sent again under its id. */
function registrationTerms(r: TravellerRegistered['data']) {
  return {
    checkpointId: r.checkpointId,
    origin: { provinceCode: r.originProvinceCode, cityCode: r.originCityCode },
    trip: { mode: r.tripMode, date: r.tripDate },
    destination: placeOf(r),
  };
}

export function registerTraveller(command: RegisterTraveller, state: TravellerState): TravellerEvent[] {
  const { registrationId, travellerId, channel, checkpoint, destination, tripMode, tripDate, facts, ruleSet } = command.data;
  const { now } = command.metadata;
  const { riskClass, ruleSetVersion, firedRules } = classify(ruleSet, facts);
  const recorded = state.registrations.get(registrationId);
  if (recorded) {
    // A retry (a kiosk syncing again) records nothing; the id sent again with another body is refused.
    const differing = differingFields(registrationTerms(recorded), {
      checkpointId: checkpoint.checkpointId,
      origin: { provinceCode: facts.originProvinceCode, cityCode: facts.originCityCode },
      trip: { mode: tripMode, date: tripDate },
      destination: placeOf(destination),
    });
    // The declaration itself is not recorded (health data stays out of events): it differs if it classifies otherwise under the same rule set.
    const classified = (r: { riskClass: string; firedRules: readonly { ruleId: string }[] }) => [r.riskClass, ...r.firedRules.map((f) => f.ruleId)].join();
    if (recorded.ruleSetVersion === ruleSetVersion && classified(recorded) !== classified({ riskClass, firedRules })) differing.push('declaration');
    if (differing.length > 0) throw idempotencyKeyReused('Registration', registrationId, differing);
    return [];
  }
  const registered: TravellerEvent = {
    type: 'TravellerRegistered',
    // The place's codes written out, not spread: V8 (Node 20) builds a literal that adds keys after a spread
    // through a new hidden class each time, ~1.5 µs a key (28 µs for this one) against 0.1 µs written out.
    data: {
      districtCode: destination.districtCode,
      subdistrictCode: destination.subdistrictCode,
      committeeCode: destination.committeeCode,
      registrationId,
      travellerId,
      channel,
      checkpointId: checkpoint.checkpointId,
      checkpointKind: checkpoint.kind,
      checkpointDistrictCode: checkpoint.districtCode,
      originProvinceCode: facts.originProvinceCode,
      originCityCode: facts.originCityCode,
      tripMode,
      tripDate,
      riskClass,
      ruleSetVersion,
      firedRules,
      registrationCount: state.registrationIds.length + 1,
      registeredAt: now,
      registrationDay: cityDayOf(now),
    },
  };
  // A key person goes to the committee's work list at once, unless already there or in observation.
  if (riskClass !== 'key' || state.onWorkList || state.observation) return [registered];
  const pushed: TravellerEvent = {
    type: 'KeyPersonPushed',
    data: {
      districtCode: destination.districtCode,
      subdistrictCode: destination.subdistrictCode,
      committeeCode: destination.committeeCode,
      travellerId,
      registrationId,
      ruleSetVersion,
      firedRuleIds: firedRules.map((r) => r.ruleId),
      pushedAt: now,
    },
  };
  return [registered, pushed];
}

function known(state: TravellerState, travellerId: string): CommunityPlace {
  if (!state.registered || state.place === null) throw new NotFoundError(`Unknown traveller ${travellerId}`);
  return state.place;
}

/** The observation, once the actor is known to reach the person: one out of reach learns nothing about it. */
function observing(state: TravellerState, travellerId: string, actor: CommandContext['actor']): Observation {
  travellerHealthAccess.assert('observe', actor, placeScope(known(state, travellerId)));
  if (!state.observation) throw new RuleViolationError(Rule.notUnderObservation, `Traveller ${travellerId} is not under home observation`);
  return state.observation;
}

export function startHomeObservation(command: StartHomeObservation, state: TravellerState): TravellerEvent[] {
  const { travellerId } = command.data;
  const { actor, now } = command.metadata;
  const place = known(state, travellerId);
  travellerHealthAccess.assert('observe', actor, placeScope(place));
  if (state.observation) {
    if (state.observation.firstDay === cityDayOf(now)) return []; // started again the same day: a retry
    throw new RuleViolationError(
      Rule.alreadyUnderObservation,
      `Traveller ${travellerId} is already under home observation since ${state.observation.firstDay}`,
    );
  }
  const firstDay = cityDayOf(now);
  const data = { ...place, travellerId, firstDay, lastDay: addDays(firstDay, OBSERVATION_DAYS - 1), releaseDay: addDays(firstDay, OBSERVATION_DAYS) };
  return [{ type: 'HomeObservationStarted', data: { ...data, startedBy: actor.sub, startedAt: now } }];
}

export function recordCheckIn(command: RecordCheckIn, state: TravellerState): TravellerEvent[] {
  const { travellerId, slot, temperatureC, symptomatic, feverThresholdC } = command.data;
  const { actor, now } = command.metadata;
  const o = observing(state, travellerId, actor);
  const day = cityDayOf(now);
  if (day < o.firstDay || day > o.lastDay) {
    throw new RuleViolationError(Rule.checkInOutsideObservation, `Day ${day} is outside the observation (${o.firstDay} to ${o.lastDay})`);
  }
  const fever = temperatureC >= feverThresholdC;
  const recorded = o.checkIns[`${day}-${slot}`];
  if (recorded !== undefined && recorded !== 'missed') {
    // The same reading again is a retry; another one (a fever after none) must not be dropped unseen.
    const fields = differingFields(recorded, { fever, symptomatic });
    if (fields.length === 0) return [];
    throw idempotencyKeyReused('The check-in', `of ${day} ${slot}`, fields);
  }
  const events: TravellerEvent[] = [
    { type: 'CheckInRecorded', data: { ...o.place, travellerId, day, slot, fever, symptomatic, recordedBy: actor.sub, recordedAt: now } },
  ];
  const flagId = `${day}-${slot}-fever`;
  if (fever && !o.openFlags[flagId])
    events.push({ type: 'ObservationFlagRaised', data: { ...o.place, travellerId, flagId, kind: 'fever', day, raisedAt: now } });
  return events;
}

export function markCheckInMissed(command: MarkCheckInMissed, state: TravellerState): TravellerEvent[] {
  const { travellerId, day, slot } = command.data;
  const { now } = command.metadata;
  const o = state.observation;
  // Released, transferred out of the window, or checked in after all: nothing was missed.
  if (!o || day < o.firstDay || day > o.lastDay || o.checkIns[`${day}-${slot}`]) return [];
  const flagId = `${day}-${slot}-missed`;
  return [
    { type: 'CheckInMissed', data: { ...o.place, travellerId, day, slot, detectedAt: now } },
    { type: 'ObservationFlagRaised', data: { ...o.place, travellerId, flagId, kind: 'missed-check-in', day, raisedAt: now } },
  ];
}

export function resolveFlag(command: ResolveFlag, state: TravellerState): TravellerEvent[] {
  const { travellerId, flagId } = command.data;
  const { actor, now } = command.metadata;
  const o = observing(state, travellerId, actor);
  const kind = o.openFlags[flagId];
  if (kind === undefined) {
    if (o.resolvedFlags.includes(flagId)) return []; // resolved already (a retry)
    throw new RuleViolationError(Rule.unknownFlag, `Traveller ${travellerId} has no open flag ${flagId}`);
  }
  return [{ type: 'ObservationFlagResolved', data: { ...o.place, travellerId, flagId, kind, resolvedBy: actor.sub, resolvedAt: now } }];
}

export function referToFeverClinic(command: ReferToFeverClinic, state: TravellerState): TravellerEvent[] {
  const { travellerId, referralId } = command.data;
  const { actor, now } = command.metadata;
  const o = observing(state, travellerId, actor);
  if (referralId in o.referrals) return []; // a retry
  return [{ type: 'FeverClinicReferred', data: { ...o.place, travellerId, referralId, referredBy: actor.sub, referredAt: now } }];
}

export function recordReferralOutcome(command: RecordReferralOutcome, state: TravellerState): TravellerEvent[] {
  const { travellerId, referralId, outcome } = command.data;
  const { actor, now } = command.metadata;
  const o = observing(state, travellerId, actor);
  if (!(referralId in o.referrals)) throw new RuleViolationError(Rule.unknownReferral, `Traveller ${travellerId} has no referral ${referralId}`);
  if (o.referrals[referralId] === outcome) return []; // a retry
  return [{ type: 'ReferralOutcomeRecorded', data: { ...o.place, travellerId, referralId, outcome, recordedBy: actor.sub, recordedAt: now } }];
}

export function releaseFromObservation(command: ReleaseFromObservation, state: TravellerState): TravellerEvent[] {
  const { travellerId } = command.data;
  const { actor, now } = command.metadata;
  if (state.registered && !state.observation && state.observationsCompleted > 0) return []; // released already
  const o = observing(state, travellerId, actor);
  const today = cityDayOf(now);
  if (today < o.releaseDay) throw new RuleViolationError(Rule.releaseBeforeDay15, `Release is due on ${o.releaseDay} (day 15), not ${today}`);
  const open = Object.entries(o.referrals).find(([, outcome]) => outcome === null || outcome !== 'cleared');
  if (open) throw new RuleViolationError(Rule.referralOpen, `Referral ${open[0]} is ${open[1] ?? 'without outcome'}: not a clean 14 days`);
  return [{ type: 'HomeObservationReleased', data: { ...o.place, travellerId, firstDay: o.firstDay, releasedOn: today, releasedAt: now } }];
}

export function transferObservation(command: TransferObservation, state: TravellerState): TravellerEvent[] {
  const { travellerId, to } = command.data;
  const { actor, now } = command.metadata;
  const misplaced = placeProblems(to);
  if (Object.keys(misplaced).length > 0) throw new ValidationError('The place to transfer to is not valid', misplaced);
  const o = observing(state, travellerId, actor);
  if (o.place.committeeCode === to.committeeCode) return []; // already there
  const from = { fromDistrictCode: o.place.districtCode, fromSubdistrictCode: o.place.subdistrictCode, fromCommitteeCode: o.place.committeeCode };
  return [{ type: 'HomeObservationTransferred', data: { ...placeOf(to), travellerId, ...from, transferredBy: actor.sub, transferredAt: now } }];
}

export function erasePersonalData(command: ErasePersonalData, state: TravellerState): TravellerEvent[] {
  const { travellerId } = command.data;
  const { actor, now } = command.metadata;
  const place = known(state, travellerId);
  travellerHealthAccess.assert('erase', actor, { district: place.districtCode });
  if (state.erased) return [];
  if (state.observation) throw new RuleViolationError(Rule.erasureDuringObservation, `Traveller ${travellerId} is under home observation`);
  return [{ type: 'PersonalDataErased', data: { travellerId, districtCode: place.districtCode, erasedBy: actor.sub, erasedAt: now } }];
}

/** When the person's personal data is due for erasure: `retentionDays` after their last registration or release, whichever is later; null while nothing is due (in observation, erased, unknown). */
export function retentionDeadline(state: TravellerState, retentionDays: number): Date | null {
  if (!state.registered || !state.lastRegistration || state.observation || state.erased) return null;
  const lastSeen = Math.max(Date.parse(state.lastRegistration.registeredAt), state.lastReleasedAt ? Date.parse(state.lastReleasedAt) : 0);
  return new Date(lastSeen + retentionDays * 86_400_000);
}

export function eraseAfterRetention(command: EraseAfterRetention, state: TravellerState): TravellerEvent[] {
  const { travellerId, retentionDays } = command.data;
  const { actor, now } = command.metadata;
  const deadline = retentionDeadline(state, retentionDays);
  if (deadline === null || Date.parse(now) < deadline.getTime()) return [];
  const place = known(state, travellerId);
  travellerHealthAccess.assert('erase', actor, { district: place.districtCode });
  return [{ type: 'PersonalDataErased', data: { travellerId, districtCode: place.districtCode, erasedBy: actor.sub, erasedAt: now } }];
}

export function decide(command: TravellerCommand, state: TravellerState): TravellerEvent[] {
  switch (command.type) {
    case 'RegisterTraveller':
      return registerTraveller(command, state);
    case 'StartHomeObservation':
      return startHomeObservation(command, state);
    case 'RecordCheckIn':
      return recordCheckIn(command, state);
    case 'MarkCheckInMissed':
      return markCheckInMissed(command, state);
    case 'ResolveFlag':
      return resolveFlag(command, state);
    case 'ReferToFeverClinic':
      return referToFeverClinic(command, state);
    case 'RecordReferralOutcome':
      return recordReferralOutcome(command, state);
    case 'ReleaseFromObservation':
      return releaseFromObservation(command, state);
    case 'TransferObservation':
      return transferObservation(command, state);
    case 'ErasePersonalData':
      return erasePersonalData(command, state);
    case 'EraseAfterRetention':
      return eraseAfterRetention(command, state);
    default:
      return assertNever(command, 'traveller command');
  }
}

export const travellerDecider: Decider<TravellerCommand, TravellerEvent, TravellerState> = { decide, evolve, initialState };
