import { DISTRICT_CODES } from '@city/contracts';
import { planCity } from './city-plan';

describe('the scenario city', () => {
  const plan = planCity();

  it('covers all 16 districts with their subdistricts and thousands of units', () => {
    expect(new Set(plan.subdistricts.map((s) => s.districtCode))).toEqual(new Set(DISTRICT_CODES));
    expect(plan.subdistricts.length).toBeGreaterThan(150);
    expect(plan.units.length).toBeGreaterThan(2000);
  });

  it('gives every unit a responsible official of its own subdistrict, at most six units each', () => {
    const perOfficial = new Map<string, number>();
    const officials = new Map(plan.officials.map((o) => [o.officialId, o]));
    for (const unit of plan.units) {
      expect(officials.get(unit.officialId)?.subdistrictCode).toBe(unit.subdistrictCode);
      perOfficial.set(unit.officialId, (perOfficial.get(unit.officialId) ?? 0) + 1);
    }
    expect(Math.max(...perOfficial.values())).toBeLessThanOrEqual(6);
  });

  it('is the same city on every start and has unique ids', () => {
    expect(planCity().units).toEqual(plan.units);
    expect(new Set(plan.units.map((u) => u.unitId)).size).toBe(plan.units.length);
    expect(new Set(plan.subdistricts.map((s) => s.subdistrictCode)).size).toBe(plan.subdistricts.length);
  });
});
