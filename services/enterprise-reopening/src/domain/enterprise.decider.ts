import { assertNever, differingFields, idempotencyKeyReused, NotFoundError, RuleViolationError, type Decider } from '@city/eventsourcing';
import {
  creditCodeProblem,
  enterpriseFactsOf,
  isDistrictCode,
  type DailyWorkforceReported,
  type EnterpriseFacts,
  type EnterpriseRegistered,
  type EnterpriseSize,
  type EnterpriseStreamEvent,
  type InspectionOutcome,
  type InspectionRecorded,
  type ReopeningDeclared,
  type ReopeningStatus,
  type SurveyDifficulty,
  type WorkforcePlan,
} from '@city/contracts';
import { enterpriseReopeningAccess, enterpriseScope } from './access-policy';
import { cityDayOf } from './city-time';
import type { CommandContext } from './command-context';
import type { CurrentGuideline, IndustryCatalog } from './industry-catalog';
import { Rule } from './rules';

/**
 * One enterprise (`enterprise-reopening.enterprise-<credit code>`), keyed by its
 * unified social credit code (GB 32100-2015, check character verified), on its
 * way back to work:
 *
 *   registered → declared → (rectification required → rectification submitted)* → inspection passed → reopened
 *                        ↘ suspended (may declare again)
 *
 * then one workforce report per city day (a later one corrects it, naming what it
 * replaces), and survey answers. Every event carries the enterprise's facts with
 * its reopening status after the event, so consumers need no call back.
 * Commands carry client-chosen ids (declaration, inspection, survey): a resent
 * one is recognised and causes nothing; a declaration or inspection id resent
 * with other terms is refused (409 `idempotency-key-reused`, naming them).
 */

// ---- commands ---------------------------------------------------------------

export interface EnterpriseProfile {
  readonly creditCode: string;
  readonly name: string;
  readonly industryCode: string;
  readonly size: EnterpriseSize;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly usualHeadcount: number;
  readonly officeBuildingUnitId?: string;
}

export type RegisterEnterprise = {
  readonly type: 'RegisterEnterprise';
  readonly data: EnterpriseProfile & {
    /** The industries the service knows (reference data). */
    readonly industries: IndustryCatalog;
  };
  readonly metadata: CommandContext;
};

/** One line of a declaration's checklist: a measure of the guideline, and whether it is in place. */
export interface ChecklistItem {
  readonly measureCode: string;
  readonly inPlace: boolean;
}

export type DeclareReopening = {
  readonly type: 'DeclareReopening';
  readonly data: {
    readonly creditCode: string;
    readonly declarationId: string;
    readonly plannedReopeningDate: string;
    readonly checklist: readonly ChecklistItem[];
    readonly workforcePlan: WorkforcePlan;
    readonly returneesInObservation: number;
    /**
     * The current guideline of the enterprise's industry, read by the handler
     * from the guideline's stream when the command arrives. A version issued
     * between that read and the append applies from the next declaration on:
     * the event records the version this one was checked against.
     */
    readonly guideline: CurrentGuideline;
  };
  readonly metadata: CommandContext;
};

export type RecordInspection = {
  readonly type: 'RecordInspection';
  readonly data: {
    readonly creditCode: string;
    readonly inspectionId: string;
    readonly declarationId: string;
    readonly outcome: InspectionOutcome;
    readonly rectificationItems: readonly string[];
    readonly rectificationDueDate?: string;
    readonly findings?: string;
  };
  readonly metadata: CommandContext;
};

export type SubmitRectification = {
  readonly type: 'SubmitRectification';
  readonly data: { readonly creditCode: string; readonly declarationId: string; readonly rectifiedItems: readonly string[]; readonly note?: string };
  readonly metadata: CommandContext;
};

export type ReportReopened = {
  readonly type: 'ReportReopened';
  readonly data: { readonly creditCode: string };
  readonly metadata: CommandContext;
};

export type ReportDailyWorkforce = {
  readonly type: 'ReportDailyWorkforce';
  readonly data: { readonly creditCode: string; readonly reportDate: string; readonly onSiteHeadcount: number; readonly capacityPercent: number };
  readonly metadata: CommandContext;
};

