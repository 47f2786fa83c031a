import * as path from 'node:path';
import { containerSpec, environmentFor, servicesFor, TEST_IMAGES, testInfraMode } from './test-infrastructure';

describe('the test infrastructure switch', () => {
  it('uses the local servers unless CITY_TEST_INFRA=testcontainers, and refuses a misspelt value', () => {
    expect(testInfraMode({})).toBe('local');
    expect(testInfraMode({ CITY_TEST_INFRA: 'local' })).toBe('local');
    expect(testInfraMode({ CITY_TEST_INFRA: 'testcontainers' })).toBe('testcontainers');
    expect(() => testInfraMode({ CITY_TEST_INFRA: 'testcontainer' })).toThrow('expected "local" (default) or "testcontainers"');
  });

  it('wires Jest global setup and teardown only under the switch, and only into the projects that use servers', () => {
    const load = (value: string | undefined) => {
      const saved = process.env.CITY_TEST_INFRA;
      if (value === undefined) delete process.env.CITY_TEST_INFRA;
      else process.env.CITY_TEST_INFRA = value;
      try {
        let config: { projects: { displayName: string; globalSetup?: string; globalTeardown?: string }[] } = { projects: [] };
        jest.isolateModules(() => {
          config = require(path.join(__dirname, '../../../../jest.config.js'));
        });
        return Object.fromEntries(config.projects.map((p) => [p.displayName, p]));
      } finally {
        if (saved === undefined) delete process.env.CITY_TEST_INFRA;
        else process.env.CITY_TEST_INFRA = saved;
      }
    };
    for (const project of [...Object.values(load(undefined)), ...Object.values(load('local'))]) {
      expect(project).not.toHaveProperty('globalSetup');
      expect(project).not.toHaveProperty('globalTeardown');
    }
    const wired = load('testcontainers');
    expect(wired.unit).not.toHaveProperty('globalSetup');
    for (const name of ['integration', 'e2e']) {
      expect(wired[name].globalSetup).toMatch(/libs\/testing\/src\/containers\/containers-global-setup\.ts$/);
      expect(wired[name].globalTeardown).toMatch(/libs\/testing\/src\/containers\/containers-global-teardown\.ts$/);
    }
  });
});

describe('which containers a run starts', () => {
  it('starts all three for a whole run', () => {
    expect(servicesFor({})).toEqual(['postgres', 'kafka', 'kurrentdb']);
    expect(servicesFor({ override: '', testPathPatterns: [] })).toEqual(['postgres', 'kafka', 'kurrentdb']);
  });

  it('starts what the selected suites need', () => {
    expect(servicesFor({ testPathPatterns: ['libs/event-store-esdb'] })).toEqual(['kurrentdb']);
    expect(servicesFor({ testPathPatterns: ['libs/scheduler', 'libs/sql/src/pg-leader-lock.int.spec.ts'] })).toEqual(['postgres']);
    expect(servicesFor({ testPathPatterns: ['libs/kafka-transport'] })).toEqual(['postgres', 'kafka']);
    expect(servicesFor({ testPathPatterns: ['libs\\event-store-esdb', 'services/canvass'] })).toEqual(['postgres', 'kafka', 'kurrentdb']);
  });

  it('lets CITY_TEST_CONTAINERS choose, and refuses unknown names', () => {
    expect(servicesFor({ override: 'kafka, postgres', testPathPatterns: ['libs/event-store-esdb'] })).toEqual(['postgres', 'kafka']);
    expect(() => servicesFor({ override: 'postgres,redis' })).toThrow('unknown redis');
  });
});

describe('the containers and the variables the suites read', () => {
  it('pins every image by a tag', () => {
    for (const image of Object.values(TEST_IMAGES)) expect(image).toMatch(/:[0-9][\w.-]*$/);
  });

  it('has Kafka advertise the host port it is bound to, and PostgreSQL serve database test without a password', () => {
    const kafka = containerSpec('kafka', { host: 'localhost', kafkaHostPort: 32_771 });
    expect(kafka.port).toEqual({ container: 9092, host: 32_771 });
    expect(kafka.environment.KAFKA_ADVERTISED_LISTENERS).toContain('PLAINTEXT://localhost:32771');
    const postgres = containerSpec('postgres', { host: 'localhost', kafkaHostPort: 1 });
    expect(postgres.environment).toMatchObject({ POSTGRES_DB: 'test', POSTGRES_HOST_AUTH_METHOD: 'trust' });
    expect(containerSpec('kurrentdb', { host: 'localhost', kafkaHostPort: 1 }).wait).toEqual({ kind: 'http', path: '/health/live' });
  });

  it('maps the started addresses to DATABASE_URL, KAFKA_BROKERS and EVENTSTORE_CONNECTION_STRING', () => {
    expect(
      environmentFor({
        postgres: { host: 'localhost', port: 32_768 },
        kafka: { host: 'localhost', port: 32_771 },
        kurrentdb: { host: '::1', port: 32_770 },
      }),
    ).toEqual({
      DATABASE_URL: 'postgres://postgres@localhost:32768/test',
      KAFKA_BROKERS: 'localhost:32771',
      EVENTSTORE_CONNECTION_STRING: 'esdb://[::1]:32770?tls=false',
    });
    expect(environmentFor({ kurrentdb: { host: 'docker', port: 2113 } })).toEqual({ EVENTSTORE_CONNECTION_STRING: 'esdb://docker:2113?tls=false' });
  });
});
