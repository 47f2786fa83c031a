import { creditCodeProblem, DISTRICT_CODES, INDUSTRY_CODES } from '@city/contracts';
import { planEnterprises, SAMPLE_ENTERPRISE } from './reopening-plan';

describe('planEnterprises', () => {
  const plan = planEnterprises(2400);

  it('plans a few thousand enterprises with valid, distinct credit codes over the 16 districts and every seeded industry', () => {
    expect(plan).toHaveLength(2400);
    expect(plan.every((e) => creditCodeProblem(e.creditCode) === null)).toBe(true);
    expect(new Set(plan.map((e) => e.creditCode)).size).toBe(2400);
    expect(new Set(plan.map((e) => e.districtCode))).toEqual(new Set(DISTRICT_CODES));
    expect(new Set(plan.map((e) => e.industryCode))).toEqual(new Set(INDUSTRY_CODES));
  });

  it('keeps the sample enterprise for the README, and is the same on every start', () => {
    expect(plan[0]).toEqual(SAMPLE_ENTERPRISE);
    expect(planEnterprises(50)).toEqual(plan.slice(0, 50));
  });

  it('reopens 80%+ of software and IT services firms, fewer restaurants', () => {
    const share = (industry: string) => {
      const firms = plan.filter((e) => e.industryCode === industry);
      return firms.filter((e) => e.willReopen).length / firms.length;
    };
    expect(share('software-it-services')).toBeGreaterThan(0.8);
    expect(share('catering')).toBeLessThan(0.6);
  });
});
