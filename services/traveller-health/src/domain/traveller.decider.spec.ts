import { ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import { TRAVELLER_HEALTH_EVENT_SAMPLES as S, type TravellerHealthEventOf, type TravellerHealthEventType } from '@city/contracts';
import type { Actor } from './command-context';
import { CURRENT_RULE_SET_VERSION, RULE_SETS } from './rule-sets';
import { travellerDecider, type RegisterTraveller, type TravellerCommand, type TravellerEvent } from './traveller.decider';

const spec = deciderSpecification(travellerDecider);
const T = S.TravellerRegistered.travellerId;
const worker: Actor = { sub: 'th-staff-0001', role: 'field-official', district: '310105', subdistrict: '310105002', department: 'traveller-health' };
const otherWorker: Actor = { sub: 'th-staff-0009', role: 'field-official', district: '310105', subdistrict: '310105001', department: 'traveller-health' };
const system: Actor = { sub: 'traveller-health-scheduler', role: 'department', department: 'traveller-health' };
const at = (now: string, actor: Actor = worker) => ({ actor, now });
const ev = <K extends TravellerHealthEventType>(type: K, data: Partial<TravellerHealthEventOf<K>['data']> = {}) =>
  ({ type, data: { ...S[type], ...data } }) as TravellerEvent;
const cmd = <C extends TravellerCommand>(type: C['type'], data: Omit<C['data'], 'travellerId'>, now: string, actor: Actor = worker) =>
  ({ type, data: { travellerId: T, ...data }, metadata: at(now, actor) }) as C;

const register = (stays: string[] = ['420100'], registrationId = S.TravellerRegistered.registrationId): RegisterTraveller => ({
  type: 'RegisterTraveller',
  data: {
    registrationId,
    travellerId: T,
    channel: 'phone',
    checkpoint: { checkpointId: 'hongqiao-railway', name: 'Hongqiao Railway Station', kind: 'railway', districtCode: '310112' },
    destination: { districtCode: '310105', subdistrictCode: '310105002', committeeCode: '310105002003' },
    tripMode: 'train',
    tripDate: '2020-02-12',
    facts: { originProvinceCode: '420000', originCityCode: '420100', temperatureC: 36.6, symptoms: [], contactWithCases: false, keyAreaStays: stays },
    ruleSet: { ...RULE_SETS.get(CURRENT_RULE_SET_VERSION)!, rules: RULE_SETS.get(CURRENT_RULE_SET_VERSION)!.rules.filter((r) => r.id !== 'R1') },
  },
  metadata: at('2020-02-12T09:30:00+08:00', system),
});
const registered = ev('TravellerRegistered');
const pushed = ev('KeyPersonPushed');
const started = ev('HomeObservationStarted');
const checkIn = (now: string, temperatureC = 36.5, slot: 'morning' | 'evening' = 'morning') =>
  cmd('RecordCheckIn', { slot, temperatureC, symptomatic: false, feverThresholdC: 37.3 }, now);

describe('traveller', () => {
  it('registers a key person and pushes them to their committee, naming rule R2', () => spec.given([]).when(register()).then([registered, pushed]));
  it('registers a general traveller without a push', () =>
    spec
      .given([])
      .when(register([]))
      .then([ev('TravellerRegistered', { riskClass: 'general', firedRules: [] })]));
  it('does nothing when the same registration id is sent again', () => spec.given([registered, pushed]).when(register()).thenNothingHappens());
  it('refuses the registration id sent again with another trip or destination, naming the fields, rather than dropping them', () => {
    const resent = register();
    const changed: RegisterTraveller = {
      ...resent,
      data: { ...resent.data, tripDate: '2020-02-11', destination: { ...resent.data.destination, committeeCode: '310105002001' } },
    };
    spec
      .given([registered, pushed])
      .when(changed)
      .thenThrows(
        RuleViolationError,
        `Registration ${S.TravellerRegistered.registrationId} is already recorded with a different destination.committeeCode, trip.date: resend the same body to retry, or use a new id`,
      );
  });
  it('refuses the registration id sent again with a declaration that classifies otherwise', () =>
    spec
      .given([registered, pushed])
      .when(register([]))
      .thenThrows(RuleViolationError, /already recorded with a different declaration:/));
  it('links a second registration to the same traveller without a second push', () =>
    spec
      .given([registered, pushed])
      .when(register(['420100'], 'reg-2'))
      .then([ev('TravellerRegistered', { registrationId: 'reg-2', registrationCount: 2 })]));
  it('starts 14 days of observation, release due on day 15', () =>
    spec
      .given([registered, pushed])
      .when(cmd('StartHomeObservation', {}, S.HomeObservationStarted.startedAt))
      .then([started]));
  it('refuses a worker of another subdistrict', () =>
    spec
      .given([registered])
      .when(cmd('StartHomeObservation', {}, S.HomeObservationStarted.startedAt, otherWorker))
      .thenThrows(ForbiddenError));
  it('refuses observation of an unknown traveller', () =>
    spec
      .given([])
      .when(cmd('StartHomeObservation', {}, '2020-02-12T11:00:00+08:00'))
      .thenThrows(NotFoundError));
  it('records a check-in', () =>
    spec
      .given([registered, started])
      .when(checkIn(S.CheckInRecorded.recordedAt))
      .then([ev('CheckInRecorded')]));
  it('raises a fever flag the same day on a check-in at 37.3 °C', () =>
    spec
      .given([registered, started])
      .when(checkIn(S.CheckInRecorded.recordedAt, 37.3))
      .then([
        ev('CheckInRecorded', { fever: true }),
        ev('ObservationFlagRaised', { flagId: '2020-02-13-morning-fever', kind: 'fever', raisedAt: S.CheckInRecorded.recordedAt }),
      ]));
  it('takes the same check-in again as a retry', () =>
    spec
      .given([registered, started, ev('CheckInRecorded')])
      .when(checkIn(S.CheckInRecorded.recordedAt))
      .thenNothingHappens());
  it('refuses another reading for a check-in already recorded, naming what differs', () =>
    spec
      .given([registered, started, ev('CheckInRecorded')])
      .when(checkIn(S.CheckInRecorded.recordedAt, 38.2))
      .thenThrows(RuleViolationError, /check-in of 2020-02-13 morning is already recorded with a different fever/));
  it('refuses a check-in of a person not under observation', () =>
    spec.given([registered]).when(checkIn(S.CheckInRecorded.recordedAt)).thenThrows(RuleViolationError, 'not under home observation'));
  it('marks a missed check-in and flags it', () =>
    spec
      .given([registered, started])
      .when(cmd('MarkCheckInMissed', { day: '2020-02-13', slot: 'evening' }, S.CheckInMissed.detectedAt, system))
      .then([ev('CheckInMissed'), ev('ObservationFlagRaised')]));
  it('marks nothing missed when the check-in was made', () =>
    spec
      .given([registered, started, ev('CheckInRecorded', { slot: 'evening' })])
      .when(cmd('MarkCheckInMissed', { day: '2020-02-13', slot: 'evening' }, S.CheckInMissed.detectedAt, system))
      .thenNothingHappens());
  it('resolves an open flag, and a retry changes nothing', () => {
    const resolve = cmd('ResolveFlag', { flagId: S.ObservationFlagRaised.flagId }, S.ObservationFlagResolved.resolvedAt);
    spec
      .given([registered, started, ev('ObservationFlagRaised')])
      .when(resolve)
      .then([ev('ObservationFlagResolved')]);
    spec
      .given([registered, started, ev('ObservationFlagRaised'), ev('ObservationFlagResolved')])
      .when(resolve)
      .thenNothingHappens();
  });
  it('refers to a fever clinic and records the outcome', () => {
    spec
      .given([registered, started])
      .when(cmd('ReferToFeverClinic', { referralId: 'ref-0001' }, S.FeverClinicReferred.referredAt))
      .then([ev('FeverClinicReferred')]);
    spec
      .given([registered, started, ev('FeverClinicReferred')])
      .when(cmd('RecordReferralOutcome', { referralId: 'ref-0001', outcome: 'cleared' }, S.ReferralOutcomeRecorded.recordedAt))
      .then([ev('ReferralOutcomeRecorded')]);
  });
  it('releases on day 15', () =>
    spec
      .given([registered, started])
      .when(cmd('ReleaseFromObservation', {}, S.HomeObservationReleased.releasedAt, system))
      .then([ev('HomeObservationReleased')]));
  it('refuses a release before day 15', () =>
    spec
      .given([registered, started])
      .when(cmd('ReleaseFromObservation', {}, '2020-02-25T23:00:00+08:00', system))
      .thenThrows(RuleViolationError, 'day 15'));
  it('does not release with a referral still open', () =>
    spec
      .given([registered, started, ev('FeverClinicReferred')])
      .when(cmd('ReleaseFromObservation', {}, S.HomeObservationReleased.releasedAt, system))
      .thenThrows(RuleViolationError, 'ref-0001'));
  it('transfers to another community with the history', () =>
    spec
      .given([registered, started])
      .when(
        cmd(
          'TransferObservation',
          { to: { districtCode: '310107', subdistrictCode: '310107017', committeeCode: '310107017001' } },
          S.HomeObservationTransferred.transferredAt,
        ),
      )
      .then([ev('HomeObservationTransferred')]));
  it('refuses a transfer to a committee outside its subdistrict (even its own committee: the place must nest)', () =>
    spec
      .given([registered, started])
      .when(
        cmd(
          'TransferObservation',
          { to: { districtCode: '310107', subdistrictCode: '310107017', committeeCode: '310105002003' } },
          S.HomeObservationTransferred.transferredAt,
        ),
      )
      .thenThrows(ValidationError, 'not valid'));
  it('erases personal data after release, once', () => {
    const erase = cmd('ErasePersonalData', {}, S.PersonalDataErased.erasedAt, { ...system, sub: 'th-retention' });
    spec
      .given([registered, started, ev('HomeObservationReleased')])
      .when(erase)
      .then([ev('PersonalDataErased')]);
    spec
      .given([registered, ev('PersonalDataErased')])
      .when(erase)
      .thenNothingHappens();
  });
  it('erases by the clock 28 days after the last registration or release, whichever is later', () => {
    const registeredAt = '2020-02-12T02:00:00.000Z';
    const first = ev('TravellerRegistered', { registeredAt });
    const retention = (now: string) => cmd('EraseAfterRetention', { retentionDays: 28 }, now, system);
    spec.given([first]).when(retention('2020-03-11T01:59:59.000Z')).thenNothingHappens();
    spec
      .given([first])
      .when(retention('2020-03-11T02:00:00.000Z'))
      .then([ev('PersonalDataErased', { erasedBy: system.sub, erasedAt: '2020-03-11T02:00:00.000Z' })]);
    // A later registration moves the deadline; so does a release after it; observation holds it.
    const later = ev('TravellerRegistered', { registrationId: 'later', registeredAt: '2020-02-20T02:00:00.000Z' });
    spec.given([first, later]).when(retention('2020-03-12T00:00:00.000Z')).thenNothingHappens();
    spec.given([first, started]).when(retention('2020-06-01T00:00:00.000Z')).thenNothingHappens();
    const released = ev('HomeObservationReleased', { releasedAt: '2020-02-26T16:05:00.000Z' });
    spec.given([first, started, released]).when(retention('2020-03-25T16:04:00.000Z')).thenNothingHappens();
    spec
      .given([first, started, released, ev('PersonalDataErased')])
      .when(retention('2020-06-01T00:00:00.000Z'))
      .thenNothingHappens();
  });
  it('refuses erasure during observation', () =>
    spec
      .given([registered, started])
      .when(cmd('ErasePersonalData', {}, S.PersonalDataErased.erasedAt, system))
      .thenThrows(RuleViolationError, 'under home observation'));
});
