/**
 * The events of the policy-relief context, published on Kafka topic `policy-relief.events.v1`.
 * Each type has a JSON Schema per version in contracts/topics/policy-relief.events.v1/schemas
 * (the contract tests check both say the same). Timestamps are ISO-8601 with
 * offset; district codes are GB/T 2260; money is integer fen (1 yuan = 100 fen),
 * never a floating-point number; enterprises are named by their unified social
 * credit code, which is not personal data.
 */

import type { EnterpriseSize, ReopeningStatus } from '../enterprise-reopening/events';

export const POLICY_RELIEF_TOPIC = 'policy-relief.events.v1';
/** Every policy-relief stream id starts with this prefix. */
export const POLICY_RELIEF_STREAM_PREFIX = 'policy-relief.';

/** Stream ids of the policy-relief aggregates (also the Kafka key). */
export const policyReliefStreams = {
  /** One enterprise's application to one measure. */
  application: (applicationId: string): string => `${POLICY_RELIEF_STREAM_PREFIX}application-${applicationId}`,
  /** A measure's budget ledger: every commitment and release of its money. */
  budget: (measureId: string): string => `${POLICY_RELIEF_STREAM_PREFIX}budget-${measureId}`,
} as const;

/** The id of an enterprise's application to a measure: one per enterprise and measure. */
export function applicationIdOf(measureId: string, enterpriseId: string): string {
  return `${measureId}-${enterpriseId}`;
}

/** The six areas of the city's relief package. */
export const RELIEF_AREAS = ['lighter-burden', 'finance-support', 'keeping-jobs', 'epidemic-supplies', 'government-services', 'foreign-trade'] as const;
export type ReliefArea = (typeof RELIEF_AREAS)[number];

/** The offices that issue measures and approve applications to them. */
export const RELIEF_ISSUERS = [
  'finance', // 市财政局 municipal finance bureau; also reads every measure
  'state-assets', // 市国资委 state-owned assets commission (state-owned landlords)
  'human-resources', // 市人社局 human resources and social security bureau
  'tax', // 市税务局 tax bureau
  'financial-regulation', // 市地方金融监管局 banks' coordinator
  'economy', // 市经济信息化委 economy and informatization commission
  'commerce', // 市商务委 commerce commission
] as const;
export type ReliefIssuer = (typeof RELIEF_ISSUERS)[number];

export const BENEFIT_KINDS = ['rent-waiver', 'credit-line', 'subsidy', 'tax-deferral', 'social-insurance-deferral', 'fee-reduction'] as const;
export type BenefitKind = (typeof BENEFIT_KINDS)[number];

/** Who the enterprise rents its premises from; stated in the application. */
export const LANDLORD_KINDS = ['state-owned', 'collective', 'private', 'own-premises'] as const;
export type LandlordKind = (typeof LANDLORD_KINDS)[number];

/**
 * The facts of an enterprise an application was decided on: size, industry
 * (an industry code of enterprise-reopening's catalog) and reopening status as
 * enterprise-reopening's events said, the landlord as the application states.
 */
export interface EnterpriseFactsSnapshot {
  readonly size: EnterpriseSize;
  readonly industry: string;
  readonly landlordKind: LandlordKind;
  readonly reopeningStatus: ReopeningStatus;
  readonly headcount: number;
}

/** One eligibility rule applied to one application. */
export interface EligibilityCheck {
  /** Rule id within the measure, e.g. `L1`. */
  readonly rule: string;
  readonly field: 'size' | 'industry' | 'landlordKind' | 'reopeningStatus' | 'district';
  /** The enterprise's value of the field. */
  readonly value: string;
  readonly passed: boolean;
  /** e.g. "landlord: private — fails rule L1 of measure M03 v2 (needs state-owned)". */
  readonly reason: string;
}

export interface EligibilityAnswer {
  readonly eligible: boolean;
  /** The rule-set version of the measure the answer was given under. */
  readonly measureVersion: number;
  readonly checks: readonly EligibilityCheck[];
}

