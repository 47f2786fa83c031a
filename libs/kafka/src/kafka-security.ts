import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

/**
 * The settings of the connection to the brokers, from the environment (every
 * service reads the same ones, `ServiceConfig` validates them at start):
 *
 * - `KAFKA_SSL=true`: TLS to the brokers, verified against the system's CAs or `KAFKA_SSL_CA_FILE` (PEM).
 * - `KAFKA_SSL_CERT_FILE` and `KAFKA_SSL_KEY_FILE` (PEM, both): a client certificate, for brokers that require one.
 * - `KAFKA_SASL_MECHANISM=scram-sha-512|scram-sha-256|plain`, `KAFKA_SASL_USERNAME`, and
 *   `KAFKA_SASL_PASSWORD` or `KAFKA_SASL_PASSWORD_FILE` (a mounted secret; one trailing line break is dropped).
 *
 * Nothing set: PLAINTEXT, as the local broker of deploy/local.
 */
export interface KafkaSecurityEnv {
  readonly KAFKA_SSL?: string | boolean;
  readonly KAFKA_SSL_CA_FILE?: string;
  readonly KAFKA_SSL_CERT_FILE?: string;
  readonly KAFKA_SSL_KEY_FILE?: string;
  readonly KAFKA_SASL_MECHANISM?: string;
  readonly KAFKA_SASL_USERNAME?: string;
  readonly KAFKA_SASL_PASSWORD?: string;
  readonly KAFKA_SASL_PASSWORD_FILE?: string;
}

/** TLS and SASL of a kafkajs client (`createKafka({ brokers, clientId, ...security })`). */
export type KafkaSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

export type KafkaSecurityCheck = { readonly ok: true; readonly security: KafkaSecurity } | { readonly ok: false; readonly problems: readonly string[] };

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
type SaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/**
 * Reads and checks the connection settings, files included; every problem
 * names its setting (never a password). Used by `ServiceConfig` to refuse an
 * incomplete configuration at start, and by `kafkaSecurityFromEnv`.
 */
