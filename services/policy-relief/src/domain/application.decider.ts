import { assertNever, NotFoundError, RuleViolationError, ValidationError, type Decider } from '@city/eventsourcing';
import type {
  LandlordKind,
  ReliefApplicationApproved,
  ReliefApplicationEvent,
  ReliefApplicationRejected,
  ReliefApplicationSubmitted,
  ReliefApplicationWithdrawn,
  ReliefMeasure,
} from '@city/contracts';
import { assertIssuerOf, policyReliefAccess } from './access-policy';
import type { CommandContext } from './command-context';
import { checkEligibility, maxGrantOf } from './eligibility';
import type { EnterpriseProfile } from './enterprise-facts';
import { yuan } from './money';
import { Rule } from './rules';

/**
 * One enterprise's application to one measure (`policy-relief.application-<measureId>-<creditCode>`):
 * submitted with its eligibility answer (eligible, or ineligible and closed), then
 * withdrawn by the enterprise, or approved (in full or in part) or rejected by the
 * issuing office without a visit, then paid in one or more disbursements.
 * One stream per enterprise and measure, so a second application while one is
 * waiting or decided is refused by the stream itself, on any replica; after a
 * withdrawal, or an ineligible answer (never considered by the office), the
 * enterprise may apply again, and the stream starts a new round. Money is integer fen. The measure, the
 * enterprise's facts, the city day and the actor arrive in the command.
 */

export type SubmitApplication = {
  readonly type: 'SubmitApplication';
  readonly data: {
    readonly applicationId: string;
    readonly measureId: string;
    readonly enterpriseId: string;
    /** The measure as the catalog has it; null when there is none. */
    readonly measure: ReliefMeasure | null;
    /** The enterprise as policy-relief's view knows it; null when the view has not heard of it. */
    readonly enterprise: EnterpriseProfile | null;
    readonly landlordKind: LandlordKind;
    readonly requestedFen: number;
    readonly monthlyRentFen?: number;
    /** The city day the application arrives on (YYYY-MM-DD). */
    readonly today: string;
  };
  readonly metadata: CommandContext;
};

export type WithdrawApplication = {
  readonly type: 'WithdrawApplication';
  readonly data: { readonly applicationId: string; readonly reason?: string };
  readonly metadata: CommandContext;
};

export type ApproveApplication = {
  readonly type: 'ApproveApplication';
  readonly data: { readonly applicationId: string; readonly grantedFen: number; readonly note?: string };
  readonly metadata: CommandContext;
};

export type RejectApplication = {
  readonly type: 'RejectApplication';
  readonly data: { readonly applicationId: string; readonly reason: string };
  readonly metadata: CommandContext;
};

export type RecordDisbursement = {
  readonly type: 'RecordDisbursement';
  readonly data: {
    readonly applicationId: string;
    readonly amountFen: number;
    readonly disbursedOn: string;
    readonly reference: string;
    readonly today: string;
  };
  readonly metadata: CommandContext;
};

export type ApplicationCommand = SubmitApplication | WithdrawApplication | ApproveApplication | RejectApplication | RecordDisbursement;
export type ApplicationEvent = ReliefApplicationEvent;

export type ApplicationStatus = 'submitted' | 'ineligible' | 'withdrawn' | 'approved' | 'rejected';

export interface Disbursement {
  readonly reference: string;
  readonly amountFen: number;
  readonly disbursedOn: string;
}

export type ApplicationState =
  | { readonly status: 'none' }
  | {
      readonly status: ApplicationStatus;
      readonly submitted: ReliefApplicationSubmitted['data'];
      readonly approved?: ReliefApplicationApproved['data'];
      readonly rejected?: ReliefApplicationRejected['data'];
      readonly withdrawn?: ReliefApplicationWithdrawn['data'];
      readonly disbursements: readonly Disbursement[];
    };

export type ExistingApplication = Exclude<ApplicationState, { status: 'none' }>;

export function initialState(): ApplicationState {
  return { status: 'none' };
}

