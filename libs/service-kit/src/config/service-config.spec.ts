import { IsString } from 'class-validator';
import { ConfigurationError, loadConfig } from '@city/observability';
import { DepartmentConfig, departmentOptionsOf, ServiceConfig, serviceOptionsOf } from './service-config';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dept', JWT_SECRET: 'x'.repeat(32) };

class TestDepartmentConfig extends DepartmentConfig {
  override PORT = 3101;
  @IsString() OWN_SETTING = 'default';
}

describe('service configuration', () => {
  it('lets a service extend the base fields and change a default', () => {
    const config = loadConfig(TestDepartmentConfig, { ...base, HOST: '127.0.0.1', OWN_SETTING: 'mine' });
    expect(config.PORT).toBe(3101);
    expect(config.OWN_SETTING).toBe('mine');
    expect(serviceOptionsOf(config)).toEqual({
      port: 3101,
      host: '127.0.0.1',
      databaseUrl: base.DATABASE_URL,
      kafkaBrokers: ['127.0.0.1:9092'],
      kafkaSecurity: {},
      auth: { secret: base.JWT_SECRET, maxLifetimeSeconds: 43200, clockSkewSeconds: 60, verifiedTokenTtlMs: 60_000 },
      httpAdapter: 'fastify',
      shutdownTimeoutMs: 25_000,
      rateLimit: { perMinute: 1200, anonymousPerMinute: 1200 },
    });
    expect(departmentOptionsOf(config)).toMatchObject({ relayProducerThreads: 2 });
    expect(departmentOptionsOf(config)).not.toHaveProperty('eventStoreDbConnectionString');
  });

  it('validates the base fields in every service', () => {
    expect(() => loadConfig(ServiceConfig, { ...base, KAFKA_BROKERS: 'nope' })).toThrow(/KAFKA_BROKERS must be host:port/);
    expect(() => loadConfig(ServiceConfig, { JWT_SECRET: base.JWT_SECRET })).toThrow(ConfigurationError);
    expect(loadConfig(ServiceConfig, { ...base, PORT: '4000', KAFKA_BROKERS: 'a:1,b:2' })).toMatchObject({ PORT: 4000, KAFKA_BROKERS: 'a:1,b:2' });
    expect(() => loadConfig(ServiceConfig, { ...base, HTTP_ADAPTER: 'koa' })).toThrow(/HTTP_ADAPTER/);
    expect(serviceOptionsOf(loadConfig(ServiceConfig, { ...base, HTTP_ADAPTER: 'express' })).httpAdapter).toBe('express');
  });

  it('reads Kafka TLS and SASL for every client of the service, and refuses an incomplete set at start, naming the settings', () => {
    const sasl = { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'canvass', KAFKA_SASL_PASSWORD: 'a-secret-password' };
    expect(serviceOptionsOf(loadConfig(ServiceConfig, { ...base, ...sasl, KAFKA_SSL: 'true' })).kafkaSecurity).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'canvass', password: 'a-secret-password' },
    });
    expect(departmentOptionsOf(loadConfig(DepartmentConfig, { ...base, ...sasl })).kafkaSecurity).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'canvass', password: 'a-secret-password' },
    });
    expect(() => loadConfig(ServiceConfig, { ...base, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'canvass' })).toThrow(
      'Invalid configuration: KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required with KAFKA_SASL_MECHANISM',
    );
    expect(() => loadConfig(ServiceConfig, { ...base, KAFKA_SASL_PASSWORD: 'a-secret-password' })).toThrow(
      /KAFKA_SASL_MECHANISM \(scram-sha-512, scram-sha-256 or plain\) is required with KAFKA_SASL_PASSWORD/,
    );
    expect(() => loadConfig(ServiceConfig, { ...base, KAFKA_SSL: 'maybe' })).toThrow(/KAFKA_SSL must be true or false/);
    const refused = (() => {
      try {
        loadConfig(ServiceConfig, { ...base, ...sasl, KAFKA_SASL_MECHANISM: 'plain' });
      } catch (error) {
        return String(error);
      }
      return '';
    })();
    expect(refused).toContain('KAFKA_SASL_MECHANISM=plain sends the password as it is: it needs KAFKA_SSL=true');
    expect(refused).not.toContain('a-secret-password');
  });

  it('bounds shutdown by SHUTDOWN_TIMEOUT_MS, at least a second', () => {
    expect(serviceOptionsOf(loadConfig(ServiceConfig, { ...base, SHUTDOWN_TIMEOUT_MS: '8000' })).shutdownTimeoutMs).toBe(8000);
    expect(() => loadConfig(ServiceConfig, { ...base, SHUTDOWN_TIMEOUT_MS: '10' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });

  it('moves /metrics and /docs to MANAGEMENT_PORT when it is set, a port apart from PORT', () => {
    expect(serviceOptionsOf(loadConfig(ServiceConfig, base))).not.toHaveProperty('managementPort');
    expect(serviceOptionsOf(loadConfig(ServiceConfig, { ...base, MANAGEMENT_PORT: '9464', MANAGEMENT_HOST: '10.0.0.7' }))).toMatchObject({
      port: 3000,
      managementPort: 9464,
      managementHost: '10.0.0.7',
    });
    expect(() => loadConfig(ServiceConfig, { ...base, PORT: '9464', MANAGEMENT_PORT: '9464' })).toThrow(/MANAGEMENT_PORT must differ from PORT/);
    expect(() => loadConfig(ServiceConfig, { ...base, MANAGEMENT_PORT: '70000' })).toThrow(/MANAGEMENT_PORT/);
  });

  it('limits commands per token subject and per address without a token, 0 turning a limit off', () => {
    const config = loadConfig(DepartmentConfig, { ...base, RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '300' });
    expect(departmentOptionsOf(config).rateLimit).toEqual({ perMinute: 0, anonymousPerMinute: 300 });
    expect(() => loadConfig(ServiceConfig, { ...base, RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });

  it('passes the EventStoreDB connection string only when EventStoreDB is chosen', () => {
    const config = loadConfig(DepartmentConfig, { ...base, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://kurrentdb:2113?tls=false' });
    expect(departmentOptionsOf(config).eventStoreDbConnectionString).toBe('esdb://kurrentdb:2113?tls=false');
  });

  describe('token verification settings', () => {
    const issuers = JSON.stringify([
      { issuer: 'https://id.city.example', jwksUrl: 'https://id.city.example/jwks.json' },
      { issuer: 'https://id.city.example/canvass', department: 'canvass', keyFile: '/etc/city/canvass.pem' },
    ]);
    const deployed = { DATABASE_URL: base.DATABASE_URL, NODE_ENV: 'production' };

    it('refuses a deployed start with the shared secret of npm start', () => {
      expect(() => loadConfig(ServiceConfig, { ...deployed, JWT_SECRET: base.JWT_SECRET, JWT_ISSUERS: issuers, JWT_AUDIENCE: 'city' })).toThrow(
        'JWT_SECRET and JWT_ISSUERS exclude each other',
      );
      expect(() => loadConfig(ServiceConfig, { ...deployed, JWT_SECRET: base.JWT_SECRET })).toThrow(
        /JWT_SECRET \(the shared secret of npm start and local runs\) is refused when NODE_ENV=production.*JWT_ISSUERS is required/,
      );
    });

    it('requires trusted issuers and the audience in a deployment, naming each setting', () => {
      expect(() => loadConfig(ServiceConfig, deployed)).toThrow('Invalid configuration: JWT_ISSUERS is required');
      expect(() => loadConfig(ServiceConfig, { ...deployed, JWT_ISSUERS: issuers })).toThrow('Invalid configuration: JWT_AUDIENCE is required');
      expect(() => loadConfig(ServiceConfig, { ...deployed, JWT_ISSUERS: '[{"issuer":"x"}]', JWT_AUDIENCE: 'city' })).toThrow(
        'JWT_ISSUERS[0] needs exactly one of jwksUrl, keyFile, publicKey',
      );
      expect(() => loadConfig(ServiceConfig, { ...deployed, JWT_ISSUERS: issuers, JWT_AUDIENCE: 'city', JWT_MAX_LIFETIME_SECONDS: '0' })).toThrow(
        /JWT_MAX_LIFETIME_SECONDS/,
      );
    });

    it('hands the issuers, audience, lifetime cap and JWKS cache to the auth module', () => {
      const config = loadConfig(ServiceConfig, { ...deployed, JWT_ISSUERS: issuers, JWT_AUDIENCE: 'city', JWT_MAX_LIFETIME_SECONDS: '3600' });
      expect(serviceOptionsOf(config).auth).toEqual({
        issuers: JSON.parse(issuers),
        audience: 'city',
        jwksCacheMaxAgeMs: 600_000,
        maxLifetimeSeconds: 3600,
        clockSkewSeconds: 60,
        verifiedTokenTtlMs: 60_000,
      });
    });
  });
});