export type AnswerSurvey = {
  readonly type: 'AnswerSurvey';
  readonly data: {
    readonly creditCode: string;
    readonly surveyId: string;
    readonly difficulties: readonly SurveyDifficulty[];
    readonly staffShortfall?: number;
    readonly cashFlowMonths?: number;
    readonly preventionSuppliesDays?: number;
    readonly note?: string;
  };
  readonly metadata: CommandContext;
};

export type EnterpriseCommand =
  RegisterEnterprise | DeclareReopening | RecordInspection | SubmitRectification | ReportReopened | ReportDailyWorkforce | AnswerSurvey;
export type EnterpriseEvent = EnterpriseStreamEvent;

// ---- state ------------------------------------------------------------------

/** The declaration the enterprise is on its way back with (the latest one). */
export interface Declaration {
  readonly declaration: ReopeningDeclared['data'];
  /** Inspections of it so far. */
  readonly rounds: number;
  /** Measures the last inspection asked to put right (empty otherwise). */
  readonly pendingItems: readonly string[];
  readonly rectificationDueDate: string | null;
}

export interface DayReport {
  readonly revision: number;
  readonly onSiteHeadcount: number;
  readonly capacityPercent: number;
}

export interface RegisteredEnterprise {
  readonly status: 'registered';
  readonly registration: EnterpriseRegistered['data'];
  readonly facts: EnterpriseFacts;
  readonly declaration: Declaration | null;
  /** Every declaration and inspection recorded, by id, to recognise a resent one (and one resent with other terms). */
  readonly declared: ReadonlyMap<string, ReopeningDeclared['data']>;
  readonly inspected: ReadonlyMap<string, InspectionRecorded['data']>;
  /** The answers given, by survey: one per survey, resent as it was or refused. */
  readonly surveys: ReadonlyMap<string, SurveyAnswer>;
  readonly reopenedOn: string | null;
  /** The latest report of each city day. */
  readonly reports: ReadonlyMap<string, DayReport>;
}

export type EnterpriseState = { readonly status: 'unregistered' } | RegisteredEnterprise;

export function initialState(): EnterpriseState {
  return { status: 'unregistered' };
}

export function evolve(state: EnterpriseState, event: EnterpriseEvent): EnterpriseState {
  if (event.type === 'EnterpriseRegistered') {
    return {
      status: 'registered',
      registration: event.data,
      facts: enterpriseFactsOf(event.data),
      declaration: null,
      declared: new Map(),
      inspected: new Map(),
      surveys: new Map(),
      reopenedOn: null,
      reports: new Map(),
    };
  }
  // Every other event presupposes a registered enterprise; a stream never starts with one.
  if (state.status === 'unregistered') return state;
  const s = { ...state, facts: enterpriseFactsOf(event.data) };
  switch (event.type) {
    case 'ReopeningDeclared':
      return {
        ...s,
        declaration: { declaration: event.data, rounds: 0, pendingItems: [], rectificationDueDate: null },
        declared: new Map(s.declared).set(event.data.declarationId, event.data),
      };
    case 'InspectionRecorded': {
      const d = s.declaration;
      const declaration =
        d === null
          ? null
          : { ...d, rounds: event.data.round, pendingItems: event.data.rectificationItems, rectificationDueDate: event.data.rectificationDueDate ?? null };
      return { ...s, declaration, inspected: new Map(s.inspected).set(event.data.inspectionId, event.data) };
    }
    case 'RectificationSubmitted':
      return { ...s, declaration: s.declaration === null ? null : { ...s.declaration, pendingItems: [], rectificationDueDate: null } };
    case 'EnterpriseReopened':
      return { ...s, reopenedOn: event.data.reopenedOn };
    case 'DailyWorkforceReported': {
      const { reportDate, revision, onSiteHeadcount, capacityPercent } = event.data;
      return { ...s, reports: new Map(s.reports).set(reportDate, { revision, onSiteHeadcount, capacityPercent }) };
    }
    case 'SurveyAnswered': {
      const { surveyId, difficulties, staffShortfall, cashFlowMonths, preventionSuppliesDays, note } = event.data;
      const answer = surveyAnswerOf({ difficulties, staffShortfall, cashFlowMonths, preventionSuppliesDays, note });
      return { ...s, surveys: new Map(s.surveys).set(surveyId, answer) };
    }
    default:
      return assertNever(event, 'enterprise event');
  }
}

// ---- decisions --------------------------------------------------------------

