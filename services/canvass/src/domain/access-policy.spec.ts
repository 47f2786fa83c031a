import { NotFoundError } from '@city/eventsourcing';
import { canvassAccess, accessScopeOf, requireOpenable, unitListingScopeOf } from './access-policy';
import { cityDayBounds, cityDayOf } from './city-time';
import { actors, DISTRICT, OTHER_SUBDISTRICT, SUBDISTRICT } from './testing/fixtures';

const unit = accessScopeOf({ districtCode: DISTRICT, subdistrictCode: SUBDISTRICT, officialId: actors.official.sub });
const outcome = (decision: ReturnType<typeof canvassAccess.decide>) => (decision.allowed ? decision.relation : decision.reason);

describe('canvass access policy', () => {
  it('tells the responsible official from a stand-in', () => {
    expect(outcome(canvassAccess.decide('fieldWork', actors.official, unit))).toBe('responsible');
    expect(outcome(canvassAccess.decide('fieldWork', actors.colleague, unit))).toBe('standing-in');
    expect(outcome(canvassAccess.decide('fieldWork', actors.districtStaff, unit))).toBe('standing-in');
    expect(outcome(canvassAccess.decide('fieldWork', actors.department, unit))).toBe('standing-in');
  });

  it('refuses with a reason the metrics can count', () => {
    expect(outcome(canvassAccess.decide('fieldWork', actors.farOfficial, unit))).toBe('other_subdistrict');
    expect(outcome(canvassAccess.decide('fieldWork', { ...actors.official, sub: 'someone', district: '310107', subdistrict: '310107001' }, unit))).toBe(
      'other_district',
    );
    expect(outcome(canvassAccess.decide('manage', actors.otherDistrictStaff, { district: DISTRICT }))).toBe('other_district');
    expect(outcome(canvassAccess.decide('manage', actors.otherDepartment, { district: DISTRICT }))).toBe('wrong_department');
    expect(outcome(canvassAccess.decide('manage', actors.cityCenter, { district: DISTRICT }))).toBe('wrong_role');
    expect(outcome(canvassAccess.decide('fieldWork', actors.cityCenter, unit))).toBe('wrong_role');
    expect(outcome(canvassAccess.decide('readUnit', actors.otherDistrictStaff, unit))).toBe('other_district');
    expect(outcome(canvassAccess.decide('editUnit', actors.colleague, unit))).toBe('other_subdistrict');
  });

  it('keeps a department token that names a district inside it', () => {
    const districtDesk = { ...actors.department, district: '310107' };
    expect(canvassAccess.allows('manage', districtDesk, { district: '310107' })).toBe(true);
    expect(canvassAccess.allows('manage', districtDesk, { district: DISTRICT })).toBe(false);
    expect(canvassAccess.allows('readUnit', districtDesk, unit)).toBe(false);
  });

  it('lets the city center and the district read, and field officials their subdistrict', () => {
    expect(canvassAccess.allows('readUnit', actors.cityCenter, unit)).toBe(true);
    expect(canvassAccess.allows('readUnit', actors.districtStaff, unit)).toBe(true);
    expect(canvassAccess.allows('readUnit', actors.colleague, unit)).toBe(true);
    expect(canvassAccess.allows('readUnit', actors.farOfficial, unit)).toBe(false);
    expect(canvassAccess.allows('readUnit', actors.farOfficial, { ...unit, subdistrict: OTHER_SUBDISTRICT })).toBe(true);
  });

  it('lists the units of the whole city only for tokens without a district', () => {
    expect(canvassAccess.allows('listUnits', actors.cityCenter)).toBe(true);
    expect(canvassAccess.allows('listUnits', actors.department)).toBe(true);
    expect(outcome(canvassAccess.decide('listUnits', actors.otherDepartment))).toBe('wrong_department');
    expect(canvassAccess.allows('listUnits', actors.farOfficial, { district: DISTRICT })).toBe(true);
    expect(outcome(canvassAccess.decide('listUnits', actors.districtStaff, { district: '310107' }))).toBe('other_district');
  });
});

describe('what an actor may open (rules 5 and 6)', () => {
  const place = { districtCode: DISTRICT, subdistrictCode: SUBDISTRICT, officialId: actors.official.sub };

  it('answers a unit the actor may not open as unknown, whatever the reason', () => {
    for (const actor of [actors.farOfficial, actors.otherDistrictStaff, actors.otherDepartment]) {
      expect(() => requireOpenable(actor, place, 'Unknown unit u')).toThrow(new NotFoundError('Unknown unit u'));
    }
    for (const actor of [actors.official, actors.colleague, actors.districtStaff, actors.department, actors.cityCenter]) {
      expect(() => requireOpenable(actor, place, 'Unknown unit u')).not.toThrow();
    }
  });

  it('lets a field official list what they may open: their subdistrict and what they answer for', () => {
    expect(unitListingScopeOf(actors.farOfficial)).toEqual({ officialId: actors.farOfficial.sub, subdistrictCode: OTHER_SUBDISTRICT });
    expect(unitListingScopeOf({ sub: 'roaming', role: 'field-official', district: DISTRICT })).toEqual({ officialId: 'roaming' });
    for (const actor of [actors.districtStaff, actors.department, actors.cityCenter]) expect(unitListingScopeOf(actor)).toBe('all');
  });

  it('lists exactly the units a field official may open', () => {
    const units = [
      place,
      { ...place, officialId: actors.farOfficial.sub },
      { ...place, subdistrictCode: OTHER_SUBDISTRICT, officialId: 'someone' },
      { ...place, officialId: null },
    ];
    const listed = (scope: ReturnType<typeof unitListingScopeOf>, u: (typeof units)[number]) =>
      scope === 'all' || u.officialId === scope.officialId || u.subdistrictCode === scope.subdistrictCode;
    for (const actor of [actors.official, actors.colleague, actors.farOfficial]) {
      for (const u of units) expect(listed(unitListingScopeOf(actor), u)).toBe(canvassAccess.allows('readUnit', actor, accessScopeOf(u)));
    }
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
