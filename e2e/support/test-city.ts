import { createKafka } from '@city/kafka';
import { OPERATIONS_CONTEXTS, startOperationsCenterStack } from '@city/operations-center-service';
import type { DepartmentStackOptions, RunningService } from '@city/service-kit';
import { createTestDatabase, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';
import { callJson, pollUntil } from './http-client';

/**
 * The part of the city an end-to-end test starts in stack mode, in this process,
 * on resources of the run's own: databases, topics (and their DLQs), consumer
 * groups and services on ephemeral ports. `stop()` stops the services (the last
 * started first), deletes the topics and drops the databases; every step runs
 * whatever an earlier one did, and none may hold the others up.
 */
export class TestCity {
  private readonly services: (() => Promise<unknown>)[] = [];
  private readonly topics: string[] = [];
  private readonly databases: TestDatabase[] = [];

  constructor(readonly jwtSecret: string) {}

  /** A PostgreSQL database of this run's own, dropped at `stop()`. */
  async database(prefix: string): Promise<TestDatabase> {
    const db = await createTestDatabase(prefix);
    this.databases.push(db);
    return db;
  }

  /** A topic name of this run's own; the topic and its DLQ are deleted at `stop()`. */
  topic(prefix: string): string {
    const topic = uniqueName(prefix);
    this.topics.push(topic);
    return topic;
  }

  /** A consumer group of this run's own. */
  group(prefix: string): string {
    return uniqueName(prefix);
  }

  /**
   * A department in stack mode on a database of its own, publishing to a topic of its own:
   * `start` is the department's `start…Stack`, given the options every department takes.
   */
  async department<S extends RunningService>(
    name: string,
    start: (options: DepartmentStackOptions & { readonly topic: string }) => Promise<S>,
  ): Promise<{ readonly stack: S; readonly topic: string }> {
    const db = await this.database(`e2e_${name.replace(/-/g, '_')}_store`);
    const topic = this.topic(`${name}.events.v1.e2e`);
    const stack = await start({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: db.url,
      kafkaBrokers: TEST_KAFKA_BROKERS,
      jwtSecret: this.jwtSecret,
      logLevel: 'silent',
      topic,
      handleSignals: false,
    });
    this.services.push(() => stack.stop());
    return { stack, topic };
  }

  /** The operations center projecting the given contexts (keys of its registry), each from the topic given. */
  async operationsCenter(contexts: Readonly<Record<string, string>>): Promise<RunningService> {
    const db = await this.database('e2e_ops_read_models');
    const operations = await startOperationsCenterStack({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: db.url,
      kafkaBrokers: TEST_KAFKA_BROKERS,
      groupId: this.group('e2e-operations-center'),
      contexts: Object.entries(contexts).map(([key, topic]) => {
        const context = OPERATIONS_CONTEXTS.find((c) => c.key === key);
        if (!context) throw new Error(`no ${key} context in the operations center's registry`);
        return { ...context.readModel(), topic };
      }),
      jwtSecret: this.jwtSecret,
      logLevel: 'silent',
      handleSignals: false,
      swagger: false,
    });
    this.services.push(() => operations.stop());
    return operations;
  }

  async stop(): Promise<void> {
    for (const stop of this.services.splice(0).reverse()) await bounded(stop);
    await bounded(async () => {
      const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: uniqueName('e2e-admin') }).admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: this.topics.flatMap((t) => [t, `${t}.dlq`]) }).catch(() => undefined);
      } finally {
        await admin.disconnect();
      }
    });
    for (const db of this.databases.splice(0)) await db.drop().catch(() => undefined);
  }
}

/** A cleanup step that may not hold the others up: the databases are dropped (WITH FORCE) whatever happens. */
function bounded(step: () => Promise<unknown>): Promise<unknown> {
  return Promise.race([step().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
}

/**
 * Polls an operations-center overview (`/api/city/overview`, whose sections are under `city`, or
 * `/api/districts/<code>/overview`, under `figures`) until a context's section passes `accept`;
 * fails with the last section seen.
 */
export function sectionPoller<S>(overviewUrl: string, token: string, section: string, timeoutMs = 90_000): (accept: (s: S) => boolean) => Promise<S> {
  return (accept) => {
    let lastSeen: unknown;
    return pollUntil(
      async () => {
        const answer = await callJson<{ figures?: Record<string, S>; city?: Record<string, S> }>('GET', overviewUrl, token);
        const found = answer.status === 200 ? (answer.body.figures ?? answer.body.city)?.[section] : undefined;
        lastSeen = found ?? answer;
        return found !== undefined && accept(found) ? found : undefined;
      },
      () => JSON.stringify(lastSeen),
      timeoutMs,
    );
  };
}