export function registerEnterprise(command: RegisterEnterprise, state: EnterpriseState): EnterpriseEvent[] {
  const { industries, ...d } = command.data;
  const { actor, now } = command.metadata;
  const problem = creditCodeProblem(d.creditCode);
  if (problem !== null) {
    throw new RuleViolationError(
      Rule.invalidCreditCode,
      problem === 'format'
        ? `creditCode ${d.creditCode} is not an 18-character unified social credit code`
        : `creditCode ${d.creditCode} has a wrong check character (GB 32100-2015)`,
    );
  }
  if (!isDistrictCode(d.districtCode)) throw new RuleViolationError(Rule.unknownDistrict, `District ${d.districtCode} is not one of the city's districts`);
  enterpriseReopeningAccess.assert('register', actor, enterpriseScope(d));
  if (!d.subdistrictCode.startsWith(d.districtCode)) {
    throw new RuleViolationError(Rule.subdistrictOutsideDistrict, `Subdistrict ${d.subdistrictCode} is not in district ${d.districtCode}`);
  }
  if (!industries.has(d.industryCode))
    throw new RuleViolationError(Rule.unknownIndustry, `industryCode ${d.industryCode} is not an industry of the guideline catalog`);
  if (d.usualHeadcount < 1) throw new RuleViolationError(Rule.noHeadcount, 'usualHeadcount must be at least 1');
  if (state.status !== 'unregistered') {
    if (sameRegistration(state.registration, d)) return []; // a retry of the same registration
    throw new RuleViolationError(Rule.enterpriseAlreadyRegistered, `Enterprise ${d.creditCode} is already registered`);
  }
  const facts: EnterpriseFacts = { ...d, reopeningStatus: 'not-declared' };
  return [
    {
      type: 'EnterpriseRegistered',
      data: {
        ...enterpriseFactsOf(facts),
        name: d.name,
        ...(d.officeBuildingUnitId === undefined ? {} : { officeBuildingUnitId: d.officeBuildingUnitId }),
        registeredBy: actor.sub,
        registeredAt: now,
      },
    },
  ];
}

function sameRegistration(r: EnterpriseRegistered['data'], d: EnterpriseProfile): boolean {
  return (
    r.name === d.name &&
    r.industryCode === d.industryCode &&
    r.size === d.size &&
    r.districtCode === d.districtCode &&
    r.subdistrictCode === d.subdistrictCode &&
    r.usualHeadcount === d.usualHeadcount &&
    r.officeBuildingUnitId === d.officeBuildingUnitId
  );
}

