import request from 'supertest';
import { devTokens } from '@city/auth';
import { createKafka } from '@city/kafka';
import type { RunningService } from '@city/service-kit';
import {
  closedBrokerAddress,
  createTestDatabase,
  expectLiveButNotReady,
  TEST_KAFKA_BROKERS,
  uniqueName,
  waitUntilReady,
  type TestDatabase,
} from '@city/testing';
import { canvassReadModel } from './contexts/canvass/canvass-read-model';
import { startOperationsCenterStack } from './operations-center-stack';
import { TEST_JWT_SECRET } from './testing/test-app';

// Waits for a Kafka consumer group to form on the real broker (the second test).
jest.setTimeout(90_000);

describe('operations center stack start-up (main.ts path)', () => {
  let readDb: TestDatabase;
  let service: RunningService | undefined;
  const topic = uniqueName('canvass.events.v1.ops-startup');

  beforeEach(async () => {
    readDb = await createTestDatabase('ops_startup');
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await readDb.drop();
  });

  afterAll(async () => {
    const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: uniqueName('ops-startup-cleanup') }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.disconnect();
  });

  const start = (kafkaBrokers: readonly string[]) =>
    startOperationsCenterStack({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: readDb.url,
      kafkaBrokers,
      groupId: uniqueName('ops-startup'),
      contexts: [{ ...canvassReadModel(), topic }],
      jwtSecret: TEST_JWT_SECRET,
      logLevel: 'silent',
      handleSignals: false,
      swagger: false,
    });

  it('starts with the broker unreachable: live, but not ready, naming Kafka and the feed', async () => {
    service = await start([await closedBrokerAddress()]);
    const ready = await expectLiveButNotReady(service.url);
    expect(ready.error).toHaveProperty('kafka');
    expect(ready.error).toHaveProperty('projection-feed');
    // It runs no relay, so it exports no relay lag.
    expect((await request(service.url).get('/metrics').expect(200)).text).not.toMatch(/city_relay_lag_events/);
    // The read side works without the broker.
    await request(service.url)
      .get('/api/city/overview')
      .set('authorization', `Bearer ${devTokens(TEST_JWT_SECRET).cityCenter}`)
      .expect(200);
  });

  it('becomes ready once the broker answers and the feed runs', async () => {
    service = await start(TEST_KAFKA_BROKERS);
    await waitUntilReady(service.url);
  });
});
