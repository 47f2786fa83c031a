/**
 * The events of the enterprise-reopening context (orderly return to work),
 * published on Kafka topic `enterprise-reopening.events.v1`. Each type has a JSON
 * Schema per version in contracts/topics/enterprise-reopening.events.v1/schemas
 * (the contract tests check both say the same). Timestamps are ISO-8601 with
 * offset, days are Asia/Shanghai calendar days (`YYYY-MM-DD`), district codes are
 * GB/T 2260. Enterprises are legal entities, named by their unified social
 * credit code; no personal data travels here (staff are counted, not named).
 *
 * Every event of an enterprise's stream carries the enterprise's facts
 * (`EnterpriseFacts`: credit code, size, industry, district, subdistrict, usual
 * headcount, and its reopening status after the event), so a consumer keeps its
 * own view of the enterprises from any one of them, without a call back.
 */

export const ENTERPRISE_REOPENING_TOPIC = 'enterprise-reopening.events.v1';
/** Every enterprise-reopening stream id starts with this prefix. */
export const ENTERPRISE_REOPENING_STREAM_PREFIX = 'enterprise-reopening.';

/** Stream ids of the enterprise-reopening aggregates (also the Kafka key). */
export const enterpriseReopeningStreams = {
  /** An enterprise: registration, declarations, inspections, reopening, daily reports, surveys. */
  enterprise: (creditCode: string): string => `${ENTERPRISE_REOPENING_STREAM_PREFIX}enterprise-${creditCode}`,
  /** An appeal of an enterprise, from filing to closing. */
  appeal: (appealId: string): string => `${ENTERPRISE_REOPENING_STREAM_PREFIX}appeal-${appealId}`,
  /** The versions of one industry's prevention guideline. */
  guideline: (industryCode: string): string => `${ENTERPRISE_REOPENING_STREAM_PREFIX}guideline-${industryCode}`,
} as const;

/** Enterprise size (classification of the National Bureau of Statistics). */
export const ENTERPRISE_SIZES = ['micro', 'small', 'medium', 'large'] as const;
export type EnterpriseSize = (typeof ENTERPRISE_SIZES)[number];

/**
 * Where an enterprise stands on its way back to work, after the event that carries it:
 * - `not-declared`: registered, no reopening declared yet;
 * - `declared`: a declaration passed its checklist and waits for the subdistrict's inspection;
 * - `rectification-required`: the inspection named items to put right by a due date;
 * - `rectification-submitted`: the enterprise reports them put right; waits for re-inspection;
 * - `inspection-passed`: cleared to reopen, not reopened yet;
 * - `reopened`: back at work since the day it reported;
 * - `suspended`: the inspection suspended it; it may declare again once it has put things right.
 */
export const REOPENING_STATUSES = [
  'not-declared',
  'declared',
  'rectification-required',
  'rectification-submitted',
  'inspection-passed',
  'reopened',
  'suspended',
] as const;
export type ReopeningStatus = (typeof REOPENING_STATUSES)[number];

export const INSPECTION_OUTCOMES = ['passed', 'rectification-required', 'suspended'] as const;
export type InspectionOutcome = (typeof INSPECTION_OUTCOMES)[number];

/** The difficulties an enterprise reports in a survey. */
export const SURVEY_DIFFICULTIES = ['staff-shortage', 'supply-chain', 'cash-flow', 'prevention-supplies'] as const;
export type SurveyDifficulty = (typeof SURVEY_DIFFICULTIES)[number];

export const APPEAL_CATEGORIES = ['staff-shortage', 'supply-chain', 'cash-flow', 'prevention-supplies', 'rent-and-fees', 'permits', 'other'] as const;
export type AppealCategory = (typeof APPEAL_CATEGORIES)[number];

/**
 * The facts of an enterprise that every event of its stream carries: what a
 * consumer needs to keep its own view of the enterprise. `reopeningStatus` is
 * the status after the event.
 */
export interface EnterpriseFacts {
  /** Unified social credit code (GB 32100-2015), 18 characters with its check character. */
  readonly creditCode: string;
  readonly size: EnterpriseSize;
  /** Industry code of the guideline catalog (INDUSTRIES), e.g. `software-it-services`. */
  readonly industryCode: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  /** Staff the enterprise has in normal times. */
  readonly usualHeadcount: number;
  readonly reopeningStatus: ReopeningStatus;
}

