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
      jwtSecret: base.JWT_SECRET,
      httpAdapter: 'fastify',
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

  it('passes the EventStoreDB connection string only when EventStoreDB is chosen', () => {
    const config = loadConfig(DepartmentConfig, { ...base, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://kurrentdb:2113?tls=false' });
    expect(departmentOptionsOf(config).eventStoreDbConnectionString).toBe('esdb://kurrentdb:2113?tls=false');
  });
});
