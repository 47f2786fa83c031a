import { type DynamicModule, Logger } from '@nestjs/common';
import { withContractValidation } from '@city/event-schemas';
import type { EventStore } from '@city/eventsourcing';
import { createKafka, describeKafkaSecurity, EventRelay, type KafkaSecurity, PostgresCheckpointStore } from '@city/kafka';
import { CityMetrics } from '@city/observability';
import { PgDatabase } from '@city/sql';
import type { ServiceAppOptions } from '../app/service-app';
import { type RunningService, startService } from '../app/start-service';
import { openEventStore } from '../infra/event-store-choice';
import { kafkaReadiness } from '../infra/kafka-readiness';
import { LeaderRelay } from '../infra/leader-relay';
import { definedOnly } from '../defined-only';

/** What the kit hands a department's module factory in stack mode. */
export interface DepartmentResources {
  /** The department's event store (PostgreSQL or EventStoreDB, migrated), checking every append against the contracts. */
  readonly store: EventStore;
  /** The department's PostgreSQL database (relay checkpoint; the store too unless EventStoreDB). */
  readonly db: PgDatabase;
  readonly databaseUrl: string;
  /** Closes `resource` at shutdown, after the store; for what the module opens for itself (e.g. a pool for locks). */
  closeAtShutdown<R extends { close(): Promise<void> }>(resource: R): R;
}

/**
 * A department service, declared: its name, its streams, its topic and its Nest
 * module. The kit does the rest (store, relay, readiness, shutdown, HTTP).
 */
export interface DepartmentDefinition {
  /** Service name: metric label, log field, Kafka client id, CloudEvents source `/city/<name>`, relay lock. */
  readonly name: string;
  /** Stream-id prefix of the department's events, e.g. `canvass.`; the relay publishes only these. */
  readonly streamPrefix: string;
  /** Kafka topic the relay publishes to, e.g. `canvass.events.v1`. */
  readonly topic: string;
  /** The department's module, given its store and database. */
  readonly module: (resources: DepartmentResources) => DynamicModule;
  /** OpenAPI title and description (default: the name). */
  readonly swagger?: { readonly title?: string; readonly description?: string };
}

export interface DepartmentStackOptions {
  readonly port: number;
  readonly host?: string;
  /** PostgreSQL: the event store unless EventStoreDB is named, and the relay's checkpoint. */
  readonly databaseUrl: string;
  /** Store events in EventStoreDB/KurrentDB (`esdb://…`) instead of PostgreSQL. */
  readonly eventStoreDbConnectionString?: string;
  readonly kafkaBrokers: readonly string[];
  /** TLS and SASL of every Kafka client of the service (`serviceOptionsOf` reads them from the configuration); none by default. */
  readonly kafkaSecurity?: KafkaSecurity;
  /** HS256 shared secret of the embedded mode and tests; `auth` for trusted issuers. */
  readonly jwtSecret?: string;
  /** Token verification (ServiceAppOptions.auth); `serviceOptionsOf` makes it from the configuration. */
  readonly auth?: ServiceAppOptions['auth'];
  readonly logLevel?: string;
  /** Kafka topic of the relay instead of the department's; tests use a topic of their own. */
  readonly topic?: string;
  /** Producer threads of the relay (EventRelayOptions.producerThreads); 0 keeps the producer in this thread. */
  readonly relayProducerThreads?: number;
  /** Install SIGTERM/SIGINT handlers for graceful shutdown (default true). */
  readonly handleSignals?: boolean;
  /** Largest accepted body; see ServiceAppOptions. */
  readonly bodyLimit?: ServiceAppOptions['bodyLimit'];
  /** `fastify` (default) or `express`; see ServiceAppOptions. */
  readonly httpAdapter?: ServiceAppOptions['httpAdapter'];
  readonly trustProxy?: ServiceAppOptions['trustProxy'];
  /** The most a shutdown may take (default 25 s); each step is bounded by the time left. */
  readonly shutdownTimeoutMs?: number;
  /** Port and interface of the management listener (/metrics, /docs, /health); see ListenOptions. */
  readonly managementPort?: number;
  readonly managementHost?: string;
  /** Commands a minute per token subject / client address; see ServiceAppOptions. */
  readonly rateLimit?: ServiceAppOptions['rateLimit'];
}

