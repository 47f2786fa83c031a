import { KeyObject } from 'node:crypto';
import { type Algorithm, createVerifier } from 'fast-jwt';

export type Claims = Record<string, unknown>;

/**
 * Checks a token's signature with one key and answers its claims, or throws fast-jwt's `TokenError`
 * (`alg` is the token's, read from its header before the key was chosen). Synchronous on `node:crypto`:
 * ~15 µs for HS256 and ~60 µs for RS256 where jose's WebCrypto took ~200 and ~330 µs.
 * The registered claims are not checked here (see standardClaimsRefusal).
 */
export type SignatureCheck = (token: string, alg: string) => Claims;

/** The issuer's key cannot verify the token's algorithm: another key type or curve, or an RSA key too short. */
export class KeyUnfit extends Error {}

/** fast-jwt's own checks of `exp`, `nbf`, `iss` and `aud` are off: its clock is fixed when the verifier is made. */
const SIGNATURE_ONLY = { ignoreExpiration: true, ignoreNotBefore: true } as const;

/** RFC 7518 §3.3: RSA keys of at least 2048 bits; jose refused shorter ones, so does this. */
const MIN_RSA_BITS = 2048;

/** The HS256 check of the shared secret: the only algorithm it accepts (`alg: none` and every other is refused). */
export function secretCheckOf(secret: string): SignatureCheck {
  const verify = createVerifier({ key: secret, algorithms: ['HS256'], ...SIGNATURE_ONLY });
  return (token) => verify(token) as Claims;
}

/**
 * The check of one public key for the algorithms accepted that fit it (an RSA key never verifies
 * ES256, nor any public key HS256: no algorithm confusion). fast-jwt takes keys as PEM, so the key is
 * exported once here, never per token.
 */
export function publicKeyCheckOf(key: KeyObject, accepted: readonly string[]): SignatureCheck {
  const fitting = algorithmsOf(key).filter((alg) => accepted.includes(alg));
  const tooShort = key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS;
  const verify =
    fitting.length > 0 && !tooShort
      ? createVerifier({ key: key.export({ type: 'spki', format: 'pem' }).toString(), algorithms: [...fitting], ...SIGNATURE_ONLY })
      : undefined;
  return (token, alg) => {
    if (verify === undefined || !fitting.includes(alg as Algorithm)) {
      throw new KeyUnfit(
        tooShort && fitting.includes(alg as Algorithm)
          ? `${alg} requires key modulusLength to be ${MIN_RSA_BITS} bits or larger`
          : `its algorithm ${alg} does not fit the issuer's key`,
      );
    }
    return verify(token) as Claims;
  };
}

/**
 * Checks of the keys of a key set (JWKS), made once per key: jose picks the key for a token's header and
 * hands out the same CryptoKey for the same key and algorithm until the set changes, so a rotated key gets
 * its own check and a retired one's is forgotten with it.
 */
export class KeySetChecks {
  private readonly checks = new WeakMap<object, SignatureCheck>();

  constructor(private readonly accepted: readonly string[]) {}

  of(key: CryptoKey): SignatureCheck {
    let check = this.checks.get(key);
    if (check === undefined) {
      check = publicKeyCheckOf(KeyObject.from(key as Parameters<typeof KeyObject.from>[0]), this.accepted);
      this.checks.set(key, check);
    }
    return check;
  }
}

/** The algorithms a public key can verify (RFC 7518 §3.1, RFC 8037): by key type and, for EC, curve. */
function algorithmsOf(key: KeyObject): readonly Algorithm[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'ec':
      return EC_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? [];
    case 'ed25519':
      return ['EdDSA'];
    default:
      return [];
  }
}

const EC_ALGORITHMS: Readonly<Record<string, readonly Algorithm[]>> = { prime256v1: ['ES256'], secp384r1: ['ES384'], secp521r1: ['ES512'] };
