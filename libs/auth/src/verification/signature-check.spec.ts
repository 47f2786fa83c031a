import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { exportJWK, importJWK } from 'jose';
import { KeySetChecks, KeyUnfit, publicKeyCheckOf, secretCheckOf } from './signature-check';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const ACCEPTED = ['RS256', 'ES256', 'EdDSA'];
const claims = { sub: 'cc', role: 'city-center' };
const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signed(alg: string, key: KeyObject | string): string {
  const input = `${segment({ alg })}.${segment(claims)}`;
  if (typeof key === 'string') return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
  const signature = sign(alg === 'EdDSA' ? undefined : 'sha256', Buffer.from(input), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${signature.toString('base64url')}`;
}

describe('signature checks (fast-jwt)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');

  it('verifies HS256 with the shared secret and nothing else', () => {
    const check = secretCheckOf(SECRET);
    expect(check(signed('HS256', SECRET), 'HS256')).toMatchObject(claims);
    expect(() => check(signed('HS256', 'another-secret-of-at-least-32-characters'), 'HS256')).toThrow('The token signature is invalid.');
    expect(() => check(`${segment({ alg: 'none' })}.${segment(claims)}.`, 'none')).toThrow(expect.objectContaining({ code: 'FAST_JWT_MISSING_SIGNATURE' }));
    expect(() => check(signed('RS256', rsa.privateKey), 'RS256')).toThrow(expect.objectContaining({ code: 'FAST_JWT_INVALID_ALGORITHM' }));
  });

  it('verifies each public key with the algorithm that fits it', () => {
    expect(publicKeyCheckOf(rsa.publicKey, ACCEPTED)(signed('RS256', rsa.privateKey), 'RS256')).toMatchObject(claims);
    expect(publicKeyCheckOf(ec.publicKey, ACCEPTED)(signed('ES256', ec.privateKey), 'ES256')).toMatchObject(claims);
    expect(publicKeyCheckOf(ed.publicKey, ACCEPTED)(signed('EdDSA', ed.privateKey), 'EdDSA')).toMatchObject(claims);
    expect(() => publicKeyCheckOf(rsa.publicKey, ACCEPTED)(signed('RS256', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey), 'RS256')).toThrow(
      'The token signature is invalid.',
    );
  });

  it('refuses an algorithm that does not fit the key, and HS256 with the public key as secret (algorithm confusion)', () => {
    const check = publicKeyCheckOf(rsa.publicKey, ACCEPTED);
    expect(() => check(signed('ES256', ec.privateKey), 'ES256')).toThrow(new KeyUnfit("its algorithm ES256 does not fit the issuer's key"));
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => check(signed('HS256', pem), 'HS256')).toThrow(KeyUnfit);
    // Even were HS256 accepted, a public key never becomes an HMAC secret.
    expect(() => publicKeyCheckOf(rsa.publicKey, [...ACCEPTED, 'HS256'])(signed('HS256', pem), 'HS256')).toThrow(KeyUnfit);
    expect(() => publicKeyCheckOf(rsa.publicKey, ['ES256'])(signed('RS256', rsa.privateKey), 'RS256')).toThrow(KeyUnfit);
  });

  it('refuses an RSA key shorter than 2048 bits, as jose did', () => {
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => publicKeyCheckOf(short.publicKey, ACCEPTED)(signed('RS256', short.privateKey), 'RS256')).toThrow(
      'RS256 requires key modulusLength to be 2048 bits or larger',
    );
  });

  it('converts a key set’s CryptoKey once per key', async () => {
    const checks = new KeySetChecks(ACCEPTED);
    const cryptoKey = (await importJWK({ ...(await exportJWK(rsa.publicKey)), alg: 'RS256' }, 'RS256')) as CryptoKey;
    const check = checks.of(cryptoKey);
    expect(check(signed('RS256', rsa.privateKey), 'RS256')).toMatchObject(claims);
    expect(checks.of(cryptoKey)).toBe(check);
    const other = (await importJWK({ ...(await exportJWK(ec.publicKey)), alg: 'ES256' }, 'ES256')) as CryptoKey;
    expect(checks.of(other)).not.toBe(check);
    expect(checks.of(other)(signed('ES256', ec.privateKey), 'ES256')).toMatchObject(claims);
  });
});
