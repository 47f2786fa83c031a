import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { checkKafkaSecurity, describeKafkaSecurity, kafkaSecurityFromEnv, type KafkaSecurityEnv } from './kafka-security';
import { createKafka, kafkaSettingsOf } from './kafka-client';

const PASSWORD = 'pa55-word-never-logged';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

let dir: string;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const problemsOf = (env: KafkaSecurityEnv) => {
  const checked = checkKafkaSecurity(env);
  return checked.ok ? [] : checked.problems;
};

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kafka-security-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Kafka connection settings from the environment', () => {
  it('is PLAINTEXT without settings (empty values count as unset)', () => {
    expect(kafkaSecurityFromEnv({})).toEqual({});
    expect(kafkaSecurityFromEnv({ KAFKA_SSL: 'false', KAFKA_SASL_MECHANISM: ' ', KAFKA_SASL_USERNAME: '' })).toEqual({});
  });

  it('reads SCRAM-SHA-512 and SCRAM-SHA-256 with a password or a password file (its trailing line break dropped)', () => {
    expect(kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'canvass', KAFKA_SASL_PASSWORD: PASSWORD })).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'canvass', password: PASSWORD },
    });
    const passwordFile = file('password', `${PASSWORD}\n`);
    expect(kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'canvass', KAFKA_SASL_PASSWORD_FILE: passwordFile })).toEqual({
      sasl: { mechanism: 'scram-sha-256', username: 'canvass', password: PASSWORD },
    });
  });

  it('reads TLS with a CA and a client certificate, and PLAIN over TLS', () => {
    const security = kafkaSecurityFromEnv({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: file('ca.pem', CERT),
      KAFKA_SSL_CERT_FILE: file('client.pem', CERT),
      KAFKA_SSL_KEY_FILE: file('client.key', KEY),
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'ops',
      KAFKA_SASL_PASSWORD: PASSWORD,
    });
    expect(security).toEqual({ ssl: { ca: CERT, cert: CERT, key: KEY }, sasl: { mechanism: 'plain', username: 'ops', password: PASSWORD } });
    expect(kafkaSecurityFromEnv({ KAFKA_SSL: true })).toEqual({ ssl: true });
    expect(describeKafkaSecurity(security)).toBe('TLS (CA from file) with a client certificate, SASL plain as ops');
  });

  it('refuses an incomplete configuration, naming each setting', () => {
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toEqual([
      'KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM',
      'KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required with KAFKA_SASL_MECHANISM',
    ]);
    expect(problemsOf({ KAFKA_SASL_USERNAME: 'canvass', KAFKA_SASL_PASSWORD: PASSWORD })).toEqual([
      'KAFKA_SASL_MECHANISM (scram-sha-512, scram-sha-256 or plain) is required with KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD',
    ]);
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD })).toEqual([
      'KAFKA_SASL_MECHANISM must be scram-sha-512, scram-sha-256 or plain',
    ]);
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD })).toEqual([
      'KAFKA_SASL_MECHANISM=plain sends the password as it is: it needs KAFKA_SSL=true',
    ]);
    expect(
      problemsOf({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD, KAFKA_SASL_PASSWORD_FILE: '/x' }),
    ).toEqual(['KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE exclude each other: set one']);
    expect(problemsOf({ KAFKA_SSL: 'maybe' })).toEqual(['KAFKA_SSL must be true or false']);
    expect(problemsOf({ KAFKA_SSL_CA_FILE: '/etc/ca.pem' })).toEqual(['KAFKA_SSL_CA_FILE needs KAFKA_SSL=true']);
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: file('only-cert.pem', CERT) })).toEqual([
      'KAFKA_SSL_KEY_FILE is required with KAFKA_SSL_CERT_FILE (the client certificate’s private key)',
    ]);
  });

  it('refuses files that cannot be read, are empty or hold no PEM', () => {
    const missing = join(dir, 'missing');
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: missing })).toEqual([
      `KAFKA_SASL_PASSWORD_FILE: cannot read ${missing} (ENOENT)`,
    ]);
    const empty = file('empty', '\n');
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: empty })).toEqual([
      `KAFKA_SASL_PASSWORD_FILE: ${empty} is empty`,
    ]);
    const notPem = file('not.pem', 'hello');
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: notPem })).toEqual([`KAFKA_SSL_CA_FILE: ${notPem} holds no PEM certificate`]);
    expect(() => kafkaSecurityFromEnv({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: notPem })).toThrow(/^Invalid configuration: KAFKA_SSL_CA_FILE/);
  });

  it('never shows the password: not in problems, JSON, util.inspect, or the settings of a client', () => {
    const env = { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD };
    const security = kafkaSecurityFromEnv(env);
    expect(JSON.stringify(security)).not.toContain(PASSWORD);
    expect(JSON.stringify(security)).toContain('[redacted]');
    expect(inspect(security, { depth: 5 })).not.toContain(PASSWORD);
    expect(problemsOf({ ...env, KAFKA_SASL_MECHANISM: 'nope', KAFKA_SASL_PASSWORD_FILE: '/x' }).join(' ')).not.toContain(PASSWORD);
    // A client made from a structured clone (a producer thread's copy) guards its password again.
    const kafka = createKafka({ brokers: ['127.0.0.1:1'], clientId: 'unit', ...structuredClone(security) });
    const settings = kafkaSettingsOf(kafka);
    expect(settings?.sasl).toMatchObject({ password: PASSWORD });
    expect(inspect(kafka, { depth: 8 })).not.toContain(PASSWORD);
  });
});
