import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ServiceUnavailableException } from '@nestjs/common';
import { TokenError } from 'fast-jwt';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type FlattenedJWSInput,
  type JWK,
  type JWSHeaderParameters,
} from 'jose';
import { type Actor, actorFromClaims } from '../actor';
import type { ResolvedAuthOptions } from '../auth-options';
import { unauthorized } from '../guard/unauthorized';
import { type Claims, KeySetChecks, publicKeyCheckOf, secretCheckOf, type SignatureCheck } from './signature-check';
import { type ExpectedClaims, standardClaimsRefusal } from './standard-claims';
import { lifetimeProblem } from './token-lifetime';
import { issuerScopeProblem, type TrustedIssuer } from './trusted-issuers';

/** A key set picks the key for a token's header (jose: JWKS fetched and cached, or given inline). */
type KeySet = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** An issuer's keys: one public key, or a key set whose keys get their checks as they are handed out. */
type IssuerKeys = { readonly check: SignatureCheck } | { readonly keySet: KeySet; readonly checks: KeySetChecks };

/** The keys of a trusted issuer could not be fetched: the service cannot verify, the client is not at fault. */
class KeysUnavailable extends Error {}

/** Distinct verified tokens remembered at once (a few hundred bytes each); the oldest is forgotten first. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * Verifies bearer tokens: the signature with `fast-jwt` on `node:crypto` (HS256 shared secret in the
 * embedded mode; the issuer's public keys otherwise, RS256/ES256/EdDSA, from a JWKS URL that jose fetches,
 * caches and refreshes, or a key), issuer, audience, expiry and `nbf` at the verifier's clock, the
 * lifetime cap and `iat` skew, the shape of the claims and, for trusted issuers, that the issuer may sign
 * for the token's department. Refusals are 401 with a reason, 503 when an issuer's keys are unavailable.
 * A verified token is reused until it expires or `verifiedTokenTtlMs` has passed.
 */
export class TokenVerifier {
  private readonly secret?: SignatureCheck;
  private readonly issuers = new Map<string, { readonly issuer: TrustedIssuer; readonly keys: IssuerKeys }>();
  /** Tokens verified lately, by their exact text, with the actor and until when it may be reused. */
  private readonly verified = new Map<string, { readonly actor: Actor; readonly untilMs: number }>();
  private readonly algorithms: readonly string[];
  private readonly expected: ExpectedClaims;

  constructor(
    private readonly options: ResolvedAuthOptions,
    private readonly now: () => number = Date.now,
  ) {
    if (options.mode === 'shared-secret') {
      this.secret = secretCheckOf(options.secret);
      this.algorithms = ['HS256'];
      this.expected = definedOnly(options.issuer, options.audience);
    } else {
      this.algorithms = options.algorithms;
      this.expected = { audience: options.audience };
      for (const issuer of options.issuers) this.issuers.set(issuer.issuer, { issuer, keys: keysOf(issuer, options) });
    }
  }

  async verify(token: string): Promise<Actor> {
    const now = this.now();
    const cached = this.verified.get(token);
    if (cached !== undefined && now < cached.untilMs) return cached.actor;
    if (cached !== undefined) this.verified.delete(token);
    const { actor, expiresAtMs } = this.secret ? this.checked(this.signedWithSecret(token)) : await this.verifyIssued(token);
    if (this.options.verifiedTokenTtlMs === 0) return actor;
    if (this.verified.size >= VERIFIED_TOKEN_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { actor, untilMs: Math.min(expiresAtMs, now + this.options.verifiedTokenTtlMs) });
    return actor;
  }

  /** The claims of a token signed with the shared secret (synchronous: no promise, no thread pool). */
  private signedWithSecret(token: string): Claims {
    try {
      return (this.secret as SignatureCheck)(token, 'HS256');
    } catch (error) {
      throw this.refusal(error, token, undefined);
    }
  }

