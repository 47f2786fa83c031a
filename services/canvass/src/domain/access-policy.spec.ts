import { AccessRefusedError, assertCanManageDistrict, assertCanRead, canRead, fieldRelationTo } from './access-policy';
import { cityDayBounds, cityDayOf } from './city-time';
import { actors, DISTRICT, OTHER_SUBDISTRICT, SUBDISTRICT } from './testing/fixtures';

const unit = { districtCode: DISTRICT, subdistrictCode: SUBDISTRICT, officialId: actors.official.sub };

describe('access policy', () => {
  it('tells the responsible official from a stand-in', () => {
    expect(fieldRelationTo(actors.official, unit)).toBe('responsible');
    expect(fieldRelationTo(actors.colleague, unit)).toBe('standing-in');
    expect(fieldRelationTo(actors.districtStaff, unit)).toBe('standing-in');
    expect(fieldRelationTo(actors.department, unit)).toBe('standing-in');
  });

  it('refuses with a reason the metrics can count', () => {
    const reasonOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof AccessRefusedError ? error.reason : 'not refused with a reason';
      }
      return 'allowed';
    };
    expect(reasonOf(() => fieldRelationTo(actors.farOfficial, unit))).toBe('other_subdistrict');
    expect(reasonOf(() => fieldRelationTo({ ...actors.official, sub: 'someone', district: '310107', subdistrict: '310107001' }, unit))).toBe('other_district');
    expect(reasonOf(() => assertCanManageDistrict(actors.otherDistrictStaff, DISTRICT))).toBe('other_district');
    expect(reasonOf(() => assertCanManageDistrict(actors.otherDepartment, DISTRICT))).toBe('wrong_department');
    expect(reasonOf(() => assertCanManageDistrict(actors.cityCenter, DISTRICT))).toBe('wrong_role');
    expect(reasonOf(() => assertCanRead(actors.otherDistrictStaff, unit))).toBe('other_district');
  });

  it('keeps a department token that names a district inside it', () => {
    const districtDesk = { ...actors.department, district: '310107' };
    expect(() => assertCanManageDistrict(districtDesk, '310107')).not.toThrow();
    expect(() => assertCanManageDistrict(districtDesk, DISTRICT)).toThrow(AccessRefusedError);
    expect(canRead(districtDesk, unit)).toBe(false);
  });

  it('lets the city center and the district read, and field officials their subdistrict', () => {
    expect(canRead(actors.cityCenter, unit)).toBe(true);
    expect(canRead(actors.districtStaff, unit)).toBe(true);
    expect(canRead(actors.colleague, unit)).toBe(true);
    expect(canRead(actors.farOfficial, unit)).toBe(false);
    expect(canRead(actors.farOfficial, { ...unit, subdistrictCode: OTHER_SUBDISTRICT })).toBe(true);
  });
});

describe('city time', () => {
  it('finds the city day of an instant in Asia/Shanghai', () => {
    expect(cityDayOf('2020-02-11T16:30:00Z')).toBe('2020-02-12');
    expect(cityDayOf('2020-02-12T15:59:59Z')).toBe('2020-02-12');
    expect(cityDayOf('2020-02-12T16:00:00Z')).toBe('2020-02-13');
  });

  it('bounds a city day at midnight +08:00', () => {
    const { start, end } = cityDayBounds('2020-02-12');
    expect(new Date(start).toISOString()).toBe('2020-02-11T16:00:00.000Z');
    expect(end - start).toBe(24 * 3600 * 1000);
  });
});