export function declareReopening(command: DeclareReopening, state: EnterpriseState): EnterpriseEvent[] {
  const d = command.data;
  const { actor, now } = command.metadata;
  const e = registered(state, d.creditCode);
  enterpriseReopeningAccess.assert('act', actor, enterpriseScope(e.facts));
  const resent = e.declared.get(d.declarationId);
  if (resent) {
    // The checklist is not compared: a declaration is recorded only with every measure in place.
    const differing = differingFields(
      { plannedReopeningDate: resent.plannedReopeningDate, workforcePlan: resent.workforcePlan, returneesInObservation: resent.returneesInObservation },
      {
        plannedReopeningDate: d.plannedReopeningDate,
        workforcePlan: { onSite: d.workforcePlan.onSite, rotating: d.workforcePlan.rotating, remote: d.workforcePlan.remote },
        returneesInObservation: d.returneesInObservation,
      },
    );
    if (differing.length > 0) throw idempotencyKeyReused('Declaration', d.declarationId, differing);
    return []; // a resent declaration
  }
  const status = e.facts.reopeningStatus;
  if (status !== 'not-declared' && status !== 'suspended') {
    throw new RuleViolationError(
      Rule.declarationPending,
      `Enterprise ${d.creditCode} is ${status}; a new declaration is possible before the first or after a suspension`,
    );
  }
  if (d.guideline.industryCode !== e.facts.industryCode)
    throw new Error(`Guideline of ${d.guideline.industryCode} passed for an enterprise of ${e.facts.industryCode}`);
  const required = d.guideline.measures;
  const unknown = d.checklist.map((i) => i.measureCode).filter((code) => !required.includes(code));
  if (unknown.length > 0) {
    throw new RuleViolationError(
      Rule.measureNotInGuideline,
      `Checklist items not in guideline ${e.facts.industryCode} v${d.guideline.guidelineVersion}: ${unique(unknown).join(', ')}`,
    );
  }
  const inPlace = new Set(d.checklist.filter((i) => i.inPlace).map((i) => i.measureCode));
  const missing = required.filter((code) => !inPlace.has(code));
  if (missing.length > 0) {
    throw new RuleViolationError(
      Rule.checklistIncomplete,
      `Required measures of guideline ${e.facts.industryCode} v${d.guideline.guidelineVersion} not in place: ${missing.join(', ')}`,
    );
  }
  const today = cityDayOf(now);
  if (d.plannedReopeningDate < today)
    throw new RuleViolationError(Rule.dayInThePast, `plannedReopeningDate ${d.plannedReopeningDate} is before today (${today})`);
  const { onSite, rotating, remote } = d.workforcePlan;
  if (onSite + rotating + remote > e.facts.usualHeadcount) {
    throw new RuleViolationError(
      Rule.workforcePlanTooLarge,
      `workforcePlan counts ${onSite + rotating + remote} staff; the usual headcount is ${e.facts.usualHeadcount}`,
    );
  }
  if (d.returneesInObservation > e.facts.usualHeadcount) {
    throw new RuleViolationError(
      Rule.workforcePlanTooLarge,
      `returneesInObservation ${d.returneesInObservation} exceeds the usual headcount ${e.facts.usualHeadcount}`,
    );
  }
  return [
    {
      type: 'ReopeningDeclared',
      data: {
        ...withStatus(e, 'declared'),
        declarationId: d.declarationId,
        plannedReopeningDate: d.plannedReopeningDate,
        guidelineVersion: d.guideline.guidelineVersion,
        confirmedMeasures: [...required],
        workforcePlan: { onSite, rotating, remote },
        returneesInObservation: d.returneesInObservation,
        declaredBy: actor.sub,
        declaredAt: now,
      },
    },
  ];
}

const STATUS_AFTER: Readonly<Record<InspectionOutcome, ReopeningStatus>> = {
  passed: 'inspection-passed',
  'rectification-required': 'rectification-required',
  suspended: 'suspended',
};

export function recordInspection(command: RecordInspection, state: EnterpriseState): EnterpriseEvent[] {
  const d = command.data;
  const { actor, now } = command.metadata;
  const e = registered(state, d.creditCode);
  enterpriseReopeningAccess.assert('inspect', actor, enterpriseScope(e.facts));
  const resent = e.inspected.get(d.inspectionId);
  if (resent) {
    const differing = differingFields(
      {
        declarationId: resent.declarationId,
        outcome: resent.outcome,
        rectificationItems: [...resent.rectificationItems].sort(),
        rectificationDueDate: resent.rectificationDueDate,
        findings: resent.findings,
      },
      {
        declarationId: d.declarationId,
        outcome: d.outcome,
        rectificationItems: unique(d.rectificationItems).sort(),
        rectificationDueDate: d.outcome === 'rectification-required' ? d.rectificationDueDate : undefined,
        findings: d.findings,
      },
    );
    if (differing.length > 0) throw idempotencyKeyReused('Inspection', d.inspectionId, differing);
    return []; // a resent inspection
  }
  const current = e.declaration;
  if (current === null || current.declaration.declarationId !== d.declarationId) {
    throw new NotFoundError(`Enterprise ${d.creditCode} has no declaration ${d.declarationId} waiting for inspection`);
  }
  const status = e.facts.reopeningStatus;
  if (status === 'inspection-passed' || status === 'reopened' || status === 'suspended') {
    throw new RuleViolationError(Rule.declarationAlreadyDecided, `Declaration ${d.declarationId} is already decided (${status})`);
  }
  const items = unique(d.rectificationItems);
  const foreign = items.filter((code) => !current.declaration.confirmedMeasures.includes(code));
  if (foreign.length > 0) {
    throw new RuleViolationError(
      Rule.measureNotInGuideline,
      `rectificationItems not in guideline v${current.declaration.guidelineVersion} of the declaration: ${foreign.join(', ')}`,
    );
  }
  if (d.outcome === 'passed' && items.length > 0)
    throw new RuleViolationError(Rule.rectificationItemsOnPass, 'A passed inspection names no rectificationItems');
  if (d.outcome === 'rectification-required') {
    if (items.length === 0) throw new RuleViolationError(Rule.rectificationItemsRequired, 'A rectification names at least one item in rectificationItems');
    if (d.rectificationDueDate === undefined) throw new RuleViolationError(Rule.rectificationDueDateRequired, 'A rectification needs a rectificationDueDate');
    if (d.rectificationDueDate < cityDayOf(now)) {
      throw new RuleViolationError(Rule.dayInThePast, `rectificationDueDate ${d.rectificationDueDate} is before today (${cityDayOf(now)})`);
    }
  }
  return [
    {
      type: 'InspectionRecorded',
      data: {
        ...withStatus(e, STATUS_AFTER[d.outcome]),
        inspectionId: d.inspectionId,
        declarationId: d.declarationId,
        outcome: d.outcome,
        round: current.rounds + 1,
        rectificationItems: items,
        ...(d.outcome === 'rectification-required' && d.rectificationDueDate !== undefined ? { rectificationDueDate: d.rectificationDueDate } : {}),
        ...(d.findings === undefined ? {} : { findings: d.findings }),
        inspectedBy: actor.sub,
        inspectedAt: now,
      },
    },
  ];
}

