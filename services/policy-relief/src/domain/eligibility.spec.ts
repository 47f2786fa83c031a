import { reliefMeasureOf, type ReliefMeasure } from '@city/contracts';
import { checkEligibility, maxGrantOf, previewEligibility, type ApplicantFacts } from './eligibility';

const M03 = reliefMeasureOf('M03') as ReliefMeasure;
const M14 = reliefMeasureOf('M14') as ReliefMeasure;
const facts: ApplicantFacts = {
  size: 'small',
  industry: 'wholesale-retail',
  landlordKind: 'state-owned',
  reopeningStatus: 'reopened',
  headcount: 12,
  districtCode: '310107',
};

describe('eligibility', () => {
  it('lists every rule with pass or fail and why, naming the rule, measure and version', () => {
    const answer = checkEligibility(M03, facts);
    expect(answer).toEqual({
      eligible: false,
      measureVersion: 2,
      checks: [
        { rule: 'S1', field: 'size', value: 'small', passed: true, reason: 'size: small — passes rule S1 of measure M03 v2' },
        {
          rule: 'L1',
          field: 'landlordKind',
          value: 'state-owned',
          passed: false,
          reason: 'landlord: state-owned — fails rule L1 of measure M03 v2 (needs one of private, collective)',
        },
      ],
    });
  });

  it('checks the district and reopening status of a district measure', () => {
    const answer = checkEligibility(M14, { ...facts, reopeningStatus: 'declared' });
    expect(answer.eligible).toBe(false);
    expect(answer.checks.map((c) => c.reason)).toEqual([
      'district: 310107 — fails rule D1 of measure M14 v1 (needs 310105)',
      'size: small — passes rule S1 of measure M14 v1',
      'reopening: declared — fails rule R1 of measure M14 v1 (needs reopened)',
    ]);
  });

  it('counts the most a measure grants in integer fen: months of rent, per employee, or its cap', () => {
    expect(maxGrantOf(reliefMeasureOf('M01') as ReliefMeasure, 18, 4_800_001)).toMatchObject({ ok: true, maxGrantFen: 9_600_002 });
    expect(maxGrantOf(reliefMeasureOf('M01') as ReliefMeasure, 18, undefined)).toEqual({ ok: false, needsRent: true });
    expect(maxGrantOf(reliefMeasureOf('M05') as ReliefMeasure, 18, undefined)).toMatchObject({ ok: true, maxGrantFen: 18 * 50_000 });
    expect(maxGrantOf(reliefMeasureOf('M05') as ReliefMeasure, 100_000, undefined)).toMatchObject({ ok: true, maxGrantFen: 100_000_000 });
    expect(maxGrantOf(M14, 3, undefined)).toMatchObject({ ok: true, maxGrantFen: 3_000_000 });
  });

  it('previews an answer before the landlord is stated: a landlord rule stays open, a failed rule decides', () => {
    const { landlordKind: _stated, ...known } = facts;
    const open = previewEligibility(M03, known);
    expect(open.eligible).toBeNull();
    expect(open.checks[1]).toEqual({
      rule: 'L1',
      field: 'landlordKind',
      value: null,
      passed: null,
      reason: 'landlord: stated on the application — rule L1 of measure M03 v2 needs one of private, collective',
    });
    expect(previewEligibility(M03, { ...known, size: 'large' }).eligible).toBe(false);
    expect(previewEligibility(M03, { ...known, landlordKind: 'private' })).toEqual(checkEligibility(M03, { ...facts, landlordKind: 'private' }));
  });
});