/** Where an application belongs and what it is for: carried by every application event. */
interface ApplicationRef {
  readonly applicationId: string;
  readonly measureId: string;
  readonly area: ReliefArea;
  readonly issuer: ReliefIssuer;
  readonly enterpriseId: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
}

export interface ReliefApplicationSubmitted {
  readonly type: 'ReliefApplicationSubmitted';
  readonly data: ApplicationRef & {
    readonly benefitKind: BenefitKind;
    readonly facts: EnterpriseFactsSnapshot;
    readonly requestedFen: number;
    /** Stated for rent waivers: the monthly rent the waiver is counted in. */
    readonly monthlyRentFen?: number;
    /** The most the measure's amount rule grants this application. */
    readonly maxGrantFen: number;
    readonly eligibility: EligibilityAnswer;
    readonly submittedBy: string;
    readonly submittedAt: string;
  };
}

export interface ReliefApplicationWithdrawn {
  readonly type: 'ReliefApplicationWithdrawn';
  readonly data: ApplicationRef & { readonly reason?: string; readonly withdrawnBy: string; readonly withdrawnAt: string };
}

export interface ReliefApplicationApproved {
  readonly type: 'ReliefApplicationApproved';
  readonly data: ApplicationRef & {
    readonly requestedFen: number;
    readonly grantedFen: number;
    /** True when less than requested was granted. */
    readonly partial: boolean;
    readonly note?: string;
    readonly approvedBy: string;
    readonly approvedAt: string;
    readonly submittedAt: string;
  };
}

export interface ReliefApplicationRejected {
  readonly type: 'ReliefApplicationRejected';
  readonly data: ApplicationRef & { readonly reason: string; readonly rejectedBy: string; readonly rejectedAt: string };
}

export interface ReliefDisbursed {
  readonly type: 'ReliefDisbursed';
  readonly data: ApplicationRef & {
    readonly amountFen: number;
    /** The city day the money was paid (or the deferral took effect). */
    readonly disbursedOn: string;
    /** Payment or voucher reference; one disbursement per reference. */
    readonly reference: string;
    /** Disbursed to this application so far, this one included. */
    readonly totalDisbursedFen: number;
    readonly grantedFen: number;
    readonly recordedBy: string;
    readonly recordedAt: string;
    readonly submittedAt: string;
  };
}

export interface ReliefBudgetCommitted {
  readonly type: 'ReliefBudgetCommitted';
  readonly data: {
    readonly measureId: string;
    readonly applicationId: string;
    readonly amountFen: number;
    /** Committed of the budget after this commitment. */
    readonly committedFen: number;
    readonly budgetFen: number;
    readonly committedAt: string;
  };
}

export interface ReliefBudgetReleased {
  readonly type: 'ReliefBudgetReleased';
  readonly data: {
    readonly measureId: string;
    readonly applicationId: string;
    readonly amountFen: number;
    readonly committedFen: number;
    readonly budgetFen: number;
    readonly reason: string;
    readonly releasedAt: string;
  };
}

export type ReliefApplicationEvent =
  ReliefApplicationSubmitted | ReliefApplicationWithdrawn | ReliefApplicationApproved | ReliefApplicationRejected | ReliefDisbursed;
export type ReliefBudgetEvent = ReliefBudgetCommitted | ReliefBudgetReleased;
export type PolicyReliefEvent = ReliefApplicationEvent | ReliefBudgetEvent;
export type PolicyReliefEventType = PolicyReliefEvent['type'];

export const POLICY_RELIEF_EVENT_TYPES = [
  'ReliefApplicationSubmitted',
  'ReliefApplicationWithdrawn',
  'ReliefApplicationApproved',
  'ReliefApplicationRejected',
  'ReliefDisbursed',
  'ReliefBudgetCommitted',
  'ReliefBudgetReleased',
] as const satisfies readonly PolicyReliefEventType[];