/** The enterprise facts of an event, a command or a view that carries more: a copy with nothing else. */
export function enterpriseFactsOf(d: EnterpriseFacts): EnterpriseFacts {
  return {
    creditCode: d.creditCode,
    size: d.size,
    industryCode: d.industryCode,
    districtCode: d.districtCode,
    subdistrictCode: d.subdistrictCode,
    usualHeadcount: d.usualHeadcount,
    reopeningStatus: d.reopeningStatus,
  };
}

/** One required prevention measure of an industry guideline. */
export interface PreventionMeasure {
  /** Stable code of the measure, e.g. `entry-temperature-check`; a declaration's checklist names these. */
  readonly code: string;
  readonly requirement: string;
  /** Chinese wording, as enterprises read it in the guideline. */
  readonly requirementZh?: string;
  /** For measures done several times a day (disinfection, ventilation). */
  readonly timesPerDay?: number;
}

/** How the staff will work after reopening. */
export interface WorkforcePlan {
  readonly onSite: number;
  readonly rotating: number;
  readonly remote: number;
}

export interface IndustryGuidelineIssued {
  readonly type: 'IndustryGuidelineIssued';
  readonly data: {
    readonly industryCode: string;
    readonly industryName: string;
    /** 1, 2, …: a declaration is checked against the version current when it is made, and keeps it. */
    readonly guidelineVersion: number;
    readonly title: string;
    readonly measures: readonly PreventionMeasure[];
    readonly issuedBy: string;
    readonly issuedAt: string;
  };
}

export interface EnterpriseRegistered {
  readonly type: 'EnterpriseRegistered';
  readonly data: EnterpriseFacts & {
    /** Registered name of the enterprise (a legal entity, not a person). */
    readonly name: string;
    /** The canvass office-building unit the enterprise sits in, where known. */
    readonly officeBuildingUnitId?: string;
    readonly registeredBy: string;
    readonly registeredAt: string;
  };
}

export interface ReopeningDeclared {
  readonly type: 'ReopeningDeclared';
  readonly data: EnterpriseFacts & {
    /** Client-chosen id: a resent declaration with the same id is recorded once. */
    readonly declarationId: string;
    readonly plannedReopeningDate: string;
    /** The guideline version the checklist was checked against. */
    readonly guidelineVersion: number;
    /** Every required measure of that version, confirmed in place. */
    readonly confirmedMeasures: readonly string[];
    readonly workforcePlan: WorkforcePlan;
    /** Staff back from outside the city and still in home health observation (counted, not named). */
    readonly returneesInObservation: number;
    readonly declaredBy: string;
    readonly declaredAt: string;
  };
}

export interface InspectionRecorded {
  readonly type: 'InspectionRecorded';
  readonly data: EnterpriseFacts & {
    readonly inspectionId: string;
    readonly declarationId: string;
    readonly outcome: InspectionOutcome;
    /** 1 for the first inspection of the declaration, 2 after the first rectification, … */
    readonly round: number;
    /** Measures to put right (outcome `rectification-required`; may name them for `suspended`). */
    readonly rectificationItems: readonly string[];
    /** Day by which the items are to be put right (outcome `rectification-required`). */
    readonly rectificationDueDate?: string;
    readonly findings?: string;
    readonly inspectedBy: string;
    readonly inspectedAt: string;
  };
}

export interface RectificationSubmitted {
  readonly type: 'RectificationSubmitted';
  readonly data: EnterpriseFacts & {
    readonly declarationId: string;
    readonly rectifiedItems: readonly string[];
    readonly note?: string;
    readonly submittedBy: string;
    readonly submittedAt: string;
  };
}

export interface EnterpriseReopened {
  readonly type: 'EnterpriseReopened';
  readonly data: EnterpriseFacts & {
    readonly declarationId: string;
    /** The city day the enterprise reopened (the day it reports it). */
    readonly reopenedOn: string;
    readonly guidelineVersion: number;
    readonly reportedBy: string;
    readonly reportedAt: string;
  };
}

