/**
 * The JSON Schemas of the enterprise-reopening events say what the TypeScript
 * types say (the field tables are checked by tsc against events.ts, and by this
 * test against the schemas); the typed samples validate; the enums, the credit
 * code check and the reference data agree with the TS constants.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  APPEAL_CATEGORIES,
  APPEAL_DEPARTMENTS,
  ENTERPRISE_REOPENING_EVENT_SAMPLES,
  ENTERPRISE_REOPENING_EVENT_TYPES,
  ENTERPRISE_SIZES,
  ENTERPRISE_STREAM_EVENT_TYPES,
  INDUSTRIES,
  INDUSTRY_CODES,
  INITIAL_GUIDELINES,
  INSPECTION_OUTCOMES,
  REOPENING_STATUSES,
  SURVEY_DIFFICULTIES,
  creditCodeCheckCharacter,
  creditCodeProblem,
  enterpriseFactsOf,
  type AppealFacts,
  type EnterpriseFacts,
  type EnterpriseReopeningEventOf,
  type EnterpriseReopeningEventType,
  type PreventionMeasure,
  type WorkforcePlan,
} from './enterprise-reopening';
import { validateEventData } from './contract-test-support';
import { eventContractOf } from './event-catalog';
import defs from '../topics/enterprise-reopening.events.v1/enterprise-reopening.schema.json';

type Presence = 'required' | 'optional';
type FieldTable<T> = { readonly [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? 'optional' : 'required' };
type DataOf<T extends EnterpriseReopeningEventType> = EnterpriseReopeningEventOf<T>['data'];

const facts: FieldTable<EnterpriseFacts> = {
  creditCode: 'required',
  size: 'required',
  industryCode: 'required',
  districtCode: 'required',
  subdistrictCode: 'required',
  usualHeadcount: 'required',
  reopeningStatus: 'required',
};
const appeal: FieldTable<AppealFacts> = {
  appealId: 'required',
  creditCode: 'required',
  size: 'required',
  industryCode: 'required',
  districtCode: 'required',
  subdistrictCode: 'required',
  department: 'required',
};

const EVENT_FIELDS: { readonly [T in EnterpriseReopeningEventType]: FieldTable<DataOf<T>> } = {
  IndustryGuidelineIssued: {
    industryCode: 'required',
    industryName: 'required',
    guidelineVersion: 'required',
    title: 'required',
    measures: 'required',
    issuedBy: 'required',
    issuedAt: 'required',
  },
  EnterpriseRegistered: { ...facts, name: 'required', officeBuildingUnitId: 'optional', registeredBy: 'required', registeredAt: 'required' },
  ReopeningDeclared: {
    ...facts,
    declarationId: 'required',
    plannedReopeningDate: 'required',
    guidelineVersion: 'required',
    confirmedMeasures: 'required',
    workforcePlan: 'required',
    returneesInObservation: 'required',
    declaredBy: 'required',
    declaredAt: 'required',
  },
  InspectionRecorded: {
    ...facts,
    inspectionId: 'required',
    declarationId: 'required',
    outcome: 'required',
    round: 'required',
    rectificationItems: 'required',
    rectificationDueDate: 'optional',
    findings: 'optional',
    inspectedBy: 'required',
    inspectedAt: 'required',
  },
  RectificationSubmitted: {
    ...facts,
    declarationId: 'required',
    rectifiedItems: 'required',
    note: 'optional',
    submittedBy: 'required',
    submittedAt: 'required',
  },
  EnterpriseReopened: {
    ...facts,
    declarationId: 'required',
    reopenedOn: 'required',
    guidelineVersion: 'required',
    reportedBy: 'required',
    reportedAt: 'required',
  },
  DailyWorkforceReported: {
    ...facts,
    reportDate: 'required',
    onSiteHeadcount: 'required',
    capacityPercent: 'required',
    revision: 'required',
    previousOnSiteHeadcount: 'required',
    previousCapacityPercent: 'required',
    reportedBy: 'required',
    reportedAt: 'required',
  },
  SurveyAnswered: {
    ...facts,
    surveyId: 'required',
    difficulties: 'required',
    staffShortfall: 'optional',
    cashFlowMonths: 'optional',
    preventionSuppliesDays: 'optional',
    note: 'optional',
    answeredBy: 'required',
    answeredAt: 'required',
  },
  AppealFiled: { ...appeal, category: 'required', subject: 'required', details: 'optional', dueAt: 'required', filedBy: 'required', filedAt: 'required' },
  AppealEscalated: { ...appeal, dueAt: 'required', escalatedTo: 'required', escalatedAt: 'required' },
  AppealAnswered: { ...appeal, answer: 'required', answeredBy: 'required', answeredAt: 'required' },
  AppealClosed: { ...appeal, resolved: 'required', closedBy: 'required', closedAt: 'required' },
  AppealReopened: { ...appeal, reason: 'required', dueAt: 'required', reopenedBy: 'required', reopenedAt: 'required' },
};

const NESTED_FIELDS: Readonly<Record<'preventionMeasure' | 'workforcePlan', Readonly<Record<string, Presence>>>> = {
  preventionMeasure: { code: 'required', requirement: 'required', requirementZh: 'optional', timesPerDay: 'optional' } satisfies FieldTable<PreventionMeasure>,
  workforcePlan: { onSite: 'required', rotating: 'required', remote: 'required' } satisfies FieldTable<WorkforcePlan>,
};

interface ObjectSchema {
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required: readonly string[];
}

function fieldsOf(schema: ObjectSchema): Record<string, Presence> {
  return Object.fromEntries(Object.keys(schema.properties).map((k) => [k, schema.required.includes(k) ? 'required' : 'optional']));
}

const reference = JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'industry-guidelines.json'), 'utf8')) as Record<string, unknown>;

describe('enterprise-reopening schemas conform to contracts/src/enterprise-reopening/events.ts', () => {
  it('cover ENTERPRISE_REOPENING_EVENT_TYPES exactly', () => {
    expect(Object.keys(EVENT_FIELDS).sort()).toEqual([...ENTERPRISE_REOPENING_EVENT_TYPES].sort());
    expect(Object.keys(ENTERPRISE_REOPENING_EVENT_SAMPLES).sort()).toEqual([...ENTERPRISE_REOPENING_EVENT_TYPES].sort());
  });

  it.each(ENTERPRISE_REOPENING_EVENT_TYPES.map((t) => [t]))('%s v1 has the fields of the TS type, required exactly where the TS type requires them', (type) => {
    expect(fieldsOf(eventContractOf(type, 1)?.schema as unknown as ObjectSchema)).toEqual(EVENT_FIELDS[type]);
  });

  it.each(Object.keys(NESTED_FIELDS).map((d) => [d as keyof typeof NESTED_FIELDS]))('nested object %s has the fields of the TS type', (def) => {
    expect(fieldsOf(defs.$defs[def] as unknown as ObjectSchema)).toEqual(NESTED_FIELDS[def]);
  });

  it.each(ENTERPRISE_REOPENING_EVENT_TYPES.map((t) => [t]))('the typed %s sample validates', (type) => {
    const sample = ENTERPRISE_REOPENING_EVENT_SAMPLES[type];
    expect(sample.type).toBe(type);
    expect(validateEventData(type, 1, sample.data)).toEqual({ valid: true });
  });

  it.each(ENTERPRISE_STREAM_EVENT_TYPES.map((t) => [t]))('%s carries every fact of the enterprise a consumer keeps, without a call back', (type) => {
    const data = ENTERPRISE_REOPENING_EVENT_SAMPLES[type].data as EnterpriseFacts;
    expect(Object.keys(enterpriseFactsOf(data)).sort()).toEqual(Object.keys(facts).sort());
    for (const field of Object.keys(facts)) expect(EVENT_FIELDS[type]).toHaveProperty(field, 'required');
  });

  it('enumerates the same sizes, statuses, outcomes, difficulties and appeal categories as the TS constants', () => {
    expect(defs.$defs.enterpriseSize.enum).toEqual([...ENTERPRISE_SIZES]);
    expect(defs.$defs.reopeningStatus.enum).toEqual([...REOPENING_STATUSES]);
    expect(defs.$defs.inspectionOutcome.enum).toEqual([...INSPECTION_OUTCOMES]);
    expect(defs.$defs.surveyDifficulty.enum).toEqual([...SURVEY_DIFFICULTIES]);
    expect(defs.$defs.appealCategory.enum).toEqual([...APPEAL_CATEGORIES]);
  });

  it('accepts a null previous figure on the day’s first report, but not a negative one', () => {
    const data = ENTERPRISE_REOPENING_EVENT_SAMPLES.DailyWorkforceReported.data;
    expect(validateEventData('DailyWorkforceReported', 1, { ...data, previousOnSiteHeadcount: 12, previousCapacityPercent: 20, revision: 2 }).valid).toBe(true);
    expect(validateEventData('DailyWorkforceReported', 1, { ...data, previousOnSiteHeadcount: -1 }).valid).toBe(false);
  });

  it('refuses a credit code with a letter outside the alphabet, and an unknown status or size', () => {
    const data = ENTERPRISE_REOPENING_EVENT_SAMPLES.EnterpriseRegistered.data;
    expect(validateEventData('EnterpriseRegistered', 1, { ...data, creditCode: '91310105MA1FL3KXOK' }).valid).toBe(false); // letter O
    expect(validateEventData('EnterpriseRegistered', 1, { ...data, creditCode: '91310105MA1FL3KX0' }).valid).toBe(false);
    expect(validateEventData('EnterpriseRegistered', 1, { ...data, reopeningStatus: 'open' }).valid).toBe(false);
    expect(validateEventData('EnterpriseRegistered', 1, { ...data, size: 'huge' }).valid).toBe(false);
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts published codes and the samples', () => {
    for (const code of ['91350100M000100Y43', '91110108551385082Q', '91310105MA1FL3KX0K']) expect(creditCodeProblem(code)).toBeNull();
  });

  it('names a wrong check character and a malformed code apart', () => {
    expect(creditCodeProblem('91350100M000100Y44')).toBe('check-character');
    expect(creditCodeProblem('91350100M000100Y4')).toBe('format');
    expect(creditCodeProblem('91350100M000100YI3')).toBe('format');
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
  });
});

describe('industry guidelines reference data', () => {
  it('seeds at least 12 industries, each with a first guideline of distinct measures including the city-wide core', () => {
    expect(INDUSTRIES.length).toBeGreaterThanOrEqual(12);
    expect(INITIAL_GUIDELINES.map((g) => g.industryCode).sort()).toEqual([...INDUSTRY_CODES].sort());
    for (const g of INITIAL_GUIDELINES) {
      const codes = g.measures.map((m) => m.code);
      expect(new Set(codes).size).toBe(codes.length);
      expect(codes).toEqual(expect.arrayContaining(['entry-temperature-check', 'masks', 'hand-disinfection', 'cleaner-ppe']));
    }
    const shops = INITIAL_GUIDELINES.find((g) => g.industryCode === 'wholesale-retail');
    expect(shops?.measures.map((m) => m.code)).toEqual(expect.arrayContaining(['customer-flow-limit', 'no-tastings', 'daily-disinfection-notice']));
  });

  it('each first guideline is a valid IndustryGuidelineIssued', () => {
    for (const g of INITIAL_GUIDELINES) {
      const industry = INDUSTRIES.find((i) => i.code === g.industryCode);
      const data = { ...g, industryName: industry?.name, issuedBy: 'commission', issuedAt: '2020-02-08T10:00:00+08:00' };
      expect(validateEventData('IndustryGuidelineIssued', 1, data)).toEqual({ valid: true });
    }
  });

  it('reference/industry-guidelines.json holds the same industries, guidelines and departments', () => {
    expect(reference.industries).toEqual(JSON.parse(JSON.stringify(INDUSTRIES)));
    expect(reference.guidelines).toEqual(JSON.parse(JSON.stringify(INITIAL_GUIDELINES)));
    expect(reference.appealDepartments).toEqual(JSON.parse(JSON.stringify(APPEAL_DEPARTMENTS)));
  });
});
