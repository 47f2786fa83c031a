/** How long a token may live and how far clocks may disagree. */
export interface LifetimePolicy {
  /** Longest accepted `exp - iat` (or `exp - now` without `iat`), in seconds. */
  readonly maxLifetimeSeconds: number;
  /** How far in the future `iat` may lie (clocks of issuer and service disagree), in seconds. */
  readonly clockSkewSeconds: number;
}

/** Twelve hours: a working day; a longer session signs in again. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

/**
 * Checks the time claims of a token whose signature is already verified: it must
 * expire (`exp`), not live longer than the policy allows, and not be issued in
 * the future beyond the clock skew. Returns the problem, or undefined. Expiry
 * itself (`exp` in the past) is the verifier's `expired_token`.
 */
export function lifetimeProblem(claims: Readonly<Record<string, unknown>>, nowSeconds: number, policy: LifetimePolicy): string | undefined {
  const { exp, iat } = claims;
  if (exp === undefined) return 'exp is required (every token must expire)';
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'exp must be a number of seconds';
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) return 'iat must be a number of seconds';
  if (iat !== undefined && iat > nowSeconds + policy.clockSkewSeconds) {
    return `iat lies ${Math.round(iat - nowSeconds)} s in the future; at most ${policy.clockSkewSeconds} s of clock skew is allowed`;
  }
  const lifetime = exp - Math.min(iat ?? nowSeconds, nowSeconds);
  if (lifetime > policy.maxLifetimeSeconds) {
    return `the token lives ${Math.round(lifetime)} s; at most ${policy.maxLifetimeSeconds} s is allowed`;
  }
  return undefined;
}
