import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CANVASS_STREAM_PREFIX, CANVASS_TOPIC } from '@city/contracts';
import { withContractValidation } from '@city/event-schemas';
import type { EventStore } from '@city/eventsourcing';
import { EventStoreDbEventStore } from '@city/event-store-esdb';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createKafka, EventRelay, PostgresCheckpointStore } from '@city/kafka';
import { CityMetrics, enableGracefulShutdown, shutdownGracefully } from '@city/observability';
import { PgDatabase, PgKeyedLock, PgLeaderLock } from '@city/sql';
import { CANVASS_SERVICE_NAME, createCanvassApp } from './canvass-app';

export interface CanvassStackOptions {
  readonly port: number;
  readonly host?: string;
  /** PostgreSQL: the event store unless EventStoreDB is named, and the relay's checkpoint. */
  readonly databaseUrl: string;
  /** Store events in EventStoreDB/KurrentDB (`esdb://…`) instead of PostgreSQL. */
  readonly eventStoreDbConnectionString?: string;
  readonly kafkaBrokers: readonly string[];
  readonly jwtSecret: string;
  readonly logLevel?: string;
  /** Kafka topic of the relay; default `canvass.events.v1`. Tests use a topic of their own. */
  readonly topic?: string;
  /** Producer threads of the relay (EventRelayOptions.producerThreads); 0 keeps the producer in this thread. */
  readonly relayProducerThreads?: number;
  /** Install SIGTERM/SIGINT handlers for graceful shutdown (default true). */
  readonly handleSignals?: boolean;
}

export interface CanvassStack {
  readonly app: NestExpressApplication;
  readonly url: string;
  readonly store: EventStore;
  readonly relay: EventRelay;
  /** Drains HTTP, stops the relay (its batch in flight is acknowledged and checkpointed), closes the store. */
  stop(): Promise<void>;
}

const RELAY_LAG_INTERVAL_MS = 5000;
/** Gate-duty commands of different officials that may check for overlaps at the same moment; more wait for a connection. */
const GATE_DUTY_LOCK_CONNECTIONS = 4;

/**
 * The canvass service in stack mode: PostgreSQL event store, the relay that
 * publishes committed canvass events to Kafka, and the HTTP API. Readiness
 * means the store answers and the broker is reachable.
 */
