/**
 * The JSON Schemas of the policy-relief events say what the TypeScript types
 * say (field tables checked by tsc against events.ts and by this test against
 * the schemas), the typed samples validate, money is integer fen in the
 * schemas, and the measure catalog is consistent reference data.
 */
import {
  BENEFIT_KINDS,
  LANDLORD_KINDS,
  MEASURE_CATALOG,
  POLICY_RELIEF_EVENT_SAMPLES,
  POLICY_RELIEF_EVENT_TYPES,
  RELIEF_AREAS,
  RELIEF_ISSUERS,
  type PolicyReliefEventOf,
  type PolicyReliefEventType,
} from './policy-relief';
import { DISTRICT_CODES } from './districts';
import { ENTERPRISE_SIZES, INDUSTRY_CODES, REOPENING_STATUSES } from './enterprise-reopening';
import { validateEventData } from './contract-test-support';
import { eventContractOf } from './event-catalog';
import reliefDefs from '../topics/policy-relief.events.v1/policy-relief.schema.json';

type Presence = 'required' | 'optional';
type FieldTable<T> = { readonly [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? 'optional' : 'required' };
type DataOf<T extends PolicyReliefEventType> = PolicyReliefEventOf<T>['data'];

const ref = {
  applicationId: 'required',
  measureId: 'required',
  area: 'required',
  issuer: 'required',
  enterpriseId: 'required',
  districtCode: 'required',
  subdistrictCode: 'required',
} as const;

const EVENT_FIELDS: { readonly [T in PolicyReliefEventType]: FieldTable<DataOf<T>> } = {
  ReliefApplicationSubmitted: {
    ...ref,
    benefitKind: 'required',
    facts: 'required',
    requestedFen: 'required',
    monthlyRentFen: 'optional',
    maxGrantFen: 'required',
    eligibility: 'required',
    submittedBy: 'required',
    submittedAt: 'required',
  },
  ReliefApplicationWithdrawn: { ...ref, reason: 'optional', withdrawnBy: 'required', withdrawnAt: 'required' },
  ReliefApplicationApproved: {
    ...ref,
    requestedFen: 'required',
    grantedFen: 'required',
    partial: 'required',
    note: 'optional',
    approvedBy: 'required',
    approvedAt: 'required',
    submittedAt: 'required',
  },
  ReliefApplicationRejected: { ...ref, reason: 'required', rejectedBy: 'required', rejectedAt: 'required' },
  ReliefDisbursed: {
    ...ref,
    amountFen: 'required',
    disbursedOn: 'required',
    reference: 'required',
    totalDisbursedFen: 'required',
    grantedFen: 'required',
    recordedBy: 'required',
    recordedAt: 'required',
    submittedAt: 'required',
  },
  ReliefBudgetCommitted: {
    measureId: 'required',
    applicationId: 'required',
    amountFen: 'required',
    committedFen: 'required',
    budgetFen: 'required',
    committedAt: 'required',
  },
  ReliefBudgetReleased: {
    measureId: 'required',
    applicationId: 'required',
    amountFen: 'required',
    committedFen: 'required',
    budgetFen: 'required',
    reason: 'required',
    releasedAt: 'required',
  },
};

interface ObjectSchema {
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required: readonly string[];
}

function fieldsOf(schema: ObjectSchema): Record<string, Presence> {
  return Object.fromEntries(Object.keys(schema.properties).map((k) => [k, schema.required.includes(k) ? 'required' : 'optional']));
}

describe('policy-relief schemas conform to contracts/src/policy-relief/events.ts', () => {
  it('cover POLICY_RELIEF_EVENT_TYPES exactly', () => {
    expect(Object.keys(EVENT_FIELDS).sort()).toEqual([...POLICY_RELIEF_EVENT_TYPES].sort());
    expect(Object.keys(POLICY_RELIEF_EVENT_SAMPLES).sort()).toEqual([...POLICY_RELIEF_EVENT_TYPES].sort());
  });

  it.each(POLICY_RELIEF_EVENT_TYPES.map((t) => [t]))('%s v1 has the fields of the TS type, required exactly where the TS type requires them', (type) => {
    expect(fieldsOf(eventContractOf(type, 1)?.schema as unknown as ObjectSchema)).toEqual(EVENT_FIELDS[type]);
  });

  it.each(POLICY_RELIEF_EVENT_TYPES.map((t) => [t]))('the typed %s sample validates', (type) => {
    const sample = POLICY_RELIEF_EVENT_SAMPLES[type];
    expect(sample.type).toBe(type);
    expect(validateEventData(type, 1, sample.data)).toEqual({ valid: true });
  });

  it('enumerates the same areas, issuers, benefit kinds, sizes, landlord kinds and reopening statuses as the TS constants', () => {
    const defs = reliefDefs.$defs;
    expect(defs.area.enum).toEqual([...RELIEF_AREAS]);
    expect(defs.issuer.enum).toEqual([...RELIEF_ISSUERS]);
    expect(defs.benefitKind.enum).toEqual([...BENEFIT_KINDS]);
    expect(defs.facts.properties.size.enum).toEqual([...ENTERPRISE_SIZES]);
    expect(defs.facts.properties.landlordKind.enum).toEqual([...LANDLORD_KINDS]);
    expect(defs.facts.properties.reopeningStatus.enum).toEqual([...REOPENING_STATUSES]);
  });

  it('refuses money with fractions of a fen and an application id of the wrong shape', () => {
    const approved = POLICY_RELIEF_EVENT_SAMPLES.ReliefApplicationApproved.data;
    expect(validateEventData('ReliefApplicationApproved', 1, { ...approved, grantedFen: 7_200_000.5 }).valid).toBe(false);
    expect(validateEventData('ReliefApplicationApproved', 1, { ...approved, grantedFen: '72000.00' }).valid).toBe(false);
    expect(validateEventData('ReliefApplicationApproved', 1, { ...approved, applicationId: 'M01-lowercase-code' }).valid).toBe(false);
  });
});

describe('the measure catalog (reference data)', () => {
  const measures = MEASURE_CATALOG.measures;

  it('has at least 12 measures in several areas, each id once', () => {
    expect(measures.length).toBeGreaterThanOrEqual(12);
    expect(new Set(measures.map((m) => m.measureId)).size).toBe(measures.length);
    expect(new Set(measures.map((m) => m.area)).size).toBeGreaterThanOrEqual(4);
  });

  it.each(measures.map((m) => [m.measureId, m] as const))(
    '%s: integer fen, known values in its rules (industries of enterprise-reopening), opening before closing',
    (_id, m) => {
      expect(Number.isSafeInteger(m.budgetFen) && m.budgetFen > 0).toBe(true);
      expect(Number.isSafeInteger(m.amountRule.capFen) && m.amountRule.capFen > 0).toBe(true);
      if (m.amountRule.kind === 'per-employee') expect(Number.isSafeInteger(m.amountRule.fenPerEmployee)).toBe(true);
      expect(m.opensOn <= m.closesOn).toBe(true);
      expect(Number.isInteger(m.version) && m.version >= 1).toBe(true);
      expect(new Set(m.rules.map((r) => r.id)).size).toBe(m.rules.length);
      const allowed: Record<string, readonly string[] | undefined> = {
        size: ENTERPRISE_SIZES,
        landlordKind: LANDLORD_KINDS,
        reopeningStatus: REOPENING_STATUSES,
        district: DISTRICT_CODES,
        industry: INDUSTRY_CODES,
      };
      for (const rule of m.rules) {
        expect(rule.oneOf.length).toBeGreaterThan(0);
        const known = allowed[rule.field];
        if (known) for (const value of rule.oneOf) expect(known).toContain(value);
      }
    },
  );
});