export function submitRectification(command: SubmitRectification, state: EnterpriseState): EnterpriseEvent[] {
  const d = command.data;
  const { actor, now } = command.metadata;
  const e = registered(state, d.creditCode);
  enterpriseReopeningAccess.assert('act', actor, enterpriseScope(e.facts));
  const current = e.declaration;
  if (current === null || current.declaration.declarationId !== d.declarationId) {
    throw new NotFoundError(`Enterprise ${d.creditCode} has no declaration ${d.declarationId}`);
  }
  const status = e.facts.reopeningStatus;
  if (status === 'rectification-submitted') return []; // submitted already: a resent submission
  if (status !== 'rectification-required')
    throw new RuleViolationError(Rule.noRectificationRequired, `No rectification is required of enterprise ${d.creditCode} (${status})`);
  const items = unique(d.rectifiedItems);
  const missing = current.pendingItems.filter((code) => !items.includes(code));
  if (missing.length > 0) throw new RuleViolationError(Rule.rectificationIncomplete, `Items the inspection named and not rectified: ${missing.join(', ')}`);
  const extra = items.filter((code) => !current.pendingItems.includes(code));
  if (extra.length > 0) throw new RuleViolationError(Rule.measureNotInGuideline, `rectifiedItems the inspection did not name: ${extra.join(', ')}`);
  return [
    {
      type: 'RectificationSubmitted',
      data: {
        ...withStatus(e, 'rectification-submitted'),
        declarationId: d.declarationId,
        rectifiedItems: items,
        ...(d.note === undefined ? {} : { note: d.note }),
        submittedBy: actor.sub,
        submittedAt: now,
      },
    },
  ];
}

export function reportReopened(command: ReportReopened, state: EnterpriseState): EnterpriseEvent[] {
  const { creditCode } = command.data;
  const { actor, now } = command.metadata;
  const e = registered(state, creditCode);
  enterpriseReopeningAccess.assert('act', actor, enterpriseScope(e.facts));
  const status = e.facts.reopeningStatus;
  if (status === 'reopened') return []; // reported already
  if (status === 'suspended') throw new RuleViolationError(Rule.enterpriseSuspended, `Enterprise ${creditCode} is suspended and cannot report itself reopened`);
  if (status !== 'inspection-passed' || e.declaration === null) {
    throw new RuleViolationError(Rule.notClearedToReopen, `Enterprise ${creditCode} is ${status}; it reopens after its inspection is passed`);
  }
  return [
    {
      type: 'EnterpriseReopened',
      data: {
        ...withStatus(e, 'reopened'),
        declarationId: e.declaration.declaration.declarationId,
        reopenedOn: cityDayOf(now),
        guidelineVersion: e.declaration.declaration.guidelineVersion,
        reportedBy: actor.sub,
        reportedAt: now,
      },
    },
  ];
}