export function checkKafkaSecurity(env: KafkaSecurityEnv = process.env): KafkaSecurityCheck {
  const problems: string[] = [];
  const value = (name: keyof KafkaSecurityEnv): string | undefined => {
    const raw = env[name];
    if (raw === undefined) return undefined;
    const text = String(raw).trim();
    return text === '' ? undefined : text;
  };
  const readPem = (name: keyof KafkaSecurityEnv, pem: RegExp, what: string): string | undefined => {
    const path = value(name);
    if (path === undefined) return undefined;
    const text = readSetting(name, path, problems);
    if (text !== undefined && !pem.test(text)) problems.push(`${name}: ${path} holds no PEM ${what}`);
    return text;
  };

  const sslSetting = value('KAFKA_SSL')?.toLowerCase();
  const ssl = sslSetting !== undefined && TRUE.includes(sslSetting);
  if (sslSetting !== undefined && !ssl && !FALSE.includes(sslSetting)) problems.push('KAFKA_SSL must be true or false');
  const sslFiles = (['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const).filter((name) => value(name) !== undefined);
  if (!ssl) for (const name of sslFiles) problems.push(`${name} needs KAFKA_SSL=true`);
  if (value('KAFKA_SSL_CERT_FILE') !== undefined && value('KAFKA_SSL_KEY_FILE') === undefined)
    problems.push('KAFKA_SSL_KEY_FILE is required with KAFKA_SSL_CERT_FILE (the client certificate’s private key)');
  if (value('KAFKA_SSL_KEY_FILE') !== undefined && value('KAFKA_SSL_CERT_FILE') === undefined)
    problems.push('KAFKA_SSL_CERT_FILE is required with KAFKA_SSL_KEY_FILE (the client certificate)');
  const ca = ssl ? readPem('KAFKA_SSL_CA_FILE', /-----BEGIN CERTIFICATE-----/, 'certificate') : undefined;
  const cert = ssl ? readPem('KAFKA_SSL_CERT_FILE', /-----BEGIN CERTIFICATE-----/, 'certificate') : undefined;
  const key = ssl ? readPem('KAFKA_SSL_KEY_FILE', /-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'private key') : undefined;

  const sasl = checkSasl(value, ssl, problems);
  if (problems.length > 0) return { ok: false, problems };
  const tls = { ...(ca === undefined ? {} : { ca }), ...(cert === undefined ? {} : { cert }), ...(key === undefined ? {} : { key }) };
  return {
    ok: true,
    security: {
      ...(ssl ? { ssl: Object.keys(tls).length > 0 ? tls : true } : {}),
      ...(sasl === undefined ? {} : { sasl: withRedactedPassword(sasl) }),
    },
  };
}

function checkSasl(value: (name: keyof KafkaSecurityEnv) => string | undefined, ssl: boolean, problems: string[]): SASLOptions | undefined {
  const mechanism = value('KAFKA_SASL_MECHANISM')?.toLowerCase();
  const username = value('KAFKA_SASL_USERNAME');
  const password = value('KAFKA_SASL_PASSWORD');
  const passwordFile = value('KAFKA_SASL_PASSWORD_FILE');
  const choices = 'scram-sha-512, scram-sha-256 or plain';
  if (mechanism === undefined) {
    const given = (['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'] as const).filter((name) => value(name) !== undefined);
    if (given.length > 0) problems.push(`KAFKA_SASL_MECHANISM (${choices}) is required with ${given.join(', ')}`);
    return undefined;
  }
  const before = problems.length;
  if (!(KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism)) problems.push(`KAFKA_SASL_MECHANISM must be ${choices}`);
  else if (mechanism === 'plain' && !ssl) problems.push('KAFKA_SASL_MECHANISM=plain sends the password as it is: it needs KAFKA_SSL=true');
  if (username === undefined) problems.push('KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM');
  let secret = password;
  if (password !== undefined && passwordFile !== undefined) problems.push('KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE exclude each other: set one');
  else if (passwordFile !== undefined) {
    // A mounted secret often ends with a line break that is not part of the password.
    secret = readSetting('KAFKA_SASL_PASSWORD_FILE', passwordFile, problems)?.replace(/\r?\n$/, '');
    if (secret === '') problems.push(`KAFKA_SASL_PASSWORD_FILE: ${passwordFile} is empty`);
  } else if (password === undefined) problems.push('KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required with KAFKA_SASL_MECHANISM');
  if (problems.length > before || username === undefined || !secret) return undefined;
  return { mechanism: mechanism as SaslMechanism, username, password: secret };
}

function readSetting(name: string, path: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
}

/**
 * The connection settings of the environment; throws, naming every bad or
 * missing setting, when they are incomplete.
 */
export function kafkaSecurityFromEnv(env: KafkaSecurityEnv = process.env): KafkaSecurity {
  const checked = checkKafkaSecurity(env);
  if (!checked.ok) throw new Error(`Invalid configuration: ${checked.problems.join('; ')}`);
  return checked.security;
}

/** For a start-up line: what the connection uses, without the password, e.g. `TLS (CA from file), SASL scram-sha-512 as city`. */
export function describeKafkaSecurity(security: KafkaSecurity): string {
  const { ssl, sasl } = security;
  const tls = ssl
    ? `TLS${typeof ssl === 'object' && ssl.ca ? ' (CA from file)' : ''}${typeof ssl === 'object' && ssl.cert ? ' with a client certificate' : ''}`
    : 'no TLS';
  const auth = sasl ? `SASL ${sasl.mechanism}${'username' in sasl ? ` as ${sasl.username}` : ''}` : 'no SASL';
  return `${tls}, ${auth}`;
}

const REDACTED = '[redacted]';

/**
 * The SASL options with a password that neither JSON (pino, error reports) nor
 * util.inspect (console, Nest's logger) writes out. The guards are not
 * enumerable, so the options still cross to a producer thread (structured
 * clone), which guards its copy again (createKafka).
 */
export function withRedactedPassword<S extends object>(sasl: S): S {
  if (!('password' in sasl)) return sasl;
  const copy = { ...sasl };
  const shown = () => ({ ...copy, password: REDACTED });
  Object.defineProperty(copy, 'toJSON', { value: shown, enumerable: false });
  Object.defineProperty(copy, inspect.custom, { value: () => shown(), enumerable: false });
  return copy;
}
