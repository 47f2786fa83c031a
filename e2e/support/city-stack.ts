import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { startCanvassStack, type CanvassStack } from '@city/canvass-service';
import { createKafka } from '@city/kafka';
import { shutdownGracefully } from '@city/observability';
import { canvassReadModel, startOperationsCenterStack } from '@city/operations-center-service';
import { createTestDatabase, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';

/**
 * The city in stack mode, in this process: the canvass service (PostgreSQL
 * event store + relay to Kafka) and the operations center (Kafka consumer +
 * PostgreSQL read models), each with a database of its own, on ephemeral
 * ports. The topic and the consumer group are this run's own, and so are the
 * databases, so parallel test runs never see each other's events or figures.
 */
export interface CityStack {
  readonly canvassUrl: string;
  readonly opsUrl: string;
  readonly topic: string;
  readonly canvass: CanvassStack;
  readonly operations: INestApplication;
  /** Stops both services, deletes the topics and drops the databases; safe to call after a failed start. */
  stop(): Promise<void>;
}

export async function startCityStack(options: { readonly jwtSecret: string; readonly liveCoalesceMs?: number }): Promise<CityStack> {
  const topic = uniqueName('canvass.events.v1.e2e');
  const kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: uniqueName('e2e-operations-center') });
  const admin = kafka.admin();
  const resources: { storeDb?: TestDatabase; readDb?: TestDatabase; canvass?: CanvassStack; operations?: INestApplication } = {};

  const stop = async (): Promise<void> => {
    // The consumer first (it stops reading), then the producer side; each step runs even if an earlier one failed.
    if (resources.operations) await shutdownGracefully(resources.operations).catch(() => undefined);
    if (resources.canvass) await resources.canvass.stop().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await resources.readDb?.drop().catch(() => undefined);
    await resources.storeDb?.drop().catch(() => undefined);
  };

  try {
    await admin.connect();
    resources.storeDb = await createTestDatabase('e2e_event_store');
    resources.readDb = await createTestDatabase('e2e_read_models');
    resources.canvass = await startCanvassStack({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: resources.storeDb.url,
      kafkaBrokers: TEST_KAFKA_BROKERS,
      jwtSecret: options.jwtSecret,
      logLevel: 'silent',
      topic,
      handleSignals: false,
    });

    const operations = await startOperationsCenterStack({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: resources.readDb.url,
      kafkaBrokers: TEST_KAFKA_BROKERS,
      groupId: uniqueName('e2e-operations-center'),
      contexts: [{ ...canvassReadModel(), topic }],
      jwtSecret: options.jwtSecret,
      logLevel: 'silent',
      ...(options.liveCoalesceMs === undefined ? {} : { liveCoalesceMs: options.liveCoalesceMs }),
      handleSignals: false,
      swagger: false,
    });
    resources.operations = operations.app;
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    canvassUrl: urlOf(resources.canvass.app),
    opsUrl: urlOf(resources.operations),
    topic,
    canvass: resources.canvass,
    operations: resources.operations,
    stop,
  };
}

function urlOf(app: INestApplication): string {
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
