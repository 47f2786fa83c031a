import { issueToken } from '../tokens/issue-token';
import { resolveAuthOptions } from '../auth-options';
import { TokenVerifier } from './token-verifier';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const actor = { sub: 'cc', role: 'city-center' } as const;

/** A verifier whose clock the test moves; tokens are signed at the real time. */
function verifierAt(start: number, verifiedTokenTtlMs?: number) {
  let now = start;
  const verifier = new TokenVerifier(resolveAuthOptions({ secret: SECRET, ...(verifiedTokenTtlMs === undefined ? {} : { verifiedTokenTtlMs }) }), () => now);
  return { verifier, advance: (ms: number) => (now += ms) };
}

describe('TokenVerifier: a verified token is reused', () => {
  it('answers the same actor for the same token within the window', async () => {
    const { verifier, advance } = verifierAt(Date.now());
    const token = issueToken(actor, SECRET, { expiresIn: '1h' });
    const first = await verifier.verify(token);
    advance(30_000);
    expect(await verifier.verify(token)).toBe(first);
  });

  it('still refuses it once it has expired, window or not', async () => {
    const { verifier, advance } = verifierAt(Date.now());
    const token = issueToken(actor, SECRET, { expiresIn: 20 });
    await verifier.verify(token);
    advance(21_000);
    await expect(verifier.verify(token)).rejects.toMatchObject({ response: { reason: 'expired_token' } });
  });

  it('verifies it again after the window, and every time with a window of 0', async () => {
    const { verifier, advance } = verifierAt(Date.now());
    const token = issueToken(actor, SECRET, { expiresIn: '1h' });
    const first = await verifier.verify(token);
    advance(61_000);
    expect(await verifier.verify(token)).not.toBe(first);
    const uncached = verifierAt(Date.now(), 0).verifier;
    expect(await uncached.verify(token)).not.toBe(await uncached.verify(token));
  });

  it('never reuses a refusal: a tampered token is refused each time', async () => {
    const { verifier } = verifierAt(Date.now());
    const token = issueToken(actor, SECRET, { expiresIn: '1h' });
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}A`;
    await verifier.verify(token);
    await expect(verifier.verify(tampered)).rejects.toMatchObject({ response: { reason: 'invalid_token' } });
    await expect(verifier.verify(tampered)).rejects.toMatchObject({ response: { reason: 'invalid_token' } });
  });
});
