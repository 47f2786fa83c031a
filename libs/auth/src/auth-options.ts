import { DEFAULT_CLOCK_SKEW_SECONDS, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, type LifetimePolicy } from './verification/token-lifetime';
import { checkTrustedIssuers, type TrustedIssuer } from './verification/trusted-issuers';

/** Algorithms of the issuers' public keys (ARCHITECTURE.md decision 13). */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export interface AuthModuleOptions {
  /**
   * HS256 shared secret: the embedded city (`npm start`, which signs its own sample
   * tokens) and local runs and tests only; defaults to env JWT_SECRET when no
   * `issuers` are given. A deployed service's configuration refuses it.
   */
  readonly secret?: string;
  /** The identity providers whose tokens are accepted, verified against their public keys. */
  readonly issuers?: readonly TrustedIssuer[];
  /** Expected `iss` of shared-secret tokens, if any (issuers name their own). */
  readonly issuer?: string;
  /** Expected `aud` claim; required with `issuers`. */
  readonly audience?: string;
  /** Accepted signature algorithms of the issuers' keys (default RS256, ES256, EdDSA). */
  readonly algorithms?: readonly AsymmetricAlgorithm[];
  /** Longest accepted token lifetime in seconds (default 12 h). */
  readonly maxLifetimeSeconds?: number;
  /** How far in the future `iat` may lie, in seconds (default 60). */
  readonly clockSkewSeconds?: number;
  /** How long fetched JWKS keys are trusted before they are fetched again, in ms (default 10 min). */
  readonly jwksCacheMaxAgeMs?: number;
  /** Shortest time between two JWKS fetches, e.g. for a token with an unknown key id, in ms (default 30 s). */
  readonly jwksCooldownMs?: number;
  /**
   * How long a verified token is reused without checking its signature again, in ms (default 60 s;
   * 0 verifies every request). Expiry is checked on every request all the same.
   */
  readonly verifiedTokenTtlMs?: number;
}

/** Options after defaults: exactly one way to verify tokens. */
export type ResolvedAuthOptions = LifetimePolicy & { readonly verifiedTokenTtlMs: number } & (
    | { readonly mode: 'shared-secret'; readonly secret: string; readonly issuer?: string; readonly audience?: string }
    | {
        readonly mode: 'issuers';
        readonly issuers: readonly TrustedIssuer[];
        readonly audience: string;
        readonly algorithms: readonly AsymmetricAlgorithm[];
        readonly jwksCacheMaxAgeMs: number;
        readonly jwksCooldownMs: number;
      }
  );

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

/**
 * A client sends the same token with every request, and verifying it (WebCrypto under jose, then)
 * cost a fifth of a service's CPU per command; on node:crypto (fast-jwt) it is a tenth of that, and
 * reusing it still saves a signature check per request. The price of reusing it: a key withdrawn
 * from an issuer's JWKS stops the tokens it signed up to this much later.
 */
export const DEFAULT_VERIFIED_TOKEN_TTL_MS = 60_000;

/** Shortest HS256 secret accepted: 256 bits, as RFC 7518 §3.2 requires. */
export const MIN_SECRET_LENGTH = 32;

export function resolveAuthOptions(options: AuthModuleOptions, env: NodeJS.ProcessEnv = process.env): ResolvedAuthOptions {
  const lifetime: LifetimePolicy = {
    maxLifetimeSeconds: positive(options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, 'maxLifetimeSeconds'),
    clockSkewSeconds: positive(options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS, 'clockSkewSeconds', true),
  };
  const verifiedTokenTtlMs = positive(options.verifiedTokenTtlMs ?? DEFAULT_VERIFIED_TOKEN_TTL_MS, 'verifiedTokenTtlMs', true);
  if (options.issuers !== undefined) {
    if (options.secret !== undefined) throw invalid('give either a shared secret or trusted issuers, not both');
    const checked = checkTrustedIssuers(options.issuers);
    if (!checked.ok) throw invalid(checked.problem);
    if (!options.audience) throw invalid('JWT_AUDIENCE (the audience tokens must name) is required with JWT_ISSUERS');
    return {
      mode: 'issuers',
      issuers: checked.issuers,
      audience: options.audience,
      algorithms: options.algorithms ?? ASYMMETRIC_ALGORITHMS,
      jwksCacheMaxAgeMs: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
      jwksCooldownMs: options.jwksCooldownMs ?? 30_000,
      verifiedTokenTtlMs,
      ...lifetime,
    };
  }
  const secret = options.secret ?? env.JWT_SECRET;
  if (!secret) throw invalid('JWT_SECRET is required (or pass secret/issuers to AuthModule.forRoot)');
  if (secret.length < MIN_SECRET_LENGTH) throw invalid(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  return { mode: 'shared-secret', secret, ...defined({ issuer: options.issuer, audience: options.audience }), verifiedTokenTtlMs, ...lifetime };
}

function positive(value: number, name: string, zeroAllowed = false): number {
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1)) throw invalid(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer`);
  return value;
}

function invalid(problem: string): Error {
  return new Error(`Invalid configuration: ${problem}`);
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
