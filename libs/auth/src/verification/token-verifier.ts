import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ServiceUnavailableException } from '@nestjs/common';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors,
  jwtVerify,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { type Actor, actorFromClaims } from '../actor';
import type { ResolvedAuthOptions } from '../auth-options';
import { unauthorized } from '../guard/unauthorized';
import { lifetimeProblem } from './token-lifetime';
import { issuerScopeProblem, type TrustedIssuer } from './trusted-issuers';

type Key = KeyObject | JWTVerifyGetKey;

/** The keys of a trusted issuer could not be fetched: the service cannot verify, the client is not at fault. */
class KeysUnavailable extends Error {}

/** Distinct verified tokens remembered at once (a few hundred bytes each); the oldest is forgotten first. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * Verifies bearer tokens with `jose`: the signature (HS256 shared secret in the
 * embedded mode; the issuer's public keys otherwise, RS256/ES256/EdDSA, from a
 * JWKS URL with cache and refresh, or a key), issuer, audience, expiry, the
 * lifetime cap and `iat` skew, the shape of the claims and, for trusted issuers,
 * that the issuer may sign for the token's department. Refusals are 401 with a reason.
 * A verified token is reused until it expires or `verifiedTokenTtlMs` has passed.
 */
export class TokenVerifier {
  private readonly secret?: KeyObject;
  private readonly issuers = new Map<string, { readonly issuer: TrustedIssuer; readonly key: Key }>();
  /** Tokens verified lately, by their exact text, with the actor and until when it may be reused. */
  private readonly verified = new Map<string, { readonly actor: Actor; readonly untilMs: number }>();

  constructor(
    private readonly options: ResolvedAuthOptions,
    private readonly now: () => number = Date.now,
  ) {
    if (options.mode === 'shared-secret') {
      // A KeyObject made once: jose caches the imported key per object.
      this.secret = createSecretKey(Buffer.from(options.secret, 'utf8'));
    } else {
      for (const issuer of options.issuers) this.issuers.set(issuer.issuer, { issuer, key: keyOf(issuer, options) });
    }
  }

  async verify(token: string): Promise<Actor> {
    const now = this.now();
    const cached = this.verified.get(token);
    if (cached !== undefined && now < cached.untilMs) return cached.actor;
    if (cached !== undefined) this.verified.delete(token);
    const { actor, expiresAtMs } = await this.verifyFully(token);
    if (this.options.verifiedTokenTtlMs === 0) return actor;
    if (this.verified.size >= VERIFIED_TOKEN_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { actor, untilMs: Math.min(expiresAtMs, now + this.options.verifiedTokenTtlMs) });
    return actor;
  }

  private async verifyFully(token: string): Promise<{ actor: Actor; expiresAtMs: number }> {
    const { key, expected, trusted } = this.verificationOf(token);
    let payload: JWTPayload;
    try {
      payload = (await jwtVerify(token, key as KeyObject, { ...expected, currentDate: new Date(this.now()) })).payload;
    } catch (error) {
      throw this.refusal(error, trusted);
    }
    const problem = lifetimeProblem(payload, Math.floor(this.now() / 1000), this.options);
    if (problem) throw unauthorized('invalid_claims', `The token's claims are not valid: ${problem}`);
    const checked = actorFromClaims(payload);
    if (!checked.ok) throw unauthorized('invalid_claims', `The token's claims are not valid: ${checked.problem}`);
    const scope = trusted && issuerScopeProblem(trusted, checked.actor);
    if (scope) throw unauthorized('invalid_claims', `The token's claims are not valid: ${scope}`);
    // lifetimeProblem has refused a token without `exp`.
    return { actor: checked.actor, expiresAtMs: (payload.exp ?? 0) * 1000 };
  }

  /** The key and expected claims: the shared secret's, or those of the token's trusted issuer. */
  private verificationOf(token: string): { key: Key; expected: JWTVerifyOptions; trusted?: TrustedIssuer } {
    const options = this.options;
    if (options.mode === 'shared-secret') {
      return { key: this.secret as KeyObject, expected: { algorithms: ['HS256'], ...definedOnly(options.issuer, options.audience) } };
    }
    const { issuer, key } = this.trustedIssuerOf(token);
    return { key, expected: { algorithms: [...options.algorithms], issuer: issuer.issuer, audience: options.audience }, trusted: issuer };
  }

  private trustedIssuerOf(token: string): { readonly issuer: TrustedIssuer; readonly key: Key } {
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

  private refusal(error: unknown, issuer: TrustedIssuer | undefined): Error {
    if (error instanceof KeysUnavailable) {
      return new ServiceUnavailableException({ statusCode: 503, error: 'service_unavailable', message: error.message });
    }
    if (error instanceof errors.JWTExpired) return unauthorized('expired_token', 'The token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) return unauthorized('invalid_claims', `The token's claims are not valid: ${error.message}`);
    if (error instanceof errors.JWSSignatureVerificationFailed) return unauthorized('invalid_token', 'The token is not valid: invalid signature');
    if (error instanceof errors.JWKSNoMatchingKey) {
      return unauthorized('invalid_token', `The token is not valid: no key of issuer ${issuer?.issuer ?? ''} matches it`);
    }
    if (error instanceof errors.JOSEAlgNotAllowed) return unauthorized('invalid_token', 'The token is not valid: its algorithm is not accepted');
    const detail = error instanceof Error ? error.message : 'verification failed';
    return unauthorized('invalid_token', `The token is not valid: ${detail}`);
  }
}

function keyOf(issuer: TrustedIssuer, options: Extract<ResolvedAuthOptions, { mode: 'issuers' }>): Key {
  if (issuer.jwksUrl !== undefined) {
    const remote = createRemoteJWKSet(new URL(issuer.jwksUrl), { cacheMaxAge: options.jwksCacheMaxAgeMs, cooldownDuration: options.jwksCooldownMs });
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new KeysUnavailable(`The keys of issuer ${issuer.issuer} are unavailable: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
  }
  const text = issuer.keyFile !== undefined ? readFileSync(issuer.keyFile, 'utf8') : (issuer.publicKey ?? '');
  return parseKey(text.trim(), issuer.issuer);
}

/** A PEM public key, a JWK or a JWKS. */
function parseKey(text: string, issuer: string): Key {
  try {
    if (text.startsWith('-----BEGIN')) return createPublicKey(text);
    const json = JSON.parse(text) as { keys?: JWK[] } & JWK;
    return createLocalJWKSet(json.keys ? { keys: json.keys } : { keys: [json] });
  } catch (error) {
    throw new Error(`Invalid configuration: the key of issuer ${issuer} is neither a PEM public key nor a JWK/JWKS (${(error as Error).message})`);
  }
}

function definedOnly(issuer: string | undefined, audience: string | undefined): { issuer?: string; audience?: string } {
  return { ...(issuer !== undefined && { issuer }), ...(audience !== undefined && { audience }) };
}
