export interface AuthModuleOptions {
  /** HS256 shared secret; defaults to env JWT_SECRET. Ignored when `publicKey` is given. */
  readonly secret?: string;
  /** PEM public key: tokens are then verified as RS256. */
  readonly publicKey?: string;
  /** Expected `iss` claim, if any. */
  readonly issuer?: string;
  /** Expected `aud` claim, if any. */
  readonly audience?: string;
}

/** Options after defaults: exactly one way to verify tokens. */
export interface ResolvedAuthOptions {
  readonly algorithm: 'HS256' | 'RS256';
  /** The HS256 secret or the RS256 public key. */
  readonly key: string;
  readonly issuer?: string;
  readonly audience?: string;
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

/** Shortest HS256 secret accepted: 256 bits, as RFC 7518 §3.2 requires. */
export const MIN_SECRET_LENGTH = 32;

export function resolveAuthOptions(options: AuthModuleOptions, env: NodeJS.ProcessEnv = process.env): ResolvedAuthOptions {
  const common = { issuer: options.issuer, audience: options.audience };
  if (options.publicKey) return { algorithm: 'RS256', key: options.publicKey, ...common };
  const secret = options.secret ?? env.JWT_SECRET;
  if (!secret) throw new Error('Invalid configuration: JWT_SECRET is required (or pass secret/publicKey to AuthModule.forRoot)');
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`Invalid configuration: JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return { algorithm: 'HS256', key: secret, ...common };
}
