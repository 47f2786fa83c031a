import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { ServiceUnavailableException } from '@nestjs/common';
import { exportJWK } from 'jose';
import { issueToken } from '../tokens/issue-token';
import { resolveAuthOptions } from '../auth-options';
import { TokenVerifier } from './token-verifier';
import type { TrustedIssuer } from './trusted-issuers';

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

describe('TokenVerifier: signatures and their refusals', () => {
  const ISSUER = 'https://id.city.example';
  const AUDIENCE = 'city-services';
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = (extra: object = {}) => ({ sub: 'cc', role: 'city-center', iss: ISSUER, aud: AUDIENCE, iat: nowSeconds(), exp: nowSeconds() + 600, ...extra });
  function nowSeconds() {
    return Math.floor(Date.now() / 1000);
  }
  function hmac(payload: object, secret: string): string {
    const input = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment(payload)}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  }
  function signed(alg: 'RS256' | 'ES256', key: KeyObject, payload: object): string {
    const input = `${segment({ alg })}.${segment(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key).toString('base64url')}`;
  }
  const issuers = (issuer: Partial<TrustedIssuer>, now?: () => number) =>
    new TokenVerifier(resolveAuthOptions({ audience: AUDIENCE, verifiedTokenTtlMs: 0, issuers: [{ issuer: ISSUER, ...issuer }] }), now);
  const refusal = (reason: string, message: string) => ({ response: { reason, message } });

  it('refuses an unsigned token (alg none) in both modes', async () => {
    const unsigned = (payload: object) => `${segment({ alg: 'none' })}.${segment(payload)}.`;
    await expect(verifierAt(Date.now()).verifier.verify(unsigned(claims()))).rejects.toMatchObject(
      refusal('invalid_token', 'The token is not valid: its algorithm is not accepted'),
    );
    await expect(issuers({ publicKey: pem }).verify(unsigned(claims()))).rejects.toMatchObject(
      refusal('invalid_token', 'The token is not valid: its algorithm is not accepted'),
    );
  });

  it('refuses HS256 signed with the issuer’s public key as secret (algorithm confusion)', async () => {
    await expect(issuers({ publicKey: pem }).verify(hmac(claims(), pem))).rejects.toMatchObject(
      refusal('invalid_token', 'The token is not valid: its algorithm is not accepted'),
    );
  });

  it('verifies RS256 with a PEM key, and refuses an algorithm that does not fit it or a forged signature', async () => {
    const verifier = issuers({ publicKey: pem });
    expect(await verifier.verify(signed('RS256', rsa.privateKey, claims()))).toEqual({ sub: 'cc', role: 'city-center' });
    await expect(verifier.verify(signed('ES256', ec.privateKey, claims()))).rejects.toMatchObject(
      refusal('invalid_token', "The token is not valid: its algorithm ES256 does not fit the issuer's key"),
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(verifier.verify(signed('RS256', other.privateKey, claims()))).rejects.toMatchObject(
      refusal('invalid_token', 'The token is not valid: invalid signature'),
    );
  });

  it('verifies with a key of an inline JWKS, converted for node:crypto', async () => {
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256' }] });
    const verifier = issuers({ publicKey: jwks });
    expect(await verifier.verify(signed('ES256', ec.privateKey, claims({ jti: '1' })))).toMatchObject({ sub: 'cc' });
    expect(await verifier.verify(signed('ES256', ec.privateKey, claims({ jti: '2' })))).toMatchObject({ sub: 'cc' });
    await expect(verifier.verify(signed('RS256', rsa.privateKey, claims()))).rejects.toMatchObject(
      refusal('invalid_token', `The token is not valid: no key of issuer ${ISSUER} matches it`),
    );
  });

  it('answers 503 when the issuer’s JWKS cannot be fetched', async () => {
    const verifier = issuers({ jwksUrl: 'http://127.0.0.1:9/jwks.json' });
    const error = await verifier.verify(signed('RS256', rsa.privateKey, claims())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect((error as ServiceUnavailableException).getResponse()).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
    expect((error as ServiceUnavailableException).message).toMatch(`The keys of issuer ${ISSUER} are unavailable`);
  });

  it('checks exp and nbf of an issuer’s token at the verifier’s clock', async () => {
    let now = Date.now();
    const verifier = issuers({ publicKey: pem }, () => now);
    const token = signed('RS256', rsa.privateKey, claims({ nbf: nowSeconds() + 30 }));
    await expect(verifier.verify(token)).rejects.toMatchObject(
      refusal('invalid_claims', `The token's claims are not valid: "nbf" claim timestamp check failed`),
    );
    now += 31_000;
    expect(await verifier.verify(token)).toMatchObject({ sub: 'cc' });
    now += 600_000;
    await expect(verifier.verify(token)).rejects.toMatchObject(refusal('expired_token', 'The token has expired'));
  });

  it('refuses a malformed token in jose’s words', async () => {
    const { verifier } = verifierAt(Date.now());
    await expect(verifier.verify('abc')).rejects.toMatchObject(refusal('invalid_token', 'The token is not valid: Invalid Compact JWS'));
    await expect(verifier.verify('not.a.jwt')).rejects.toMatchObject(refusal('invalid_token', 'The token is not valid: JWS Protected Header is invalid'));
    await expect(verifier.verify(hmac([1] as unknown as object, SECRET))).rejects.toMatchObject(
      refusal('invalid_token', 'The token is not valid: JWT Claims Set must be a top-level JSON object'),
    );
  });
});
