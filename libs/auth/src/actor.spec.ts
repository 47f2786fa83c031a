import { actorFromClaims } from './actor';

describe('actorFromClaims', () => {
  it('keeps only the Actor fields of valid claims', () => {
    expect(actorFromClaims({ sub: 'u1', role: 'district-staff', district: '310105', iat: 1, exp: 2, extra: 'x' })).toEqual({
      ok: true,
      actor: { sub: 'u1', role: 'district-staff', district: '310105' },
    });
  });

  it('keeps an enterprise (its credit code as sub) and the office of a department token', () => {
    expect(actorFromClaims({ sub: '91310105MA1FL0XQ2P', role: 'enterprise' })).toEqual({ ok: true, actor: { sub: '91310105MA1FL0XQ2P', role: 'enterprise' } });
    const office = { sub: 'fin-1', role: 'department', department: 'policy-relief', office: 'finance' };
    expect(actorFromClaims(office)).toEqual({ ok: true, actor: office });
  });

  it('keeps the residents’ committee of a community worker', () => {
    const worker = { sub: 'cw', role: 'field-official', district: '310105', subdistrict: '310105002', committee: '310105002003' };
    expect(actorFromClaims(worker)).toEqual({ ok: true, actor: worker });
  });

  it.each([
    [null, 'claims are not an object'],
    [
      { sub: 'u', role: 'field-official', district: '310105', subdistrict: '310105002', committee: '3101050020' },
      'committee must be a 12-digit committee code',
    ],
    [{ sub: 'u', role: 'field-official', district: '310105', committee: '310105002003' }, 'committee requires a district and a subdistrict'],
    [{ sub: 'u', role: 'field-official', district: '310105', subdistrict: '310105002', committee: '310105001003' }, 'committee must lie in the subdistrict'],
    [{ sub: 'u', role: 'field-official', district: '310105', subdistrict: '310105002', committee: 310105002003 }, 'committee must be a string'],
    [{ role: 'city-center' }, 'sub is missing'],
    [{ sub: 'u', role: 'mayor' }, 'role must be one of city-center, district-staff, field-official, department, enterprise'],
    [{ sub: 'u', role: 'district-staff' }, 'role district-staff requires a district'],
    [{ sub: 'u', role: 'district-staff', district: '999999' }, 'district 999999 is not a district code'],
    [{ sub: 'u', role: 'field-official', district: '310105', subdistrict: '310107001' }, 'subdistrict must lie in the district'],
    [{ sub: 'u', role: 'department' }, 'role department requires a department'],
    [{ sub: 'u', role: 'department', department: 'police' }, expect.stringMatching(/^department must be one of/)],
    [{ sub: 'u', role: 'city-center', district: 310105 }, 'district must be a string'],
    [{ sub: 'cafe-1', role: 'enterprise' }, 'role enterprise requires sub to be a unified social credit code'],
    [{ sub: '91310105MA1FL0XQ2P', role: 'enterprise', district: '310105' }, 'an enterprise token names no department and no district'],
    [{ sub: 'u', role: 'department', department: 'policy-relief', office: 'Finance Bureau' }, 'office must be a lower-case office id'],
  ])('refuses %o', (claims, problem) => {
    expect(actorFromClaims(claims)).toEqual({ ok: false, problem });
  });
});
