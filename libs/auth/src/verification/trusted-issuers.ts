import { type Actor, DEPARTMENTS, type Department } from '../access/actor';

/**
 * An identity provider whose tokens a service accepts (ARCHITECTURE.md decision 13).
 * Its public keys come from exactly one of `jwksUrl` (fetched, cached and refreshed,
 * so a rotated key is picked up without a restart), `keyFile` or `publicKey`.
 *
 * `department` binds the issuer to one department: its keys sign only tokens whose
 * `department` claim names that department, so no department holds a key that can
 * sign another department's tokens. An issuer without `department` is the city's
 * identity provider: it signs only tokens without a `department` claim (city
 * center, district staff, field officials of no department).
 */
export interface TrustedIssuer {
  /** The `iss` claim of its tokens. */
  readonly issuer: string;
  /** JWKS URL of its public keys. */
  readonly jwksUrl?: string;
  /** File holding its public key: PEM (SPKI), a JWK or a JWKS. Read at start-up. */
  readonly keyFile?: string;
  /** Its public key itself: PEM (SPKI), or a JWK / JWKS as JSON text. */
  readonly publicKey?: string;
  /** The only department whose tokens it signs. */
  readonly department?: Department;
}

export type IssuersCheck = { readonly ok: true; readonly issuers: readonly TrustedIssuer[] } | { readonly ok: false; readonly problem: string };

const KEYS = ['issuer', 'jwksUrl', 'keyFile', 'publicKey', 'department'];

/**
 * Reads the trusted issuers of the configuration (`JWT_ISSUERS`), a JSON array:
 * `[{"issuer":"https://id.city.example/canvass","department":"canvass","jwksUrl":"https://id.city.example/canvass/jwks.json"},
 *   {"issuer":"https://id.city.example","keyFile":"/etc/city/idp.pem"}]`.
 */
export function parseTrustedIssuers(text: string): IssuersCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('JWT_ISSUERS must be a JSON array of issuers');
  }
  return checkTrustedIssuers(value);
}

export function checkTrustedIssuers(value: unknown): IssuersCheck {
  if (!Array.isArray(value) || value.length === 0) return fail('JWT_ISSUERS must be a non-empty JSON array of issuers');
  const seen = new Set<string>();
  const issuers: TrustedIssuer[] = [];
  for (const [index, entry] of value.entries()) {
    const at = `JWT_ISSUERS[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return fail(`${at} must be an object`);
    const e = entry as Record<string, unknown>;
    const unknown = Object.keys(e).find((k) => !KEYS.includes(k));
    if (unknown) return fail(`${at}.${unknown} is not a setting (allowed: ${KEYS.join(', ')})`);
    if (typeof e.issuer !== 'string' || e.issuer.trim() === '') return fail(`${at}.issuer is required`);
    if (seen.has(e.issuer)) return fail(`${at}.issuer ${e.issuer} is listed twice`);
    seen.add(e.issuer);
    const sources = (['jwksUrl', 'keyFile', 'publicKey'] as const).filter((k) => e[k] !== undefined);
    if (sources.length !== 1) return fail(`${at} needs exactly one of jwksUrl, keyFile, publicKey`);
    for (const k of sources) if (typeof e[k] !== 'string' || (e[k] as string).trim() === '') return fail(`${at}.${k} must be a non-empty string`);
    if (e.jwksUrl !== undefined && !/^https?:\/\/\S+$/.test(e.jwksUrl as string)) return fail(`${at}.jwksUrl must be an http(s) URL`);
    if (e.department !== undefined && !(DEPARTMENTS as readonly unknown[]).includes(e.department)) {
      return fail(`${at}.department must be one of ${DEPARTMENTS.join(', ')}`);
    }
    issuers.push(e as unknown as TrustedIssuer);
  }
  return { ok: true, issuers };
}

/** Why `issuer` may not sign a token for `actor`, or undefined when it may. */
export function issuerScopeProblem(issuer: TrustedIssuer, actor: Actor): string | undefined {
  if (issuer.department !== undefined && actor.department !== issuer.department) {
    return `issuer ${issuer.issuer} signs only tokens of department ${issuer.department}`;
  }
  if (issuer.department === undefined && actor.department !== undefined) {
    return `issuer ${issuer.issuer} may not sign tokens of department ${actor.department}`;
  }
  return undefined;
}

function fail(problem: string): IssuersCheck {
  return { ok: false, problem };
}
