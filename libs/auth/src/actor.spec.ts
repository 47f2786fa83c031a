import { actorFromClaims } from './actor';

describe('actorFromClaims', () => {
  it('keeps only the Actor fields of valid claims', () => {
    expect(actorFromClaims({ sub: 'u1', role: 'district-staff', district: '310105', iat: 1, exp: 2, extra: 'x' })).toEqual({
      ok: true,
      actor: { sub: 'u1', role: 'district-staff', district: '310105' },
    });
  });

  it.each([
    [null, 'claims are not an object'],
    [{ role: 'city-center' }, 'sub is missing'],
    [{ sub: 'u', role: 'mayor' }, 'role must be one of city-center, district-staff, field-official, department'],
    [{ sub: 'u', role: 'district-staff' }, 'role district-staff requires a district'],
    [{ sub: 'u', role: 'district-staff', district: '999999' }, 'district 999999 is not a district code'],
    [{ sub: 'u', role: 'field-official', district: '310105', subdistrict: '310107001' }, 'subdistrict must lie in the district'],
    [{ sub: 'u', role: 'department' }, 'role department requires a department'],
    [{ sub: 'u', role: 'department', department: 'police' }, expect.stringMatching(/^department must be one of/)],
    [{ sub: 'u', role: 'city-center', district: 310105 }, 'district must be a string'],
  ])('refuses %o', (claims, problem) => {
    expect(actorFromClaims(claims)).toEqual({ ok: false, problem });
  });
});