export function evolve(state: ApplicationState, event: ApplicationEvent): ApplicationState {
  switch (event.type) {
    case 'ReliefApplicationSubmitted':
      return { status: event.data.eligibility.eligible ? 'submitted' : 'ineligible', submitted: event.data, disbursements: [] };
    case 'ReliefApplicationWithdrawn':
      return state.status === 'none' ? state : { ...state, status: 'withdrawn', withdrawn: event.data };
    case 'ReliefApplicationApproved':
      return state.status === 'none' ? state : { ...state, status: 'approved', approved: event.data };
    case 'ReliefApplicationRejected':
      return state.status === 'none' ? state : { ...state, status: 'rejected', rejected: event.data };
    case 'ReliefDisbursed': {
      if (state.status === 'none') return state;
      const { reference, amountFen, disbursedOn } = event.data;
      return { ...state, disbursements: [...state.disbursements, { reference, amountFen, disbursedOn }] };
    }
    default:
      return assertNever(event, 'relief application event');
  }
}

/** The fields every application event repeats: where it belongs and what it is for. */
function refOf(s: ReliefApplicationSubmitted['data']) {
  const { applicationId, measureId, area, issuer, enterpriseId, districtCode, subdistrictCode } = s;
  return { applicationId, measureId, area, issuer, enterpriseId, districtCode, subdistrictCode };
}

export function submitApplication(command: SubmitApplication, state: ApplicationState): ApplicationEvent[] {
  const { applicationId, measureId, enterpriseId, measure, enterprise, landlordKind, requestedFen, monthlyRentFen, today } = command.data;
  const { actor, now } = command.metadata;
  policyReliefAccess.assert('apply', actor, { ...(enterprise && { district: enterprise.districtCode }), responsible: enterpriseId });
  if (state.status !== 'none') {
    const s = state.submitted;
    const sameRequest = s.requestedFen === requestedFen && s.facts.landlordKind === landlordKind && s.monthlyRentFen === monthlyRentFen;
    const status = state.status;
    switch (status) {
      case 'withdrawn':
        break; // the measure is open to the enterprise again: a new application on the same stream, answered anew
      case 'ineligible':
        // Never considered, so it may be made again; on the same request, facts and rules it is the same answer (a retry).
        if (sameRequest && answeredOn(s, enterprise, measure)) return [];
        break;
      case 'submitted':
      case 'approved':
      case 'rejected':
        if (sameRequest) return []; // a retry
        throw new RuleViolationError(Rule.alreadyApplied, `Enterprise ${enterpriseId} has already applied to measure ${measureId} (${status})`);
      default:
        return assertNever(status, 'application status');
    }
  }
  if (!measure) throw new NotFoundError(`Unknown measure ${measureId}`);
  if (today < measure.opensOn) throw new RuleViolationError(Rule.measureNotOpen, `Measure ${measureId} takes applications from ${measure.opensOn}`);
  if (today > measure.closesOn) throw new RuleViolationError(Rule.measureClosed, `Measure ${measureId} closed on ${measure.closesOn}`);
  if (!enterprise) {
    throw new RuleViolationError(
      Rule.enterpriseUnknown,
      `Enterprise ${enterpriseId} is not known to policy-relief yet: its registration with enterprise-reopening reaches this service through the bus; apply again once it has`,
    );
  }
  const max = maxGrantOf(measure, enterprise.headcount, monthlyRentFen);
  if (!max.ok)
    throw new ValidationError('A rent waiver is counted in months of rent', { monthlyRentFen: [`monthlyRentFen is required for measure ${measureId}`] });
  if (requestedFen > max.maxGrantFen) {
    throw new RuleViolationError(
      Rule.amountAboveLimit,
      `Measure ${measureId} grants at most ${yuan(max.maxGrantFen)} here (${max.basis}); ${yuan(requestedFen)} was requested`,
    );
  }
  const facts = {
    size: enterprise.size,
    industry: enterprise.industry,
    landlordKind,
    reopeningStatus: enterprise.reopeningStatus,
    headcount: enterprise.headcount,
  };
  const eligibility = checkEligibility(measure, { ...facts, districtCode: enterprise.districtCode });
  return [
    {
      type: 'ReliefApplicationSubmitted',
      data: {
        applicationId,
        measureId,
        area: measure.area,
        issuer: measure.issuer,
        enterpriseId,
        districtCode: enterprise.districtCode,
        subdistrictCode: enterprise.subdistrictCode,
        benefitKind: measure.benefitKind,
        facts,
        requestedFen,
        ...(monthlyRentFen !== undefined && { monthlyRentFen }),
        maxGrantFen: max.maxGrantFen,
        eligibility,
        submittedBy: actor.sub,
        submittedAt: now,
      },
    },
  ];
}

