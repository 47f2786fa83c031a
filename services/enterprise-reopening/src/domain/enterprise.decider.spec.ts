import { ForbiddenError, NotFoundError, RuleViolationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import type {
  DailyWorkforceReported,
  EnterpriseFacts,
  EnterpriseRegistered,
  EnterpriseReopened,
  InspectionRecorded,
  RectificationSubmitted,
  ReopeningDeclared,
  ReopeningStatus,
  SurveyAnswered,
} from '@city/contracts';
import type { Actor } from './command-context';
import {
  enterpriseDecider,
  type AnswerSurvey,
  type DeclareReopening,
  type RecordInspection,
  type RegisterEnterprise,
  type ReportDailyWorkforce,
  type ReportReopened,
  type SubmitRectification,
} from './enterprise.decider';
import type { CurrentGuideline } from './industry-catalog';
import { actors, by, CREDIT_CODE, DISTRICT, enterpriseActor, industries, NOW, OTHER_CREDIT_CODE, SUBDISTRICT } from './testing/fixtures';

const spec = deciderSpecification(enterpriseDecider);
const firm = enterpriseActor();
const LATER = '2020-02-11T09:00:00+08:00';
const NEXT_DAY = '2020-02-12T18:00:00+08:00';
const DECLARATION = 'decl-1';
const guideline: CurrentGuideline = {
  industryCode: 'software-it-services',
  guidelineVersion: 1,
  measures: ['entry-temperature-check', 'masks', 'ventilation'],
};
const allInPlace = guideline.measures.map((measureCode) => ({ measureCode, inPlace: true }));

const profile = {
  creditCode: CREDIT_CODE,
  name: 'Shanghai Yuyuan Software Co., Ltd.',
  industryCode: 'software-it-services',
  size: 'small',
  districtCode: DISTRICT,
  subdistrictCode: SUBDISTRICT,
  usualHeadcount: 86,
} as const;
const facts = (reopeningStatus: ReopeningStatus): EnterpriseFacts => ({
  creditCode: CREDIT_CODE,
  size: 'small',
  industryCode: 'software-it-services',
  districtCode: DISTRICT,
  subdistrictCode: SUBDISTRICT,
  usualHeadcount: 86,
  reopeningStatus,
});

// ---- events -------------------------------------------------------------------

const registered: EnterpriseRegistered = {
  type: 'EnterpriseRegistered',
  data: { ...facts('not-declared'), name: profile.name, registeredBy: actors.commission.sub, registeredAt: NOW },
};
const declared: ReopeningDeclared = {
  type: 'ReopeningDeclared',
  data: {
    ...facts('declared'),
    declarationId: DECLARATION,
    plannedReopeningDate: '2020-02-12',
    guidelineVersion: 1,
    confirmedMeasures: guideline.measures,
    workforcePlan: { onSite: 30, rotating: 20, remote: 36 },
    returneesInObservation: 7,
    declaredBy: CREDIT_CODE,
    declaredAt: NOW,
  },
};
const inspected = (inspectionId: string, outcome: InspectionRecorded['data']['outcome'], round = 1, items: string[] = [], at = LATER): InspectionRecorded => ({
  type: 'InspectionRecorded',
  data: {
    ...facts(outcome === 'passed' ? 'inspection-passed' : outcome),
    inspectionId,
    declarationId: DECLARATION,
    outcome,
    round,
    rectificationItems: items,
    ...(outcome === 'rectification-required' ? { rectificationDueDate: '2020-02-13' } : {}),
    inspectedBy: actors.inspector.sub,
    inspectedAt: at,
  },
});
const rectified: RectificationSubmitted = {
  type: 'RectificationSubmitted',
  data: { ...facts('rectification-submitted'), declarationId: DECLARATION, rectifiedItems: ['ventilation'], submittedBy: CREDIT_CODE, submittedAt: LATER },
};
const reopened: EnterpriseReopened = {
  type: 'EnterpriseReopened',
  data: { ...facts('reopened'), declarationId: DECLARATION, reopenedOn: '2020-02-11', guidelineVersion: 1, reportedBy: CREDIT_CODE, reportedAt: LATER },
};
const reported = (
  reportDate: string,
  onSiteHeadcount: number,
  revision = 1,
  previous: [number, number] | null = null,
  at = NEXT_DAY,
): DailyWorkforceReported => ({
  type: 'DailyWorkforceReported',
  data: {
    ...facts('reopened'),
    reportDate,
    onSiteHeadcount,
    capacityPercent: onSiteHeadcount,
    revision,
    previousOnSiteHeadcount: previous?.[0] ?? null,
    previousCapacityPercent: previous?.[1] ?? null,
    reportedBy: CREDIT_CODE,
    reportedAt: at,
  },
});
const surveyed: SurveyAnswered = {
  type: 'SurveyAnswered',
  data: { ...facts('reopened'), surveyId: 'survey-1', difficulties: ['cash-flow'], cashFlowMonths: 3, answeredBy: CREDIT_CODE, answeredAt: NEXT_DAY },
};
const passed = inspected('insp-1', 'passed');
const onTheWay = [registered, declared, passed];
const open = [...onTheWay, reopened];

// ---- commands -----------------------------------------------------------------

const register = (actor: Actor = actors.commission, overrides: Partial<RegisterEnterprise['data']> = {}): RegisterEnterprise => ({
  type: 'RegisterEnterprise',
  data: { ...profile, industries, ...overrides },
  metadata: by(actor),
});
const declare = (overrides: Partial<DeclareReopening['data']> = {}, actor: Actor = firm): DeclareReopening => ({
  type: 'DeclareReopening',
  data: {
    creditCode: CREDIT_CODE,
    declarationId: DECLARATION,
    plannedReopeningDate: '2020-02-12',
    checklist: allInPlace,
    workforcePlan: { onSite: 30, rotating: 20, remote: 36 },
    returneesInObservation: 7,
    guideline,
    ...overrides,
  },
  metadata: by(actor),
});
const inspect = (
  inspectionId: string,
  outcome: RecordInspection['data']['outcome'],
  items: string[] = [],
  actor: Actor = actors.inspector,
  due: string | undefined = outcome === 'rectification-required' ? '2020-02-13' : undefined,
): RecordInspection => ({
  type: 'RecordInspection',
  data: {
    creditCode: CREDIT_CODE,
    inspectionId,
    declarationId: DECLARATION,
    outcome,
    rectificationItems: items,
    ...(due ? { rectificationDueDate: due } : {}),
  },
  metadata: by(actor, LATER),
});
const rectify = (items: string[] = ['ventilation']): SubmitRectification => ({
  type: 'SubmitRectification',
  data: { creditCode: CREDIT_CODE, declarationId: DECLARATION, rectifiedItems: items },
  metadata: by(firm, LATER),
});
const reportReopened = (actor: Actor = firm): ReportReopened => ({ type: 'ReportReopened', data: { creditCode: CREDIT_CODE }, metadata: by(actor, LATER) });
const report = (reportDate: string, onSiteHeadcount: number, actor: Actor = firm): ReportDailyWorkforce => ({
  type: 'ReportDailyWorkforce',
  data: { creditCode: CREDIT_CODE, reportDate, onSiteHeadcount, capacityPercent: onSiteHeadcount },
  metadata: by(actor, NEXT_DAY),
});
const survey: AnswerSurvey = {
  type: 'AnswerSurvey',
  data: { creditCode: CREDIT_CODE, surveyId: 'survey-1', difficulties: ['cash-flow', 'cash-flow'], cashFlowMonths: 3, note: undefined },
  metadata: by(firm, NEXT_DAY),
};

describe('enterprise', () => {
  describe('RegisterEnterprise', () => {
    it('registers an enterprise, not yet declared', () => spec.given([]).when(register()).then([registered]));
    it('does nothing when the same registration is retried', () => spec.given([registered]).when(register()).thenNothingHappens());
    it('refuses a second, different enterprise under the same code', () =>
      spec
        .given([registered])
        .when(register(actors.commission, { name: 'Another Co.' }))
        .thenThrows(RuleViolationError, /already registered/));
    it('refuses a code with a wrong check character', () =>
      spec
        .given([])
        .when(register(actors.commission, { creditCode: '91310105MA1FL3KX0L' }))
        .thenThrows(RuleViolationError, /check character/));
    it('refuses an unknown industry', () =>
      spec
        .given([])
        .when(register(actors.commission, { industryCode: 'space-tourism' }))
        .thenThrows(RuleViolationError, /industryCode space-tourism/));
    it('refuses a subdistrict outside the district', () =>
      spec
        .given([])
        .when(register(actors.commission, { subdistrictCode: '310107017' }))
        .thenThrows(RuleViolationError, /not in district/));
    it('refuses staff of another district', () => spec.given([]).when(register(actors.otherDistrictStaff)).thenThrows(ForbiddenError));
    it('refuses an enterprise registering itself', () => spec.given([]).when(register(firm)).thenThrows(ForbiddenError));
  });

  describe('DeclareReopening', () => {
    it('declares with every required measure in place, keeping the guideline version', () => spec.given([registered]).when(declare()).then([declared]));
    it('does nothing when the same declaration is resent', () => spec.given([registered, declared]).when(declare()).thenNothingHappens());
    it('refuses the declaration id resent with other terms, naming them, rather than dropping them', () =>
      spec
        .given([registered, declared])
        .when(declare({ plannedReopeningDate: '2020-02-13', workforcePlan: { onSite: 31, rotating: 20, remote: 36 } }))
        .thenThrows(
          RuleViolationError,
          'Declaration decl-1 is already recorded with a different plannedReopeningDate, workforcePlan.onSite: resend the same body to retry, or use a new id',
        ));
    it('names each required measure not in place', () =>
      spec
        .given([registered])
        .when(
          declare({
            checklist: [
              { measureCode: 'masks', inPlace: true },
              { measureCode: 'ventilation', inPlace: false },
            ],
          }),
        )
        .thenThrows(RuleViolationError, /not in place: entry-temperature-check, ventilation$/));
    it('refuses a checklist item that is not in the guideline', () =>
      spec
        .given([registered])
        .when(declare({ checklist: [...allInPlace, { measureCode: 'no-tastings', inPlace: true }] }))
        .thenThrows(RuleViolationError, /not in guideline software-it-services v1: no-tastings/));
    it('refuses a second declaration while one is pending', () =>
      spec
        .given([registered, declared])
        .when(declare({ declarationId: 'decl-2' }))
        .thenThrows(RuleViolationError, /is declared/));
    it('lets a suspended enterprise declare again', () =>
      spec
        .given([registered, declared, inspected('insp-1', 'suspended')])
        .when(declare({ declarationId: 'decl-2' }))
        .then([{ ...declared, data: { ...declared.data, declarationId: 'decl-2' } }]));
    it('refuses a planned date in the past', () =>
      spec
        .given([registered])
        .when(declare({ plannedReopeningDate: '2020-02-09' }))
        .thenThrows(RuleViolationError, /before today/));
    it('refuses a workforce plan larger than the headcount', () =>
      spec
        .given([registered])
        .when(declare({ workforcePlan: { onSite: 80, rotating: 10, remote: 0 } }))
        .thenThrows(RuleViolationError, /usual headcount is 86/));
    it('refuses another enterprise’s token', () =>
      spec
        .given([registered])
        .when(declare({}, enterpriseActor(OTHER_CREDIT_CODE)))
        .thenThrows(ForbiddenError));
    it('refuses an unknown enterprise', () => spec.given([]).when(declare()).thenThrows(NotFoundError));
  });

  describe('RecordInspection', () => {
    it('passes a declaration', () => spec.given([registered, declared]).when(inspect('insp-1', 'passed')).then([passed]));
    it('requires rectification of named items by a date', () =>
      spec
        .given([registered, declared])
        .when(inspect('insp-1', 'rectification-required', ['ventilation']))
        .then([inspected('insp-1', 'rectification-required', 1, ['ventilation'])]));
    it('re-inspects a submitted rectification as round 2', () =>
      spec
        .given([registered, declared, inspected('insp-1', 'rectification-required', 1, ['ventilation']), rectified])
        .when(inspect('insp-2', 'passed'))
        .then([inspected('insp-2', 'passed', 2)]));
    it('does nothing when the same inspection is resent', () => spec.given(onTheWay).when(inspect('insp-1', 'passed')).thenNothingHappens());
    it('does nothing when the same rectification is resent, its items in another order', () =>
      spec
        .given([registered, declared, inspected('insp-1', 'rectification-required', 1, ['ventilation', 'masks'])])
        .when(inspect('insp-1', 'rectification-required', ['masks', 'ventilation']))
        .thenNothingHappens());
    it('refuses the inspection id resent with another outcome, naming it, rather than dropping it', () =>
      spec
        .given(onTheWay)
        .when(inspect('insp-1', 'rectification-required', ['ventilation']))
        .thenThrows(RuleViolationError, /^Inspection insp-1 is already recorded with a different outcome, rectificationDueDate, rectificationItems: /));
    it('refuses an inspection of a declaration already decided', () =>
      spec
        .given(onTheWay)
        .when(inspect('insp-2', 'suspended'))
        .thenThrows(RuleViolationError, /already decided/));
    it('refuses rectification items outside the guideline of the declaration', () =>
      spec
        .given([registered, declared])
        .when(inspect('insp-1', 'rectification-required', ['no-tastings']))
        .thenThrows(RuleViolationError, /no-tastings/));
    it('refuses a rectification without a due date', () =>
      spec
        .given([registered, declared])
        .when(inspect('insp-1', 'rectification-required', ['masks'], actors.inspector, ''))
        .thenThrows(RuleViolationError, /rectificationDueDate/));
    it('refuses an unknown declaration', () => spec.given([registered]).when(inspect('insp-1', 'passed')).thenThrows(NotFoundError));
    it('refuses an inspector of another district', () =>
      spec
        .given([registered, declared])
        .when(inspect('insp-1', 'passed', [], actors.otherDistrictInspector))
        .thenThrows(ForbiddenError));
    it('refuses the enterprise inspecting itself', () =>
      spec
        .given([registered, declared])
        .when(inspect('insp-1', 'passed', [], firm))
        .thenThrows(ForbiddenError));
  });

  describe('SubmitRectification', () => {
    const required = [registered, declared, inspected('insp-1', 'rectification-required', 1, ['ventilation'])];
    it('submits the items the inspection named', () => spec.given(required).when(rectify()).then([rectified]));
    it('does nothing when resent', () =>
      spec
        .given([...required, rectified])
        .when(rectify())
        .thenNothingHappens());
    it('names the items not rectified', () =>
      spec
        .given(required)
        .when(rectify([]))
        .thenThrows(RuleViolationError, /not rectified: ventilation/));
    it('refuses when no rectification is required', () =>
      spec
        .given([registered, declared])
        .when(rectify())
        .thenThrows(RuleViolationError, /No rectification/));
  });

  describe('ReportReopened', () => {
    it('records the reopening on the city day it is reported', () => spec.given(onTheWay).when(reportReopened()).then([reopened]));
    it('does nothing when reported again', () => spec.given(open).when(reportReopened()).thenNothingHappens());
    it('refuses a suspended enterprise', () =>
      spec
        .given([registered, declared, inspected('insp-1', 'suspended')])
        .when(reportReopened())
        .thenThrows(RuleViolationError, /suspended and cannot report itself reopened/));
    it('refuses before the inspection is passed', () =>
      spec
        .given([registered, declared])
        .when(reportReopened())
        .thenThrows(RuleViolationError, /after its inspection is passed/));
  });

  describe('ReportDailyWorkforce', () => {
    it('reports a day', () =>
      spec
        .given(open)
        .when(report('2020-02-12', 40))
        .then([reported('2020-02-12', 40)]));
    it('corrects the day’s report, naming what it replaces', () =>
      spec
        .given([...open, reported('2020-02-12', 40)])
        .when(report('2020-02-12', 45))
        .then([reported('2020-02-12', 45, 2, [40, 40])]));
    it('does nothing when the same report is resent', () =>
      spec
        .given([...open, reported('2020-02-12', 40)])
        .when(report('2020-02-12', 40))
        .thenNothingHappens());
    it('refuses a report for a future day', () =>
      spec
        .given(open)
        .when(report('2020-02-13', 40))
        .thenThrows(RuleViolationError, /after today \(2020-02-12\)/));
    it('refuses a report before the reopening', () =>
      spec
        .given(open)
        .when(report('2020-02-10', 40))
        .thenThrows(RuleViolationError, /before the reopening/));
    it('refuses an enterprise not reopened', () =>
      spec
        .given(onTheWay)
        .when(report('2020-02-12', 40))
        .thenThrows(RuleViolationError, /daily reports start/));
  });

  describe('AnswerSurvey', () => {
    it('records the answers once', () => spec.given(open).when(survey).then([surveyed]));
    it('does nothing for a survey already answered', () =>
      spec
        .given([...open, surveyed])
        .when(survey)
        .thenNothingHappens());
    it('refuses another answer to a survey already answered, naming what differs', () =>
      spec
        .given([...open, surveyed])
        .when({ ...survey, data: { ...survey.data, cashFlowMonths: 1 } })
        .thenThrows(RuleViolationError, /survey-1 is already recorded with a different cashFlowMonths/));
  });
});
