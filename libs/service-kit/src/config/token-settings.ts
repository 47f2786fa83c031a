import { type AuthModuleOptions, parseTrustedIssuers } from '@city/auth';
import { type ValidationArguments, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { definedOnly } from '../defined-only';

/** The settings of token verification, as `ServiceConfig` declares them. */
export interface TokenSettings {
  NODE_ENV?: string;
  JWT_SECRET?: string;
  JWT_ISSUERS?: string;
  JWT_AUDIENCE?: string;
  JWT_MAX_LIFETIME_SECONDS: number;
  JWT_CLOCK_SKEW_SECONDS: number;
  JWT_JWKS_CACHE_SECONDS: number;
  JWT_VERIFIED_TOKEN_SECONDS: number;
}

/** A deployed service: NODE_ENV=production (docker-compose, Kubernetes). */
export const isDeployed = (settings: Pick<TokenSettings, 'NODE_ENV'>): boolean => settings.NODE_ENV === 'production';

/**
 * JWT_SECRET is the shared secret of the embedded mode (`npm start` signs its own
 * sample tokens) and of local runs; a deployed service verifies tokens against
 * its issuers' public keys, and refuses to start with a shared secret.
 */
@ValidatorConstraint({ name: 'sharedSecretOutsideDeployment' })
export class SharedSecretOutsideDeployment implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    const settings = args.object as TokenSettings;
    return !isDeployed(settings) && settings.JWT_ISSUERS === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    const settings = args.object as TokenSettings;
    if (settings.JWT_ISSUERS !== undefined) return 'JWT_SECRET and JWT_ISSUERS exclude each other: set one way to verify tokens';
    return 'JWT_SECRET (the shared secret of npm start and local runs) is refused when NODE_ENV=production: a deployed service verifies tokens against its issuers’ public keys (JWT_ISSUERS, JWT_AUDIENCE)';
  }
}

/** JWT_ISSUERS: a JSON array of trusted issuers (see `parseTrustedIssuers` of @city/auth). */
@ValidatorConstraint({ name: 'trustedIssuers' })
export class TrustedIssuersSetting implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown): boolean {
    if (typeof value !== 'string') {
      this.problem = 'JWT_ISSUERS is required when NODE_ENV=production';
      return false;
    }
    const checked = parseTrustedIssuers(value);
    this.problem = checked.ok ? '' : checked.problem;
    return checked.ok;
  }

  defaultMessage(): string {
    return this.problem;
  }
}

/** The token settings as the AuthModule options of `createServiceApp`. */
export function authOptionsOf(settings: TokenSettings): AuthModuleOptions {
  const lifetime = {
    maxLifetimeSeconds: settings.JWT_MAX_LIFETIME_SECONDS,
    clockSkewSeconds: settings.JWT_CLOCK_SKEW_SECONDS,
    verifiedTokenTtlMs: settings.JWT_VERIFIED_TOKEN_SECONDS * 1000,
  };
  if (settings.JWT_ISSUERS !== undefined) {
    const checked = parseTrustedIssuers(settings.JWT_ISSUERS);
    if (!checked.ok) throw new Error(`Invalid configuration: ${checked.problem}`);
    return {
      issuers: checked.issuers,
      ...definedOnly({ audience: settings.JWT_AUDIENCE }),
      jwksCacheMaxAgeMs: settings.JWT_JWKS_CACHE_SECONDS * 1000,
      ...lifetime,
    };
  }
  return { ...definedOnly({ secret: settings.JWT_SECRET }), ...lifetime };
}