/** Whether an answer was given on these facts and this version of the rules, so giving it again would say the same. */
function answeredOn(s: ReliefApplicationSubmitted['data'], enterprise: EnterpriseProfile | null, measure: ReliefMeasure | null): boolean {
  if (!enterprise || !measure) return false;
  const f = s.facts;
  return (
    measure.version === s.eligibility.measureVersion &&
    s.districtCode === enterprise.districtCode &&
    f.size === enterprise.size &&
    f.industry === enterprise.industry &&
    f.reopeningStatus === enterprise.reopeningStatus &&
    f.headcount === enterprise.headcount
  );
}

export function withdrawApplication(command: WithdrawApplication, state: ApplicationState): ApplicationEvent[] {
  const { applicationId, reason } = command.data;
  const { actor, now } = command.metadata;
  const s = existing(state, applicationId);
  policyReliefAccess.assert('apply', actor, { district: s.submitted.districtCode, responsible: s.submitted.enterpriseId });
  if (s.status === 'withdrawn') return [];
  if (s.status !== 'submitted')
    throw new RuleViolationError(Rule.alreadyDecided, `Application ${applicationId} is ${s.status}: only a waiting application can be withdrawn`);
  return [
    { type: 'ReliefApplicationWithdrawn', data: { ...refOf(s.submitted), ...(reason !== undefined && { reason }), withdrawnBy: actor.sub, withdrawnAt: now } },
  ];
}

/** What an issuing office may decide on: a waiting, eligible application of a measure it issues. */
function decidable(state: ApplicationState, command: ApplicationCommand): ExistingApplication {
  const s = existing(state, command.data.applicationId);
  const { actor } = command.metadata;
  policyReliefAccess.assert('decide', actor, { district: s.submitted.districtCode });
  assertIssuerOf(actor, s.submitted);
  return s;
}

export function approveApplication(command: ApproveApplication, state: ApplicationState): ApplicationEvent[] {
  const { applicationId, grantedFen, note } = command.data;
  const { actor, now } = command.metadata;
  const s = decidable(state, command);
  if (s.status === 'approved' && s.approved?.grantedFen === grantedFen) return []; // a retry
  refuseUnlessWaiting(s, applicationId);
  const { requestedFen } = s.submitted;
  if (grantedFen === 0) throw new ValidationError('Nothing to grant', { grantedFen: ['grantedFen must be more than 0; reject the application instead'] });
  if (grantedFen > requestedFen) {
    throw new RuleViolationError(Rule.grantAboveRequest, `Application ${applicationId} requested ${yuan(requestedFen)}; ${yuan(grantedFen)} cannot be granted`);
  }
  return [
    {
      type: 'ReliefApplicationApproved',
      data: {
        ...refOf(s.submitted),
        requestedFen,
        grantedFen,
        partial: grantedFen < requestedFen,
        ...(note !== undefined && { note }),
        approvedBy: actor.sub,
        approvedAt: now,
        submittedAt: s.submitted.submittedAt,
      },
    },
  ];
}

