import { lifetimeProblem } from './token-lifetime';

const NOW = 1_800_000_000;
const policy = { maxLifetimeSeconds: 12 * 3600, clockSkewSeconds: 60 };

describe('lifetimeProblem', () => {
  it('accepts a token issued now for 12 hours', () => expect(lifetimeProblem({ iat: NOW, exp: NOW + 12 * 3600 }, NOW, policy)).toBeUndefined());
  it('accepts an iat within the clock skew', () => expect(lifetimeProblem({ iat: NOW + 30, exp: NOW + 3600 }, NOW, policy)).toBeUndefined());
  it('accepts a token without iat that expires within the cap', () => expect(lifetimeProblem({ exp: NOW + 3600 }, NOW, policy)).toBeUndefined());
  it('refuses a token without exp', () => expect(lifetimeProblem({ iat: NOW }, NOW, policy)).toBe('exp is required (every token must expire)'));
  it('refuses exp that is not a number', () => expect(lifetimeProblem({ exp: '2200-01-01' }, NOW, policy)).toBe('exp must be a number of seconds'));
  it('refuses exp in 2200', () => {
    expect(lifetimeProblem({ iat: NOW, exp: 7_258_118_400 }, NOW, policy)).toMatch(/^the token lives \d+ s; at most 43200 s is allowed$/);
  });
  it('refuses a lifetime over the cap even when iat lies in the past', () => {
    expect(lifetimeProblem({ iat: NOW - 3600, exp: NOW + 12 * 3600 }, NOW, policy)).toBe('the token lives 46800 s; at most 43200 s is allowed');
  });
  it('refuses a far exp without iat', () => expect(lifetimeProblem({ exp: NOW + 13 * 3600 }, NOW, policy)).toMatch(/^the token lives/));
  it('refuses iat in 2100', () => {
    expect(lifetimeProblem({ iat: 4_102_444_800, exp: 4_102_444_900 }, NOW, policy)).toBe(
      `iat lies ${4_102_444_800 - NOW} s in the future; at most 60 s of clock skew is allowed`,
    );
  });
});
