import { createServer } from 'node:net';
import { Module } from '@nestjs/common';
import request from 'supertest';
import { createKafka } from '@city/kafka';
import { createTestDatabase, eventually, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';
import { startDepartmentService, type DepartmentDefinition, type DepartmentStack } from './department-service';

// The second test waits for the relay to reach the real broker.
jest.setTimeout(90_000);

@Module({})
class EmptyDepartmentModule {}

/** A port on which nothing listens: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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
    service = await start([`127.0.0.1:${await closedPort()}`]);
    await request(service.url).get('/health/live').expect(200);
    const ready = await request(service.url).get('/health/ready').expect(503);
    expect(ready.body.info).toHaveProperty('event-store');
    expect(ready.body.error).toHaveProperty('kafka');
    await service.stop();
    service = undefined;
    expect(closed).toEqual([db.url]);
  });

  it('is ready when the broker answers', async () => {
    service = await start(TEST_KAFKA_BROKERS);
    const url = service.url;
    await eventually(async () => ((await request(url).get('/health/ready')).status === 200 ? true : undefined), 60_000, 250);
  });
});