export function rejectApplication(command: RejectApplication, state: ApplicationState): ApplicationEvent[] {
  const { applicationId, reason } = command.data;
  const { actor, now } = command.metadata;
  const s = decidable(state, command);
  if (s.status === 'rejected' && s.rejected?.reason === reason) return []; // a retry
  refuseUnlessWaiting(s, applicationId);
  return [{ type: 'ReliefApplicationRejected', data: { ...refOf(s.submitted), reason, rejectedBy: actor.sub, rejectedAt: now } }];
}

export function recordDisbursement(command: RecordDisbursement, state: ApplicationState): ApplicationEvent[] {
  const { applicationId, amountFen, disbursedOn, reference, today } = command.data;
  const { actor, now } = command.metadata;
  const s = decidable(state, command);
  const earlier = s.disbursements.find((d) => d.reference === reference);
  if (earlier) {
    if (earlier.amountFen === amountFen && earlier.disbursedOn === disbursedOn) return []; // a retry
    throw new RuleViolationError(Rule.referenceReused, `Reference ${reference} already recorded ${yuan(earlier.amountFen)} on ${earlier.disbursedOn}`);
  }
  if (s.status !== 'approved' || !s.approved)
    throw new RuleViolationError(Rule.notApproved, `Application ${applicationId} is ${s.status}: only approved relief is paid`);
  if (disbursedOn > today) throw new RuleViolationError(Rule.dayInTheFuture, `disbursedOn ${disbursedOn} is after today (${today})`);
  const grantedFen = s.approved.grantedFen;
  const paid = s.disbursements.reduce((sum, d) => sum + d.amountFen, 0);
  if (amountFen === 0) throw new ValidationError('Nothing paid', { amountFen: ['amountFen must be more than 0'] });
  if (paid + amountFen > grantedFen) {
    throw new RuleViolationError(
      Rule.disbursementAboveGrant,
      `Application ${applicationId} was granted ${yuan(grantedFen)} and ${yuan(paid)} is paid; ${yuan(amountFen)} more would exceed the grant`,
    );
  }
  return [
    {
      type: 'ReliefDisbursed',
      data: {
        ...refOf(s.submitted),
        amountFen,
        disbursedOn,
        reference,
        totalDisbursedFen: paid + amountFen,
        grantedFen,
        recordedBy: actor.sub,
        recordedAt: now,
        submittedAt: s.submitted.submittedAt,
      },
    },
  ];
}

export function decide(command: ApplicationCommand, state: ApplicationState): ApplicationEvent[] {
  switch (command.type) {
    case 'SubmitApplication':
      return submitApplication(command, state);
    case 'WithdrawApplication':
      return withdrawApplication(command, state);
    case 'ApproveApplication':
      return approveApplication(command, state);
    case 'RejectApplication':
      return rejectApplication(command, state);
    case 'RecordDisbursement':
      return recordDisbursement(command, state);
    default:
      return assertNever(command, 'relief application command');
  }
}

export const applicationDecider: Decider<ApplicationCommand, ApplicationEvent, ApplicationState> = { decide, evolve, initialState };

function existing(state: ApplicationState, applicationId: string): ExistingApplication {
  if (state.status === 'none') throw new NotFoundError(`Unknown application ${applicationId}`);
  return state;
}

function refuseUnlessWaiting(s: ExistingApplication, applicationId: string): void {
  switch (s.status) {
    case 'submitted':
      return;
    case 'withdrawn':
      throw new RuleViolationError(Rule.applicationWithdrawn, `Application ${applicationId} was withdrawn by the enterprise`);
    case 'ineligible':
      throw new RuleViolationError(Rule.notEligible, `Application ${applicationId} is not eligible: ${failedReasons(s)}`);
    case 'approved':
    case 'rejected':
      throw new RuleViolationError(Rule.alreadyDecided, `Application ${applicationId} is already ${s.status}`);
    default:
      return assertNever(s.status, 'application status');
  }
}

function failedReasons(s: ExistingApplication): string {
  return s.submitted.eligibility.checks
    .filter((c) => !c.passed)
    .map((c) => c.reason)
    .join('; ');
}
