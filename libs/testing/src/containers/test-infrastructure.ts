/**
 * Which servers the integration suites run against, and how a suite finds
 * them. By default the servers this machine already runs (`npm run infra:up`:
 * PostgreSQL on 5432, Kafka on 9092; no EventStoreDB). With
 * `CITY_TEST_INFRA=testcontainers`, Jest's global setup starts them as
 * containers wherever a Docker engine exists, and hands their addresses to the
 * suites through the variables the suites already read.
 *
 * Pure: no Docker here (see `containers-global-setup.ts`), so the choices are
 * unit-tested on machines without an engine. Imports only relative modules:
 * Jest loads the global setup without the `@city/*` path mapping.
 */

export const TEST_INFRA_VARIABLE = 'CITY_TEST_INFRA';
/** Overrides the choice of containers: a comma-separated list of `InfraService`s. */
export const TEST_CONTAINERS_VARIABLE = 'CITY_TEST_CONTAINERS';

export type TestInfraMode = 'local' | 'testcontainers';

export type InfraService = 'postgres' | 'kafka' | 'kurrentdb';
export const INFRA_SERVICES: readonly InfraService[] = ['postgres', 'kafka', 'kurrentdb'];

/** Images pinned by tag: the ones deploy/compose runs, so tests and the local stack agree. */
export const TEST_IMAGES: Readonly<Record<InfraService, string>> = {
  postgres: 'postgres:16-bookworm',
  kafka: 'apache/kafka:4.1.1',
  kurrentdb: 'docker.kurrent.io/kurrent-latest/kurrentdb:25.1',
};

/** The variable's value, refused when misspelt (a typo must not quietly run against the local servers). */
export function testInfraMode(env: Readonly<Record<string, string | undefined>>): TestInfraMode {
  const value = env[TEST_INFRA_VARIABLE];
  if (value === undefined || value === '' || value === 'local') return 'local';
  if (value === 'testcontainers') return 'testcontainers';
  throw new Error(`${TEST_INFRA_VARIABLE}=${value}: expected "local" (default) or "testcontainers"`);
}

/** Suites that need less than the default (PostgreSQL and Kafka), by path. */
const SUITE_NEEDS: readonly { readonly path: string; readonly needs: readonly InfraService[] }[] = [
  { path: 'libs/event-store-esdb', needs: ['kurrentdb'] },
  { path: 'libs/event-store-postgres', needs: ['postgres'] },
  { path: 'libs/sql', needs: ['postgres'] },
  { path: 'libs/scheduler', needs: ['postgres'] },
];
const DEFAULT_NEEDS: readonly InfraService[] = ['postgres', 'kafka'];

export interface TestSelection {
  /** `CITY_TEST_CONTAINERS`, if set. */
  readonly override?: string;
  /** Jest's test path patterns (empty: every suite). */
  readonly testPathPatterns?: readonly string[];
}

/**
 * The containers a run needs: the override if given; for path patterns, what
 * the matching suites need; otherwise all of them (a whole run includes the
 * EventStoreDB contract suite). The unit tier needs none: the setup is not
 * wired into its project.
 */
export function servicesFor(selection: TestSelection): InfraService[] {
  if (selection.override !== undefined && selection.override.trim() !== '') {
    const names = selection.override
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = names.filter((n) => !INFRA_SERVICES.includes(n as InfraService));
    if (unknown.length > 0) throw new Error(`${TEST_CONTAINERS_VARIABLE}: unknown ${unknown.join(', ')}; expected some of ${INFRA_SERVICES.join(', ')}`);
    return INFRA_SERVICES.filter((s) => names.includes(s));
  }
  const patterns = selection.testPathPatterns ?? [];
  if (patterns.length === 0) return [...INFRA_SERVICES];
  const needed = new Set<InfraService>();
  for (const pattern of patterns) {
    const normalized = pattern.replace(/\\/g, '/');
    const known = SUITE_NEEDS.find((s) => normalized.includes(s.path));
    for (const service of known?.needs ?? DEFAULT_NEEDS) needed.add(service);
  }
  return INFRA_SERVICES.filter((s) => needed.has(s));
}