export interface DailyWorkforceReported {
  readonly type: 'DailyWorkforceReported';
  readonly data: EnterpriseFacts & {
    /** The city day reported on: one report per enterprise and day; a later one corrects it. */
    readonly reportDate: string;
    readonly onSiteHeadcount: number;
    /** Capacity in use as a percentage of normal. */
    readonly capacityPercent: number;
    /** 1 for the day's first report, 2 for its first correction, … */
    readonly revision: number;
    /** What the report corrects: the day's previous figures (null on the first report). */
    readonly previousOnSiteHeadcount: number | null;
    readonly previousCapacityPercent: number | null;
    readonly reportedBy: string;
    readonly reportedAt: string;
  };
}

export interface SurveyAnswered {
  readonly type: 'SurveyAnswered';
  readonly data: EnterpriseFacts & {
    readonly surveyId: string;
    readonly difficulties: readonly SurveyDifficulty[];
    /** Staff the enterprise lacks to work normally. */
    readonly staffShortfall?: number;
    /** Months the enterprise can pay its costs from its cash. */
    readonly cashFlowMonths?: number;
    /** Days its masks and disinfectant last. */
    readonly preventionSuppliesDays?: number;
    readonly note?: string;
    readonly answeredBy: string;
    readonly answeredAt: string;
  };
}

/** Where an appeal is: the enterprise it comes from, and its place. Carried on every appeal event. */
export interface AppealFacts {
  readonly appealId: string;
  readonly creditCode: string;
  readonly size: EnterpriseSize;
  readonly industryCode: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  /** The department the appeal is routed to (APPEAL_DEPARTMENTS), e.g. `human-resources-social-security`. */
  readonly department: string;
}

export interface AppealFiled {
  readonly type: 'AppealFiled';
  readonly data: AppealFacts & {
    readonly category: AppealCategory;
    readonly subject: string;
    readonly details?: string;
    readonly dueAt: string;
    readonly filedBy: string;
    readonly filedAt: string;
  };
}

export interface AppealEscalated {
  readonly type: 'AppealEscalated';
  readonly data: AppealFacts & {
    /** The due time the department missed. */
    readonly dueAt: string;
    /** Who the appeal is escalated to (the commission's supervision office). */
    readonly escalatedTo: string;
    readonly escalatedAt: string;
  };
}

export interface AppealAnswered {
  readonly type: 'AppealAnswered';
  readonly data: AppealFacts & {
    readonly answer: string;
    readonly answeredBy: string;
    readonly answeredAt: string;
  };
}

export interface AppealClosed {
  readonly type: 'AppealClosed';
  readonly data: AppealFacts & {
    /** Whether the enterprise found the answer resolved its problem. */
    readonly resolved: boolean;
    readonly closedBy: string;
    readonly closedAt: string;
  };
}

export interface AppealReopened {
  readonly type: 'AppealReopened';
  readonly data: AppealFacts & {
    readonly reason: string;
    /** New due time for the department's next answer. */
    readonly dueAt: string;
    readonly reopenedBy: string;
    readonly reopenedAt: string;
  };
}

export type EnterpriseStreamEvent =
  EnterpriseRegistered | ReopeningDeclared | InspectionRecorded | RectificationSubmitted | EnterpriseReopened | DailyWorkforceReported | SurveyAnswered;

export type AppealEvent = AppealFiled | AppealEscalated | AppealAnswered | AppealClosed | AppealReopened;

export type EnterpriseReopeningEvent = IndustryGuidelineIssued | EnterpriseStreamEvent | AppealEvent;
export type EnterpriseReopeningEventType = EnterpriseReopeningEvent['type'];

export const ENTERPRISE_STREAM_EVENT_TYPES = [
  'EnterpriseRegistered',
  'ReopeningDeclared',
  'InspectionRecorded',
  'RectificationSubmitted',
  'EnterpriseReopened',
  'DailyWorkforceReported',
  'SurveyAnswered',
] as const satisfies readonly EnterpriseStreamEvent['type'][];

export const APPEAL_EVENT_TYPES = [
  'AppealFiled',
  'AppealEscalated',
  'AppealAnswered',
  'AppealClosed',
  'AppealReopened',
] as const satisfies readonly AppealEvent['type'][];

export const ENTERPRISE_REOPENING_EVENT_TYPES = [
  'IndustryGuidelineIssued',
  ...ENTERPRISE_STREAM_EVENT_TYPES,
  ...APPEAL_EVENT_TYPES,
] as const satisfies readonly EnterpriseReopeningEventType[];
