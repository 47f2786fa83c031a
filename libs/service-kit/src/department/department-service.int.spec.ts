import { Module } from '@nestjs/common';
import { createKafka } from '@city/kafka';
import {
  closedBrokerAddress,
  createTestDatabase,
  expectLiveButNotReady,
  TEST_KAFKA_BROKERS,
  uniqueName,
  waitUntilReady,
  type TestDatabase,
} from '@city/testing';
import { startDepartmentService, type DepartmentDefinition, type DepartmentStack } from './department-service';

// The second test waits for the relay to reach the real broker.
jest.setTimeout(90_000);

@Module({})
class EmptyDepartmentModule {}

describe('startDepartmentService', () => {
  let db: TestDatabase;
  let service: DepartmentStack | undefined;
  const closed: string[] = [];
  const topic = uniqueName('kit.events.v1');
  const department: DepartmentDefinition = {
    name: 'kit-department',
    streamPrefix: 'kit-department.',
    topic,
    module: ({ databaseUrl, closeAtShutdown }) => {
      // What a department opens for itself is closed at shutdown, after the store.
      closeAtShutdown({ close: async () => void closed.push(databaseUrl) });
      return { module: EmptyDepartmentModule };
    },
  };
  const start = (kafkaBrokers: readonly string[]) =>
    startDepartmentService(department, {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: db.url,
      kafkaBrokers,
      jwtSecret: 'kit-department-secret-0123456789abcdef',
      logLevel: 'silent',
      handleSignals: false,
      relayProducerThreads: 0,
    });

  beforeEach(async () => {
    db = await createTestDatabase('kit_department');
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await db.drop();
  });

  afterAll(async () => {
    const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: uniqueName('kit-cleanup') }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('starts with the broker unreachable: live, the store ready, Kafka not; closes what the module opened', async () => {
    service = await start([await closedBrokerAddress()]);
    const ready = await expectLiveButNotReady(service.url);
    expect(ready.info).toHaveProperty('event-store');
    expect(ready.error).toHaveProperty('kafka');
    await service.stop();
    service = undefined;
    expect(closed).toEqual([db.url]);
  });

  it('is ready when the broker answers', async () => {
    service = await start(TEST_KAFKA_BROKERS);
    await waitUntilReady(service.url);
  });
});