export function reportDailyWorkforce(command: ReportDailyWorkforce, state: EnterpriseState): EnterpriseEvent[] {
  const d = command.data;
  const { actor, now } = command.metadata;
  const e = registered(state, d.creditCode);
  enterpriseReopeningAccess.assert('act', actor, enterpriseScope(e.facts));
  if (e.facts.reopeningStatus !== 'reopened' || e.reopenedOn === null) {
    throw new RuleViolationError(Rule.notReopened, `Enterprise ${d.creditCode} is ${e.facts.reopeningStatus}; daily reports start when it has reopened`);
  }
  const today = cityDayOf(now);
  if (d.reportDate > today) throw new RuleViolationError(Rule.reportForFutureDay, `reportDate ${d.reportDate} is after today (${today})`);
  if (d.reportDate < e.reopenedOn)
    throw new RuleViolationError(Rule.reportBeforeReopening, `reportDate ${d.reportDate} is before the reopening on ${e.reopenedOn}`);
  const previous = e.reports.get(d.reportDate);
  if (previous && previous.onSiteHeadcount === d.onSiteHeadcount && previous.capacityPercent === d.capacityPercent) return []; // the same report again
  const report: DailyWorkforceReported['data'] = {
    ...withStatus(e, 'reopened'),
    reportDate: d.reportDate,
    onSiteHeadcount: d.onSiteHeadcount,
    capacityPercent: d.capacityPercent,
    revision: (previous?.revision ?? 0) + 1,
    previousOnSiteHeadcount: previous?.onSiteHeadcount ?? null,
    previousCapacityPercent: previous?.capacityPercent ?? null,
    reportedBy: actor.sub,
    reportedAt: now,
  };
  return [{ type: 'DailyWorkforceReported', data: report }];
}

export function answerSurvey(command: AnswerSurvey, state: EnterpriseState): EnterpriseEvent[] {
  const { creditCode, surveyId, difficulties, ...optional } = command.data;
  const { actor, now } = command.metadata;
  const e = registered(state, creditCode);
  enterpriseReopeningAccess.assert('act', actor, enterpriseScope(e.facts));
  const answer = surveyAnswerOf({ difficulties, ...optional });
  const given = e.surveys.get(surveyId);
  if (given !== undefined) {
    // One answer per survey: the same one resent is a retry; another one would be dropped unseen.
    const fields = differingFields(asSet(given), asSet(answer));
    if (fields.length === 0) return [];
    throw idempotencyKeyReused('Survey answer', surveyId, fields);
  }
  return [
    {
      type: 'SurveyAnswered',
      data: {
        ...e.facts,
        surveyId,
        ...answer,
        answeredBy: actor.sub,
        answeredAt: now,
      },
    },
  ];
}

export function decide(command: EnterpriseCommand, state: EnterpriseState): EnterpriseEvent[] {
  switch (command.type) {
    case 'RegisterEnterprise':
      return registerEnterprise(command, state);
    case 'DeclareReopening':
      return declareReopening(command, state);
    case 'RecordInspection':
      return recordInspection(command, state);
    case 'SubmitRectification':
      return submitRectification(command, state);
    case 'ReportReopened':
      return reportReopened(command, state);
    case 'ReportDailyWorkforce':
      return reportDailyWorkforce(command, state);
    case 'AnswerSurvey':
      return answerSurvey(command, state);
    default:
      return assertNever(command, 'enterprise command');
  }
}

export const enterpriseDecider: Decider<EnterpriseCommand, EnterpriseEvent, EnterpriseState> = { decide, evolve, initialState };

// ---- helpers ----------------------------------------------------------------

function registered(state: EnterpriseState, creditCode: string): RegisteredEnterprise {
  if (state.status === 'unregistered') throw new NotFoundError(`Unknown enterprise ${creditCode}`);
  return state;
}

function withStatus(e: RegisteredEnterprise, reopeningStatus: ReopeningStatus): EnterpriseFacts {
  return { ...e.facts, reopeningStatus };
}

type SurveyAnswer = Omit<AnswerSurvey['data'], 'creditCode' | 'surveyId'>;

/** An answer as recorded: each difficulty once, in the order given, and only the figures given. */
function surveyAnswerOf(answer: SurveyAnswer): SurveyAnswer {
  return { difficulties: unique(answer.difficulties), ...definedOf({ ...answer, difficulties: undefined }) };
}

/** Difficulties are a set: the same ones in another order are the same answer. */
function asSet(answer: SurveyAnswer): SurveyAnswer {
  return { ...answer, difficulties: [...answer.difficulties].sort() };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function definedOf<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