export interface DepartmentStack extends RunningService {
  readonly store: EventStore;
  readonly relay: EventRelay;
}

/**
 * A department service in stack mode: the event store, the relay that
 * publishes committed events to Kafka while this replica holds the relay lock,
 * and the HTTP API. Ready means the store answers and the broker is reachable;
 * the service starts (not ready) while the broker is down. Shutdown: HTTP
 * drains, the module stops, the relay stops (its batch in flight acknowledged
 * and checkpointed) and gives up the lock, then Kafka, the store and the databases close;
 * every step is bounded by the time left of the shutdown timeout.
 */
export async function startDepartmentService(department: DepartmentDefinition, options: DepartmentStackOptions): Promise<DepartmentStack> {
  const logger = new Logger(department.name);
  const db = new PgDatabase(options.databaseUrl);
  const owned: { close(): Promise<void> }[] = [];
  // Every event is checked against its contract before it is stored (contracts/README.md).
  const store = withContractValidation(await openEventStore(db, options.eventStoreDbConnectionString));
  const checkpoints = new PostgresCheckpointStore(db);
  await checkpoints.migrate();
  const kafka = createKafka({ brokers: options.kafkaBrokers, clientId: department.name, ...options.kafkaSecurity });
  const kafkaReady = kafkaReadiness(kafka);
  const running: { relay?: LeaderRelay } = {};

  const module = department.module({
    store,
    db,
    databaseUrl: options.databaseUrl,
    closeAtShutdown: (resource) => {
      owned.push(resource);
      return resource;
    },
  });
  const service = await startService({
    serviceName: department.name,
    module,
    port: options.port,
    ...definedOnly({
      host: options.host,
      handleSignals: options.handleSignals,
      bodyLimit: options.bodyLimit,
      httpAdapter: options.httpAdapter,
      trustProxy: options.trustProxy,
      swagger: department.swagger,
      logLevel: options.logLevel,
      jwtSecret: options.jwtSecret,
      auth: options.auth,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
      managementPort: options.managementPort,
      managementHost: options.managementHost,
      rateLimit: options.rateLimit,
    }),
    readiness: [{ name: 'event-store', check: () => store.ping() }, kafkaReady.check],
    // Each step bounded by the time left: a broker that is down cannot hold the store and databases open, nor the process.
    onShutdown: async (deadline) => {
      await deadline.run(
        [
          { name: 'relay: flush the batch in flight, checkpoint, release the lock', run: () => running.relay?.stop() },
          { name: 'Kafka readiness client', run: () => kafkaReady.close() },
          { name: 'event store', run: () => store.close() },
          ...owned.map((resource, i) => ({ name: `department resource ${i + 1}`, run: () => resource.close() })),
          { name: 'database', run: () => db.close() },
        ],
        (message) => logger.warn(message),
      );
    },
  });

  const metrics = service.app.get(CityMetrics, { strict: false });
  const topic = options.topic ?? department.topic;
  const relay = new EventRelay({
    name: department.name,
    store,
    checkpoints,
    kafka,
    source: `/city/${department.name}`,
    streamPrefix: department.streamPrefix,
    topicFor: () => topic,
    ...definedOnly({ producerThreads: options.relayProducerThreads }),
    onPublished: (t, count) => metrics.relayPublishedTotal.inc({ topic: t }, count),
    onError: (error) => logger.warn(`Relay: ${error.message}`),
    onNotice: (message) => logger.log(message),
  });
  running.relay = new LeaderRelay(relay, db, department.name, metrics);
  logger.log(`${department.name} relaying to ${topic} (Kafka ${options.kafkaBrokers.join(',')}: ${describeKafkaSecurity(options.kafkaSecurity ?? {})})`);
  return { ...service, store, relay };
}