  /** A trusted issuer's token: its issuer by `iss`, the algorithm accepted, then the issuer's key for its header. */
  private async verifyIssued(token: string): Promise<{ actor: Actor; expiresAtMs: number }> {
    const { issuer, keys } = this.trustedIssuerOf(token);
    let claims: Claims;
    try {
      const header = headerOf(token);
      // As jose did: an algorithm not accepted is refused before any key is looked for (a JWKS is not fetched for it).
      const alg = acceptedAlgorithm(header, this.algorithms);
      const check = 'check' in keys ? keys.check : keys.checks.of(await keys.keySet(header, flattened(token)));
      claims = check(token, alg);
    } catch (error) {
      throw this.refusal(error, token, issuer);
    }
    return this.checked(claims, issuer);
  }

  /** Registered claims, lifetime, shape and issuer scope of claims whose signature is verified. */
  private checked(claims: Claims, trusted?: TrustedIssuer): { actor: Actor; expiresAtMs: number } {
    const nowSeconds = Math.floor(this.now() / 1000);
    const expected = trusted ? { ...this.expected, issuer: trusted.issuer } : this.expected;
    const refusal = standardClaimsRefusal(claims, expected, nowSeconds);
    if (refusal?.reason === 'expired_token') throw unauthorized('expired_token', 'The token has expired');
    if (refusal) throw unauthorized('invalid_claims', `The token's claims are not valid: ${refusal.problem}`);
    const problem = lifetimeProblem(claims, nowSeconds, this.options);
    if (problem) throw unauthorized('invalid_claims', `The token's claims are not valid: ${problem}`);
    const checked = actorFromClaims(claims);
    if (!checked.ok) throw unauthorized('invalid_claims', `The token's claims are not valid: ${checked.problem}`);
    const scope = trusted && issuerScopeProblem(trusted, checked.actor);
    if (scope) throw unauthorized('invalid_claims', `The token's claims are not valid: ${scope}`);
    // lifetimeProblem has refused a token without `exp`.
    return { actor: checked.actor, expiresAtMs: (claims.exp as number) * 1000 };
  }

  private trustedIssuerOf(token: string): { readonly issuer: TrustedIssuer; readonly keys: IssuerKeys } {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch (error) {
      throw unauthorized('invalid_token', `The token is not valid: ${error instanceof Error ? error.message : 'not a JWT'}`);
    }
    const trusted = typeof iss === 'string' ? this.issuers.get(iss) : undefined;
    if (!trusted) throw unauthorized('invalid_token', `The token is not valid: issuer ${typeof iss === 'string' ? iss : '(none)'} is not trusted`);
    return trusted;
  }

  private refusal(error: unknown, token: string, issuer: TrustedIssuer | undefined): Error {
    if (error instanceof KeysUnavailable) {
      return new ServiceUnavailableException({ statusCode: 503, error: 'service_unavailable', message: error.message });
    }
    if (error instanceof AlgorithmNotAccepted) return unauthorized('invalid_token', 'The token is not valid: its algorithm is not accepted');
    if (error instanceof errors.JWKSNoMatchingKey) {
      return unauthorized('invalid_token', `The token is not valid: no key of issuer ${issuer?.issuer ?? ''} matches it`);
    }
    if (error instanceof TokenError) return this.tokenErrorRefusal(error, token);
    const detail = error instanceof Error ? error.message : 'verification failed';
    return unauthorized('invalid_token', `The token is not valid: ${detail}`);
  }

  /** fast-jwt's refusals, answered as jose's were. */
  private tokenErrorRefusal(error: TokenError, token: string): Error {
    const codes = TokenError.codes;
    switch (error.code) {
      case codes.invalidSignature:
      case codes.verifyError:
        return unauthorized('invalid_token', 'The token is not valid: invalid signature');
      case codes.invalidAlgorithm:
      case codes.missingSignature:
        // jose read the header's algorithm before the signature: an unsigned token (`alg: none`) is one
        // whose algorithm is not accepted, an accepted one without a signature has an invalid signature.
        return unauthorized('invalid_token', `The token is not valid: ${this.algorithmProblem(token) ?? 'invalid signature'}`);
      case codes.malformed:
      case codes.invalidPayload:
        return unauthorized('invalid_token', `The token is not valid: ${malformation(token)}`);
      case codes.expired:
        return unauthorized('expired_token', 'The token has expired');
      case codes.inactive:
      case codes.invalidClaimType:
      case codes.invalidClaimValue:
      case codes.missingRequiredClaim:
        return unauthorized('invalid_claims', `The token's claims are not valid: ${error.message}`);
      default:
        return unauthorized('invalid_token', `The token is not valid: ${error.message}`);
    }
  }

