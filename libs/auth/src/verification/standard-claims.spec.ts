import { standardClaimsRefusal } from './standard-claims';

const NOW = 1_800_000_000;
const expected = { issuer: 'https://id.city.example', audience: 'city-services' };
const good = { iss: expected.issuer, aud: expected.audience, iat: NOW, exp: NOW + 60 };

describe('standardClaimsRefusal', () => {
  it('accepts the expected issuer and audience, one audience or a list naming it', () => {
    expect(standardClaimsRefusal(good, expected, NOW)).toBeUndefined();
    expect(standardClaimsRefusal({ ...good, aud: ['other', expected.audience] }, expected, NOW)).toBeUndefined();
    expect(standardClaimsRefusal({ exp: NOW + 1 }, {}, NOW)).toBeUndefined();
  });

  it('refuses a missing or unexpected issuer or audience, the issuer first, in jose’s words', () => {
    const { iss: _iss, ...noIss } = good;
    const { aud: _aud, ...noAud } = good;
    expect(standardClaimsRefusal({ exp: NOW + 60 }, expected, NOW)).toEqual({ reason: 'invalid_claims', problem: 'missing required "iss" claim' });
    expect(standardClaimsRefusal(noIss, expected, NOW)?.problem).toBe('missing required "iss" claim');
    expect(standardClaimsRefusal(noAud, expected, NOW)?.problem).toBe('missing required "aud" claim');
    expect(standardClaimsRefusal({ ...good, iss: 'https://elsewhere', aud: 'x' }, expected, NOW)?.problem).toBe('unexpected "iss" claim value');
    expect(standardClaimsRefusal({ ...good, aud: ['x', 'y'] }, expected, NOW)?.problem).toBe('unexpected "aud" claim value');
    expect(standardClaimsRefusal({ ...good, aud: 5 }, expected, NOW)?.problem).toBe('unexpected "aud" claim value');
  });

  it('checks exp and nbf at the clock given: exp reached is expired, nbf not yet reached is invalid', () => {
    expect(standardClaimsRefusal({ ...good, exp: NOW }, expected, NOW)).toEqual({ reason: 'expired_token', problem: '"exp" claim timestamp check failed' });
    expect(standardClaimsRefusal(good, expected, NOW + 60)?.reason).toBe('expired_token');
    expect(standardClaimsRefusal(good, expected, NOW + 59)).toBeUndefined();
    expect(standardClaimsRefusal({ ...good, nbf: NOW + 1 }, expected, NOW)).toEqual({
      reason: 'invalid_claims',
      problem: '"nbf" claim timestamp check failed',
    });
    expect(standardClaimsRefusal({ ...good, nbf: NOW }, expected, NOW)).toBeUndefined();
  });

  it('refuses time claims that are not numbers', () => {
    expect(standardClaimsRefusal({ ...good, iat: '1' }, expected, NOW)?.problem).toBe('"iat" claim must be a number');
    expect(standardClaimsRefusal({ ...good, nbf: null }, expected, NOW)?.problem).toBe('"nbf" claim must be a number');
    expect(standardClaimsRefusal({ ...good, exp: '2030' }, expected, NOW)?.problem).toBe('"exp" claim must be a number');
  });
});
