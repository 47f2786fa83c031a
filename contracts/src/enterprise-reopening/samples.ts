/**
 * One realistic, typed event of every enterprise-reopening type (a software firm
 * in Changning's Jiangsu Road subdistrict on its way back to work), for tests
 * and demos. The object literals are annotated with the event types, so tsc
 * checks them against the TypeScript contract; a contract test checks them
 * against the JSON Schemas. Optional fields are left out on purpose in some samples.
 */
import type { EnterpriseFacts, EnterpriseReopeningEvent, EnterpriseReopeningEventType, ReopeningStatus } from './events';

export type EnterpriseReopeningEventOf<T extends EnterpriseReopeningEventType> = Extract<EnterpriseReopeningEvent, { readonly type: T }>;

const firm = '91310105MA1FL3KX0K';
const facts = (reopeningStatus: ReopeningStatus): EnterpriseFacts => ({
  creditCode: firm,
  size: 'small',
  industryCode: 'software-it-services',
  districtCode: '310105',
  subdistrictCode: '310105002',
  usualHeadcount: 86,
  reopeningStatus,
});
const declarationId = '0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d';
const appeal = {
  appealId: 'b6f1d0e2-3c4a-4e5b-8f7a-9d0c1e2f3a4b',
  creditCode: firm,
  size: 'small',
  industryCode: 'software-it-services',
  districtCode: '310105',
  subdistrictCode: '310105002',
  department: 'human-resources-social-security',
} as const;

export const ENTERPRISE_REOPENING_EVENT_SAMPLES: { readonly [T in EnterpriseReopeningEventType]: EnterpriseReopeningEventOf<T> } = {
  IndustryGuidelineIssued: {
    type: 'IndustryGuidelineIssued',
    data: {
      industryCode: 'software-it-services',
      industryName: 'Software and IT services',
      guidelineVersion: 2,
      title: 'Prevention guideline for software and IT service firms returning to work (second edition)',
      measures: [
        { code: 'entry-temperature-check', requirement: 'Temperature check of everyone at every entrance; 37.3 °C or more is not let in' },
        { code: 'ventilation', requirement: 'Windows opened three times a day for 30 minutes', requirementZh: '每日开窗通风3次、每次30分钟', timesPerDay: 3 },
      ],
      issuedBy: 'commission-eic-0001',
      issuedAt: '2020-02-16T10:00:00+08:00',
    },
  },
  EnterpriseRegistered: {
    type: 'EnterpriseRegistered',
    data: {
      ...facts('not-declared'),
      name: 'Shanghai Yuyuan Software Co., Ltd.',
      registeredBy: 'commission-eic-0001',
      registeredAt: '2020-02-09T09:00:00+08:00',
    },
  },
  ReopeningDeclared: {
    type: 'ReopeningDeclared',
    data: {
      ...facts('declared'),
      declarationId,
      plannedReopeningDate: '2020-02-12',
      guidelineVersion: 1,
      confirmedMeasures: ['entry-temperature-check', 'masks', 'hand-disinfection', 'cleaner-ppe'],
      workforcePlan: { onSite: 30, rotating: 20, remote: 36 },
      returneesInObservation: 7,
      declaredBy: firm,
      declaredAt: '2020-02-10T15:20:00+08:00',
    },
  },
  InspectionRecorded: {
    type: 'InspectionRecorded',
    data: {
      ...facts('inspection-passed'),
      inspectionId: '3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
      declarationId,
      outcome: 'passed',
      round: 2,
      rectificationItems: [],
      inspectedBy: 'inspector-cn-jsr-01',
      inspectedAt: '2020-02-12T14:00:00+08:00',
    },
  },
  RectificationSubmitted: {
    type: 'RectificationSubmitted',
    data: {
      ...facts('rectification-submitted'),
      declarationId,
      rectifiedItems: ['temporary-observation-room'],
      submittedBy: firm,
      submittedAt: '2020-02-12T09:10:00+08:00',
    },
  },
  EnterpriseReopened: {
    type: 'EnterpriseReopened',
    data: { ...facts('reopened'), declarationId, reopenedOn: '2020-02-13', guidelineVersion: 1, reportedBy: firm, reportedAt: '2020-02-13T08:30:00+08:00' },
  },
  DailyWorkforceReported: {
    type: 'DailyWorkforceReported',
    data: {
      ...facts('reopened'),
      reportDate: '2020-02-13',
      onSiteHeadcount: 38,
      capacityPercent: 50,
      revision: 1,
      previousOnSiteHeadcount: null,
      previousCapacityPercent: null,
      reportedBy: firm,
      reportedAt: '2020-02-13T17:30:00+08:00',
    },
  },
  SurveyAnswered: {
    type: 'SurveyAnswered',
    data: {
      ...facts('reopened'),
      surveyId: 'survey-2020-02-enterprise-difficulties',
      difficulties: ['cash-flow'],
      answeredBy: firm,
      answeredAt: '2020-02-15T11:00:00+08:00',
    },
  },
  AppealFiled: {
    type: 'AppealFiled',
    data: {
      ...appeal,
      category: 'staff-shortage',
      subject: 'Twelve engineers cannot return from Hubei',
      dueAt: '2020-02-18T17:00:00+08:00',
      filedBy: firm,
      filedAt: '2020-02-15T11:10:00+08:00',
    },
  },
  AppealEscalated: {
    type: 'AppealEscalated',
    data: { ...appeal, dueAt: '2020-02-18T17:00:00+08:00', escalatedTo: 'economy-informatization-commission', escalatedAt: '2020-02-18T17:00:05+08:00' },
  },
  AppealAnswered: {
    type: 'AppealAnswered',
    data: { ...appeal, answer: 'Remote staff count for the job-keeping subsidy', answeredBy: 'hrss-staff-0042', answeredAt: '2020-02-17T16:00:00+08:00' },
  },
  AppealClosed: {
    type: 'AppealClosed',
    data: { ...appeal, resolved: true, closedBy: firm, closedAt: '2020-02-17T18:20:00+08:00' },
  },
  AppealReopened: {
    type: 'AppealReopened',
    data: {
      ...appeal,
      reason: 'The portal refuses the application',
      dueAt: '2020-02-20T17:00:00+08:00',
      reopenedBy: firm,
      reopenedAt: '2020-02-17T18:20:00+08:00',
    },
  },
};
