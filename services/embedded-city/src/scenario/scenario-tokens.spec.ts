import { ScenarioTokens } from './scenario-tokens';

const SECRET = 'scenario-tokens-spec-secret-0123456789abcdef';
const actor = { sub: 'scenario-inspector-310105', role: 'field-official', district: '310105' } as const;
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { iat: number; exp: number };

describe('scenario tokens', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2020-02-10T08:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('signs tokens that live 12 hours, the services cap', () => {
    const { iat, exp } = claimsOf(new ScenarioTokens(SECRET).of(actor));
    expect(exp - iat).toBe(12 * 3600);
  });

  it('keeps an actor its token for six hours, then signs a new one', () => {
    const tokens = new ScenarioTokens(SECRET);
    const first = tokens.of(actor);
    jest.advanceTimersByTime(6 * 3600_000 - 1000);
    expect(tokens.of(actor)).toBe(first);
    jest.advanceTimersByTime(1000);
    const renewed = tokens.of(actor);
    expect(claimsOf(renewed).iat - claimsOf(first).iat).toBe(6 * 3600);
  });
});