  /** What is wrong with the token's algorithm, if anything (read only for a refusal). */
  private algorithmProblem(token: string): string | undefined {
    try {
      acceptedAlgorithm(headerOf(token), this.algorithms);
      return undefined;
    } catch (error) {
      return error instanceof AlgorithmNotAccepted ? 'its algorithm is not accepted' : (error as Error).message;
    }
  }
}

class AlgorithmNotAccepted extends Error {}

/** The token's `alg`, if it is one of the algorithms accepted. */
function acceptedAlgorithm(header: JWSHeaderParameters, algorithms: readonly string[]): string {
  const { alg } = header;
  if (typeof alg !== 'string' || !alg) throw new Error('JWS "alg" (Algorithm) Header Parameter missing or invalid');
  if (!algorithms.includes(alg)) throw new AlgorithmNotAccepted();
  return alg;
}

/** The token's protected header, refused in jose's words. */
function headerOf(token: string): JWSHeaderParameters {
  try {
    return decodeProtectedHeader(token);
  } catch {
    throw new Error('JWS Protected Header is invalid');
  }
}

/** What makes a token fast-jwt could not decode malformed, in the words of jose's refusals (read only for a refusal). */
function malformation(token: string): string {
  if (token.split('.').length !== 3) return 'Invalid Compact JWS';
  try {
    headerOf(token);
  } catch (error) {
    return (error as Error).message;
  }
  return 'JWT Claims Set must be a top-level JSON object';
}

/** The compact token as jose's key sets take it. */
function flattened(token: string): FlattenedJWSInput {
  const [protectedHeader, payload, signature] = token.split('.');
  return { protected: protectedHeader, payload: payload ?? '', signature: signature ?? '' };
}

function keysOf(issuer: TrustedIssuer, options: Extract<ResolvedAuthOptions, { mode: 'issuers' }>): IssuerKeys {
  const checks = new KeySetChecks(options.algorithms);
  if (issuer.jwksUrl !== undefined) {
    const remote = createRemoteJWKSet(new URL(issuer.jwksUrl), { cacheMaxAge: options.jwksCacheMaxAgeMs, cooldownDuration: options.jwksCooldownMs });
    const keySet: KeySet = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new KeysUnavailable(`The keys of issuer ${issuer.issuer} are unavailable: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    return { keySet, checks };
  }
  const text = issuer.keyFile !== undefined ? readFileSync(issuer.keyFile, 'utf8') : (issuer.publicKey ?? '');
  return parseKey(text.trim(), issuer.issuer, options.algorithms, checks);
}

/** A PEM public key, a JWK or a JWKS. */
function parseKey(text: string, issuer: string, algorithms: readonly string[], checks: KeySetChecks): IssuerKeys {
  try {
    if (text.startsWith('-----BEGIN')) return { check: publicKeyCheckOf(createPublicKey(text), algorithms) };
    const json = JSON.parse(text) as { keys?: JWK[] } & JWK;
    return { keySet: createLocalJWKSet(json.keys ? { keys: json.keys } : { keys: [json] }), checks };
  } catch (error) {
    throw new Error(`Invalid configuration: the key of issuer ${issuer} is neither a PEM public key nor a JWK/JWKS (${(error as Error).message})`);
  }
}

function definedOnly(issuer: string | undefined, audience: string | undefined): ExpectedClaims {
  return { ...(issuer !== undefined && { issuer }), ...(audience !== undefined && { audience }) };
}