export async function startCanvassStack(options: CanvassStackOptions): Promise<CanvassStack> {
  const logger = new Logger('CanvassStack');
  const db = new PgDatabase(options.databaseUrl);
  // Its own few connections, so that officials waiting for the gate-duty lock never hold the ones their commands need.
  const lockDb = new PgDatabase({ connectionString: options.databaseUrl, max: GATE_DUTY_LOCK_CONNECTIONS });
  const store = withContractValidation(await openEventStore(db, options.eventStoreDbConnectionString));
  const checkpoints = new PostgresCheckpointStore(db);
  await checkpoints.migrate();

  const kafka = createKafka({ brokers: options.kafkaBrokers, clientId: CANVASS_SERVICE_NAME });
  const admin = kafka.admin();
  let adminConnected: Promise<void> | undefined;
  const kafkaReachable = async (): Promise<void> => {
    adminConnected ??= admin.connect().catch((error: unknown) => {
      adminConnected = undefined;
      throw error;
    });
    await adminConnected;
    await admin.describeCluster();
  };

  // Filled in once the app exists; the shutdown hook below reads it.
  const running: { relay?: EventRelay; leadership?: PgLeaderLock; lagTimer?: NodeJS.Timeout; stopping: boolean } = { stopping: false };
  const app = await createCanvassApp({
    eventStore: store,
    // Replicas share the database: an official's gate duty is checked for overlaps by one of them at a time.
    gateDutyLock: new PgKeyedLock(lockDb, `${CANVASS_SERVICE_NAME}:gate-duty`),
    jwtSecret: options.jwtSecret,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    readiness: [
      { name: 'event-store', check: () => store.ping() },
      { name: 'kafka', check: kafkaReachable },
    ],
    onShutdown: async () => {
      running.stopping = true;
      if (running.lagTimer) clearInterval(running.lagTimer);
      await running.relay?.stop().catch((error: unknown) => logger.error({ err: error }, 'Relay did not stop cleanly'));
      await running.leadership?.release();
      await admin.disconnect().catch(() => undefined);
      await store.close();
      await db.close();
      await lockDb.close();
    },
  });

  const metrics = app.get(CityMetrics, { strict: false });
  const topic = options.topic ?? CANVASS_TOPIC;
  const relay = new EventRelay({
    name: CANVASS_SERVICE_NAME,
    store,
    checkpoints,
    kafka,
    source: `/city/${CANVASS_SERVICE_NAME}`,
    streamPrefix: CANVASS_STREAM_PREFIX,
    topicFor: () => topic,
    ...(options.relayProducerThreads === undefined ? {} : { producerThreads: options.relayProducerThreads }),
    onPublished: (t, count) => metrics.relayPublishedTotal.inc({ topic: t }, count),
    onError: (error) => logger.warn(`Relay: ${error.message}`),
  });
  running.relay = relay;
  // With several replicas, one relay publishes at a time; the others stand by and take over if it dies.
  const lost: { notify?: () => void } = {};
  running.leadership = new PgLeaderLock(db.pool, `relay:${CANVASS_SERVICE_NAME}`, {
    onChange: (leader) => {
      logger.log(leader ? 'This replica now runs the relay' : 'This replica no longer runs the relay');
      if (!leader) lost.notify?.();
    },
  });
  void relayWhileLeader(relay, running.leadership, lost, () => running.stopping, logger);
  running.lagTimer = setInterval(() => {
    relay.lag().then(
      (lag) => metrics.relayLagEvents.set(Number(lag)),
      () => undefined,
    );
  }, RELAY_LAG_INTERVAL_MS);
  running.lagTimer.unref();

  if (options.handleSignals !== false) enableGracefulShutdown(app);
  await (options.host ? app.listen(options.port, options.host) : app.listen(options.port));
  const url = await app.getUrl();
  logger.log(`canvass listening on ${url} (OpenAPI at /docs), relaying to ${topic}`);
  return { app, url, store, relay, stop: () => shutdownGracefully(app) };
}

/** EventStoreDB/KurrentDB when a connection string is given (the deployment default), else PostgreSQL. */
async function openEventStore(db: PgDatabase, eventStoreDbConnectionString: string | undefined): Promise<EventStore> {
  if (eventStoreDbConnectionString) return EventStoreDbEventStore.fromConnectionString(eventStoreDbConnectionString);
  const store = new PostgresEventStore(db);
  await store.migrate();
  return store;
}

/** Runs the relay while this replica holds the relay lock; stops it when the lock is lost, then waits to lead again. */
async function relayWhileLeader(
  relay: EventRelay,
  leadership: PgLeaderLock,
  lost: { notify?: () => void },
  stopping: () => boolean,
  logger: Logger,
): Promise<void> {
  while (!stopping()) {
    try {
      await leadership.acquire();
    } catch {
      return; // released at shutdown
    }
    const lockLost = new Promise<void>((resolve) => (lost.notify = resolve));
    await startRelay(relay, stopping, logger);
    await lockLost;
    if (!stopping()) await relay.stop().catch((error: unknown) => logger.warn(`Relay did not stop cleanly: ${String(error)}`));
  }
}

/** The broker may be down when the service starts: keep trying, the store keeps every event meanwhile. */
async function startRelay(relay: EventRelay, stopping: () => boolean, logger: Logger): Promise<void> {
  for (let attempt = 0; !stopping(); attempt++) {
    try {
      await relay.start();
      return;
    } catch (error) {
      logger.warn(`Relay could not start (${error instanceof Error ? error.message : String(error)}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(30000, 500 * 2 ** attempt)));
    }
  }
}
