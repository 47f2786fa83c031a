import { ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import { POLICY_RELIEF_EVENT_SAMPLES, reliefMeasureOf, type ReliefMeasure } from '@city/contracts';
import {
  applicationDecider,
  type ApplicationEvent,
  type ApproveApplication,
  type RecordDisbursement,
  type RejectApplication,
  type SubmitApplication,
  type WithdrawApplication,
} from './application.decider';
import type { Actor } from './command-context';
import { CAFE, cafe, profile, sasac } from '../testing/sample-enterprises';

const spec = deciderSpecification(applicationDecider);
const NOW = '2020-02-12T09:30:00+08:00';
const TODAY = '2020-02-12';
const APP = `M01-${CAFE}`;
const M01 = reliefMeasureOf('M01') as ReliefMeasure;
const otherFirm: Actor = { sub: '91310107MA1G8K2X3C', role: 'enterprise' };
const taxOffice: Actor = { sub: 'tax-officer-0001', role: 'department', department: 'policy-relief', office: 'tax' };
const enterprise = profile(CAFE);

const submit = (over: Partial<SubmitApplication['data']> = {}, actor: Actor = cafe): SubmitApplication => ({
  type: 'SubmitApplication',
  data: {
    applicationId: APP,
    measureId: 'M01',
    enterpriseId: CAFE,
    measure: M01,
    enterprise,
    landlordKind: 'state-owned',
    requestedFen: 9_600_000,
    monthlyRentFen: 4_800_000,
    today: TODAY,
    ...over,
  },
  metadata: { actor, now: NOW },
});
const withdraw = (actor: Actor = cafe): WithdrawApplication => ({ type: 'WithdrawApplication', data: { applicationId: APP }, metadata: { actor, now: NOW } });
const approve = (grantedFen: number, actor: Actor = sasac): ApproveApplication => ({
  type: 'ApproveApplication',
  data: { applicationId: APP, grantedFen, note: 'One and a half months: the shop reopened on 20 February' },
  metadata: { actor, now: '2020-02-14T15:20:00+08:00' },
});
const reject = (actor: Actor = sasac): RejectApplication => ({
  type: 'RejectApplication',
  data: { applicationId: APP, reason: 'The lease names another tenant' },
  metadata: { actor, now: '2020-02-14T15:25:00+08:00' },
});
const disburse = (amountFen: number, reference = 'RENT-WAIVER-2020-000731', disbursedOn = '2020-02-20'): RecordDisbursement => ({
  type: 'RecordDisbursement',
  data: { applicationId: APP, amountFen, disbursedOn, reference, today: '2020-02-20' },
  metadata: { actor: sasac, now: '2020-02-20T11:00:00+08:00' },
});

const submitted = POLICY_RELIEF_EVENT_SAMPLES.ReliefApplicationSubmitted as ApplicationEvent;
const approved = POLICY_RELIEF_EVENT_SAMPLES.ReliefApplicationApproved as ApplicationEvent;
const { reason: _reason, ...withdrawal } = POLICY_RELIEF_EVENT_SAMPLES.ReliefApplicationWithdrawn.data;
const withdrawn: ApplicationEvent = { type: 'ReliefApplicationWithdrawn', data: { ...withdrawal, withdrawnAt: NOW } };
const disbursed = POLICY_RELIEF_EVENT_SAMPLES.ReliefDisbursed as ApplicationEvent;
const ineligible: ApplicationEvent = {
  type: 'ReliefApplicationSubmitted',
  data: {
    ...POLICY_RELIEF_EVENT_SAMPLES.ReliefApplicationSubmitted.data,
    facts: { ...POLICY_RELIEF_EVENT_SAMPLES.ReliefApplicationSubmitted.data.facts, landlordKind: 'private' },
    eligibility: {
      eligible: false,
      measureVersion: 1,
      checks: [
        { rule: 'S1', field: 'size', value: 'small', passed: true, reason: 'size: small — passes rule S1 of measure M01 v1' },
        {
          rule: 'L1',
          field: 'landlordKind',
          value: 'private',
          passed: false,
          reason: 'landlord: private — fails rule L1 of measure M01 v1 (needs state-owned)',
        },
      ],
    },
  },
};

describe('relief application', () => {
  it('given nothing, when the café applies to M01, then it is submitted with every rule passing', () => spec.given([]).when(submit()).then([submitted]));
  it('given nothing, when a private tenant applies, then it is submitted ineligible, naming the rule it fails', () =>
    spec
      .given([])
      .when(submit({ landlordKind: 'private' }))
      .then([ineligible]));
  it('given a submission, when the same application is retried, then nothing happens', () => spec.given([submitted]).when(submit()).thenNothingHappens());
  it('given a submission, when the enterprise applies again with another amount, then 409 already-applied', () =>
    spec
      .given([submitted])
      .when(submit({ requestedFen: 100 }))
      .thenThrows(RuleViolationError, 'already applied'));
  it('given a withdrawal, when the enterprise applies again, then a new application is submitted and answered anew', () =>
    spec
      .given([submitted, withdrawn])
      .when(submit({ landlordKind: 'private' }))
      .then([ineligible]));
  it('given an approval, when the enterprise applies again, then 409 already-applied', () =>
    spec
      .given([submitted, approved])
      .when(submit({ requestedFen: 100 }))
      .thenThrows(RuleViolationError, 'already applied'));
  it('given an ineligible answer, when the enterprise applies again stating another landlord, then it is answered anew', () =>
    spec.given([ineligible]).when(submit()).then([submitted]));
  it('given an ineligible answer, when the same application comes on the same facts, then nothing happens (the same answer)', () =>
    spec
      .given([ineligible])
      .when(submit({ landlordKind: 'private' }))
      .thenNothingHappens());
  it('given an ineligible answer, when the same application comes after the enterprise reopened, then it is answered anew', () =>
    spec
      .given([{ ...ineligible, data: { ...ineligible.data, facts: { ...ineligible.data.facts, reopeningStatus: 'declared' } } } as ApplicationEvent])
      .when(submit({ landlordKind: 'private' }))
      .then([ineligible]));
  it('given a rejection, when the enterprise applies again, then 409 already-applied', () =>
    spec
      .given([submitted, POLICY_RELIEF_EVENT_SAMPLES.ReliefApplicationRejected])
      .when(submit({ requestedFen: 100 }))
      .thenThrows(RuleViolationError, 'already applied'));
  it('given nothing, when another enterprise applies for the café, then it is forbidden', () =>
    spec.given([]).when(submit({}, otherFirm)).thenThrows(ForbiddenError));
  it('given nothing, when an issuing office applies, then it is forbidden', () => spec.given([]).when(submit({}, sasac)).thenThrows(ForbiddenError));
  it('given nothing, when the measure is unknown, then 404', () =>
    spec
      .given([])
      .when(submit({ measure: null, measureId: 'M99' }))
      .thenThrows(NotFoundError, 'M99'));
  it('given nothing, when the application arrives after the closing day, then measure-closed', () =>
    spec
      .given([])
      .when(submit({ today: '2031-01-01' }))
      .thenThrows(RuleViolationError, 'closed on 2030-12-31'));
  it('given nothing, when the enterprise is not in the view yet, then refused with the reason', () =>
    spec
      .given([])
      .when(submit({ enterprise: null }))
      .thenThrows(RuleViolationError, 'not known to policy-relief yet'));
  it('given nothing, when more than two months of rent is requested, then amount-above-limit', () =>
    spec
      .given([])
      .when(submit({ requestedFen: 9_600_001 }))
      .thenThrows(RuleViolationError, 'at most ¥96,000.00'));
  it('given nothing, when a rent waiver comes without the rent, then 400 naming monthlyRentFen', () =>
    spec
      .given([])
      .when(submit({ monthlyRentFen: undefined }))
      .thenThrows(ValidationError));

  it('given a submission, when the enterprise withdraws, then it is withdrawn', () => spec.given([submitted]).when(withdraw()).then([withdrawn]));
  it('given an approval, when the enterprise withdraws, then it is too late', () =>
    spec.given([submitted, approved]).when(withdraw()).thenThrows(RuleViolationError, 'approved'));

  it('given a submission, when the issuing office approves part, then approved with partial true', () =>
    spec.given([submitted]).when(approve(7_200_000)).then([approved]));
  it('given an approval, when the same approval is retried, then nothing happens', () =>
    spec.given([submitted, approved]).when(approve(7_200_000)).thenNothingHappens());
  it('given a submission, when another office approves, then forbidden', () =>
    spec.given([submitted]).when(approve(7_200_000, taxOffice)).thenThrows(ForbiddenError, 'state-assets'));
  it('given a submission, when more than requested is granted, then grant-above-request', () =>
    spec.given([submitted]).when(approve(9_600_001)).thenThrows(RuleViolationError, 'cannot be granted'));
  it('given a withdrawal, when the office approves, then application-withdrawn', () =>
    spec.given([submitted, withdrawn]).when(approve(7_200_000)).thenThrows(RuleViolationError, 'withdrawn'));
  it('given an ineligible application, when the office approves, then not-eligible with the failing rule', () =>
    spec.given([ineligible]).when(approve(100)).thenThrows(RuleViolationError, 'fails rule L1'));
  it('given a submission, when the office rejects with a reason, then rejected', () =>
    spec.given([submitted]).when(reject()).then([POLICY_RELIEF_EVENT_SAMPLES.ReliefApplicationRejected]));

  it('given an approval, when the office records the payment, then disbursed', () =>
    spec.given([submitted, approved]).when(disburse(7_200_000)).then([disbursed]));
  it('given a payment, when the same reference is recorded again, then nothing happens', () =>
    spec.given([submitted, approved, disbursed]).when(disburse(7_200_000)).thenNothingHappens());
  it('given a payment of the whole grant, when another is recorded, then disbursement-above-grant', () =>
    spec.given([submitted, approved, disbursed]).when(disburse(1, 'RENT-WAIVER-2020-000999')).thenThrows(RuleViolationError, 'exceed the grant'));
  it('given a submission, when a payment is recorded before approval, then not-approved', () =>
    spec.given([submitted]).when(disburse(100)).thenThrows(RuleViolationError, 'only approved'));
});
