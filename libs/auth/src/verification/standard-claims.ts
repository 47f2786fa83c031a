/** What the registered claims of a token must say: the issuer and audience expected, if any. */
export interface ExpectedClaims {
  readonly issuer?: string;
  readonly audience?: string;
}

/** Why a token's registered claims refuse it: expired, or a claim that is missing, of the wrong type or unexpected. */
export interface ClaimsRefusal {
  readonly reason: 'expired_token' | 'invalid_claims';
  readonly problem: string;
}

/**
 * Checks the registered claims of a token whose signature is verified (RFC 7519 §4.1): `iss` and
 * `aud` as expected, `iat`, `nbf` and `exp` numbers, `nbf` reached and `exp` not, at `nowSeconds`
 * (the verifier's clock, which tests move; fast-jwt reads its clock once, when the verifier is made).
 * The rules, their order and their wording are those of jose's `jwtVerify`, which checked them
 * before, so refusals read as they did. Returns the refusal, or undefined.
 */
export function standardClaimsRefusal(claims: Readonly<Record<string, unknown>>, expected: ExpectedClaims, nowSeconds: number): ClaimsRefusal | undefined {
  const { issuer, audience } = expected;
  if (issuer !== undefined && !Object.hasOwn(claims, 'iss')) return invalid('missing required "iss" claim');
  if (audience !== undefined && !Object.hasOwn(claims, 'aud')) return invalid('missing required "aud" claim');
  if (issuer !== undefined && claims.iss !== issuer) return invalid('unexpected "iss" claim value');
  if (audience !== undefined && !names(claims.aud, audience)) return invalid('unexpected "aud" claim value');
  const { iat, nbf, exp } = claims;
  if (iat !== undefined && typeof iat !== 'number') return invalid('"iat" claim must be a number');
  if (nbf !== undefined && typeof nbf !== 'number') return invalid('"nbf" claim must be a number');
  if (typeof nbf === 'number' && nbf > nowSeconds) return invalid('"nbf" claim timestamp check failed');
  if (exp !== undefined && typeof exp !== 'number') return invalid('"exp" claim must be a number');
  if (typeof exp === 'number' && exp <= nowSeconds) return { reason: 'expired_token', problem: '"exp" claim timestamp check failed' };
  return undefined;
}

/** `aud` is one audience or a list of them (RFC 7519 §4.1.3). */
function names(aud: unknown, audience: string): boolean {
  return typeof aud === 'string' ? aud === audience : Array.isArray(aud) && aud.includes(audience);
}

function invalid(problem: string): ClaimsRefusal {
  return { reason: 'invalid_claims', problem };
}
