import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka } from '@city/kafka';
import { createTestDatabase, uniqueName, type TestDatabase } from '@city/testing';
import { freePort } from './free-port';
import { ServiceProcess } from './service-process';

/**
 * The city in stack mode as separate processes, as it is deployed: the canvass
 * service (PostgreSQL event store + relay to Kafka) and the operations center
 * (Kafka consumer + PostgreSQL read models), each a child process of the test on
 * a port of its own (e2e/support/stack-service.ts), against the given broker.
 * The databases, the topic and the consumer group are this run's own.
 */
export interface ProcessStack {
  readonly canvass: ServiceProcess;
  readonly operations: ServiceProcess;
  readonly topic: string;
  /** The operations center's consumer group prefix. */
  readonly groupId: string;
  readonly storeDb: TestDatabase;
  readonly readDb: TestDatabase;
  /** The services' logs (JSON lines), one file each. */
  readonly logDir: string;
  /** Stops both services (graceful), deletes the topics, drops the databases and the logs; safe after a failed start. */
  stop(): Promise<void>;
}

export async function startProcessStack(options: {
  readonly jwtSecret: string;
  readonly kafkaBrokers: readonly string[];
  /** Services' LOG_LEVEL (default warn). */
  readonly logLevel?: string;
  /** How long each service may take to become ready (default 180 s: a minute or more on a loaded machine). */
  readonly readyTimeoutMs?: number;
  /** The services' SHUTDOWN_TIMEOUT_MS (default: theirs, 25 s). */
  readonly shutdownTimeoutMs?: number;
}): Promise<ProcessStack> {
  const topic = uniqueName('canvass.events.v1.e2e');
  const groupId = uniqueName('e2e-operations-center');
  const logDir = mkdtempSync(join(tmpdir(), 'city-stack-logs-'));
  const started: { storeDb?: TestDatabase; readDb?: TestDatabase; services: ServiceProcess[] } = { services: [] };

  const stop = async (): Promise<void> => {
    // The consumer first (it stops reading), then the producer side.
    for (const service of [...started.services].reverse()) await service.stop().catch(() => undefined);
    const admin = createKafka({ brokers: options.kafkaBrokers, clientId: uniqueName('e2e-cleanup') }).admin();
    await admin
      .connect()
      .then(() => admin.deleteTopics({ topics: [topic, `${topic}.dlq`], timeout: 10_000 }))
      .catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await started.readDb?.drop().catch(() => undefined);
    await started.storeDb?.drop().catch(() => undefined);
    rmSync(logDir, { recursive: true, force: true });
  };

  try {
    started.storeDb = await createTestDatabase('e2e_event_store');
    started.readDb = await createTestDatabase('e2e_read_models');
    const common = {
      KAFKA_BROKERS: options.kafkaBrokers.join(','),
      JWT_SECRET: options.jwtSecret,
      LOG_LEVEL: options.logLevel ?? 'warn',
      E2E_TOPIC: topic,
      ...(options.shutdownTimeoutMs === undefined ? {} : { SHUTDOWN_TIMEOUT_MS: String(options.shutdownTimeoutMs) }),
    };
    // Four ports, none twice (the system may hand a released port out again at once).
    const ports = new Set<number>();
    while (ports.size < 4) ports.add(await freePort());
    const [canvassPort, canvassManagementPort, operationsPort, operationsManagementPort] = ports;
    const canvass = new ServiceProcess(
      'canvass',
      canvassPort,
      canvassManagementPort,
      { ...common, DATABASE_URL: started.storeDb.url },
      join(logDir, 'canvass.log'),
    );
    const operations = new ServiceProcess(
      'operations-center',
      operationsPort,
      operationsManagementPort,
      { ...common, DATABASE_URL: started.readDb.url, KAFKA_GROUP_ID: groupId },
      join(logDir, 'operations-center.log'),
    );
    started.services.push(canvass, operations);
    canvass.start();
    operations.start();
    const readyTimeoutMs = options.readyTimeoutMs ?? 180_000;
    await Promise.all([canvass.waitReady(readyTimeoutMs), operations.waitReady(readyTimeoutMs)]);
    return { canvass, operations, topic, groupId, storeDb: started.storeDb, readDb: started.readDb, logDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