/** How a container is started (what `GenericContainer` is told). */
export interface ContainerSpec {
  readonly image: string;
  readonly environment: Readonly<Record<string, string>>;
  /** The port clients use, and the host port to bind it to when it must be known before start. */
  readonly port: { readonly container: number; readonly host?: number };
  readonly wait: { readonly kind: 'log'; readonly message: RegExp; readonly times: number } | { readonly kind: 'http'; readonly path: string };
}

/**
 * A broker must advertise the address clients reach it at, which is the host
 * port of the container: for Kafka that port is chosen first (`kafkaHostPort`)
 * and bound explicitly. Brokers talk to themselves on an internal listener.
 */
export function containerSpec(service: InfraService, where: { readonly host: string; readonly kafkaHostPort: number }): ContainerSpec {
  switch (service) {
    case 'postgres':
      return {
        image: TEST_IMAGES.postgres,
        // The suites connect as postgres without a password to database `test`, as on the local server.
        environment: { POSTGRES_USER: 'postgres', POSTGRES_DB: 'test', POSTGRES_HOST_AUTH_METHOD: 'trust' },
        port: { container: 5432 },
        // The image's entrypoint starts the server twice (init, then for real).
        wait: { kind: 'log', message: /database system is ready to accept connections/, times: 2 },
      };
    case 'kafka':
      return {
        image: TEST_IMAGES.kafka,
        environment: {
          CLUSTER_ID: 'LY6VqMIJIMN2_t7bkXM0_Q',
          KAFKA_NODE_ID: '1',
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
          KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093,BROKER://:9094',
          KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${where.host}:${where.kafkaHostPort},BROKER://localhost:9094`,
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,BROKER:PLAINTEXT',
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
          KAFKA_NUM_PARTITIONS: '3',
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        },
        port: { container: 9092, host: where.kafkaHostPort },
        wait: { kind: 'log', message: /Kafka Server started/, times: 1 },
      };
    case 'kurrentdb':
      return {
        image: TEST_IMAGES.kurrentdb,
        environment: {
          KURRENTDB_CLUSTER_SIZE: '1',
          KURRENTDB_NODE_PORT: '2113',
          KURRENTDB_INSECURE: 'true',
          KURRENTDB_MEM_DB: 'true',
          KURRENTDB_RUN_PROJECTIONS: 'None',
          KURRENTDB_ENABLE_ATOM_PUB_OVER_HTTP: 'false',
        },
        port: { container: 2113 },
        wait: { kind: 'http', path: '/health/live' },
      };
    default:
      throw new Error(`Unknown service ${String(service satisfies never)}`);
  }
}

export interface ServiceAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * The variables the suites read, for the containers started: `DATABASE_URL`
 * and `KAFKA_BROKERS` (libs/testing infrastructure.ts), and
 * `EVENTSTORE_CONNECTION_STRING` (the EventStoreDB contract suite).
 */
export function environmentFor(addresses: Readonly<Partial<Record<InfraService, ServiceAddress>>>): Record<string, string> {
  const env: Record<string, string> = {};
  const { postgres, kafka, kurrentdb } = addresses;
  if (postgres) env.DATABASE_URL = `postgres://postgres@${hostForUrl(postgres.host)}:${postgres.port}/test`;
  if (kafka) env.KAFKA_BROKERS = `${hostForUrl(kafka.host)}:${kafka.port}`;
  if (kurrentdb) env.EVENTSTORE_CONNECTION_STRING = `esdb://${hostForUrl(kurrentdb.host)}:${kurrentdb.port}?tls=false`;
  return env;
}

/** An IPv6 literal goes in brackets in a URL or a broker address. */
function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
