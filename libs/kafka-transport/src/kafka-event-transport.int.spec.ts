import { randomUUID } from 'node:crypto';
import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Partitioners, type Kafka, type KafkaMessage } from 'kafkajs';
import { Registry, type Metric } from 'prom-client';
import { UnknownEventTypeError } from '@city/eventsourcing';
import { createKafka, DLQ_HEADERS, deadLetterTopicOf, ensureTopics, toCloudEventKafkaMessage, type DecodedCloudEvent } from '@city/kafka';
import { createTestDatabase, eventually, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';
import { EventContext } from './event-context';
import { KafkaEventTransport } from './kafka-event-transport';
import { connectEventConsumer } from './keep-event-errors.filter';

// Waits on a real broker (group joins, retries with backoff): a minute covers a loaded machine.
jest.setTimeout(90000);

const COUNTED = 'city.tally.ThingCounted.v1';
/** The contract of this test's context `tally`: two types; anything else is unknown (dead-lettered by the decoder). */
const TALLY_TYPES = ['ThingCounted', 'ThingRenamed'];
function validateTally(type: string, schemaVersion: number): void {
  if (!TALLY_TYPES.includes(type) || schemaVersion !== 1) throw new UnknownEventTypeError(type, schemaVersion);
}
const POISON = 13;

/** A department's consumer: a view of counts per district, written in the transport's transaction. */
@Controller()
class TallyConsumer {
  static attempts = new Map<number, number>();

  @EventPattern(COUNTED)
  async counted(@Payload() event: DecodedCloudEvent, @Ctx() ctx: EventContext): Promise<void> {
    const { seq, district, n } = event.data as { seq: number; district: string; n: number };
    TallyConsumer.attempts.set(seq, (TallyConsumer.attempts.get(seq) ?? 0) + 1);
    // Not idempotent on purpose: applying an event twice would show in the sums.
    await ctx.tx.query(
      `INSERT INTO tally (district, total, events) VALUES ($1, $2, 1)
       ON CONFLICT (district) DO UPDATE SET total = tally.total + EXCLUDED.total, events = tally.events + 1`,
      [district, n],
    );
    // Fails after its write: the write must roll back with the offset.
    if (seq === POISON) throw new Error(`cannot count ${seq}`);
  }
}

let test: TestDatabase;
let kafka: Kafka;
const topics: string[] = [];
const apps: INestApplication[] = [];

beforeAll(async () => {
  test = await createTestDatabase('kafka_transport');
  await test.db.query('CREATE TABLE tally (district text PRIMARY KEY, total bigint NOT NULL, events int NOT NULL)');
  kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'kafka-transport-test' });
});

afterAll(async () => {
  await Promise.allSettled(apps.map((app) => app.close()));
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: topics.flatMap((t) => [t, deadLetterTopicOf(t)]) }).catch(() => undefined);
  await admin.disconnect();
  await test.drop();
}, 30000);

/** `plain`: Nest's own `connectMicroservice({ strategy })`, without the filter that keeps handler errors. */
async function startConsumer(topic: string, groupId: string, registry = new Registry(), plain = false): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ controllers: [TallyConsumer] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  const transport = new KafkaEventTransport({
    kafka,
    db: test.db,
    groupId,
    topics: [topic],
    registry,
    validate: validateTally,
    consumer: { maxRetries: 2, retryDelayMs: { initial: 10, max: 50 }, topicPartitions: 2 },
  });
  if (plain) app.connectMicroservice({ strategy: transport });
  else connectEventConsumer(app, transport);
  await app.startAllMicroservices();
  await app.init();
  apps.push(app);
  return app;
}

async function publish(topic: string, events: readonly { seq: number; n: number; type?: string }[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic,
    messages: events.map(({ seq, n, type }) => {
      const district = `31010${seq % 3}`;
      return toCloudEventKafkaMessage(
        {
          eventId: randomUUID(),
          streamId: `tally.thing-${seq % 5}`,
          streamVersion: seq,
          globalPosition: BigInt(seq + 1),
          recordedAt: new Date().toISOString(),
          type: type ?? 'ThingCounted',
          schemaVersion: 1,
          data: { seq, district, n },
          metadata: { correlationId: `c-${seq}`, causationId: `c-${seq}` },
        },
        { source: '/city/tally' },
      );
    }),
  });
  await producer.disconnect();
}

async function tally(): Promise<{ total: number; events: number }> {
  const { rows } = await test.db.query<{ total: number; events: number }>(
    'SELECT coalesce(sum(total), 0)::int AS total, coalesce(sum(events), 0)::int AS events FROM tally',
  );
  return rows[0];
}

async function storedOffsets(groupId: string, topic: string): Promise<number> {
  const { rows } = await test.db.query<{ n: number }>(
    'SELECT coalesce(sum(next_offset), 0)::int AS n FROM consumer_offsets WHERE consumer = $1 AND topic = $2',
    [groupId, topic],
  );
  return rows[0].n;
}

async function readAll(topic: string, count: number): Promise<KafkaMessage[]> {
  const read: KafkaMessage[] = [];
  const reader = kafka.consumer({ groupId: uniqueName('dlq-reader') });
  await reader.connect();
  await reader.subscribe({ topics: [topic], fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void read.push(message) });
  await eventually(async () => (read.length >= count ? true : undefined), 60_000); // a group joining and reading: seconds when idle
  await reader.disconnect();
  return read;
}

it('applies @EventPattern handlers with their offsets in one transaction, dead-letters what keeps failing, skips types it does not handle, and resumes from stored offsets after a restart', async () => {
  const topic = uniqueName('tally.events');
  topics.push(topic);
  await ensureTopics(kafka, [{ topic, numPartitions: 2 }]);
  const groupId = uniqueName('tally-view');
  const registry = new Registry();

  // 20 counted events (seq 0..19, n = seq + 1), one of them poison; 2 of a type of the contract
  // the view does not handle; 1 of a type no contract knows.
  const first = Array.from({ length: 20 }, (_, seq) => ({ seq, n: seq + 1 }));
  await publish(topic, [
    ...first,
    { seq: 100, n: 1000, type: 'ThingRenamed' },
    { seq: 101, n: 1000, type: 'ThingRenamed' },
    { seq: 102, n: 1000, type: 'ThingVanished' },
  ]);
  const app = await startConsumer(topic, groupId, registry);
  await eventually(async () => ((await storedOffsets(groupId, topic)) === 23 ? true : undefined), 60000);

  const sumOf = (events: readonly { seq: number; n: number }[]) => events.filter((e) => e.seq !== POISON).reduce((s, e) => s + e.n, 0);
  expect(await tally()).toEqual({ total: sumOf(first), events: 19 });
  // Tried once in its batch and again after each retry, then alone likewise: never applied (its write rolled back).
  expect(TallyConsumer.attempts.get(POISON)).toBeGreaterThanOrEqual(3);

  const deadLetters = await readAll(deadLetterTopicOf(topic), 2);
  expect(deadLetters.map((m) => String(m.headers?.[DLQ_HEADERS.errorType])).sort()).toEqual(['Error', 'UnknownEventTypeError']);
  const dead = deadLetters.find((m) => String(m.headers?.[DLQ_HEADERS.errorType]) === 'Error')!;
  expect(String(dead.headers?.[DLQ_HEADERS.error])).toBe(`cannot count ${POISON}`);
  expect(JSON.parse(String(dead.value))).toMatchObject({ seq: POISON });
  expect(String(dead.headers?.[DLQ_HEADERS.consumer])).toBe(groupId);

  const skipped = await (registry.getSingleMetric('city_consumer_events_skipped_total') as Metric).get();
  expect(skipped.values.map((v) => [v.labels.type, v.value])).toEqual([['city.tally.ThingRenamed.v1', 2]]);

  // Stopped; more events arrive; a new process starts with a NEW consumer group (the group's
  // own offsets are gone): it still starts from the offsets stored with the view.
  await app.close();
  apps.splice(apps.indexOf(app), 1);
  const attemptsBefore = new Map(TallyConsumer.attempts);
  const second = Array.from({ length: 10 }, (_, i) => ({ seq: 20 + i, n: 100 }));
  await publish(topic, second);
  const restartedGroup = uniqueName('tally-view');
  await test.db.query('UPDATE consumer_offsets SET consumer = $1 WHERE consumer = $2', [restartedGroup, groupId]);
  await startConsumer(topic, restartedGroup, new Registry(), true);
  await eventually(async () => ((await storedOffsets(restartedGroup, topic)) === 33 ? true : undefined), 60000);

  expect(await tally()).toEqual({ total: sumOf(first) + sumOf(second), events: 29 });
  // Nothing of the first 20 was handed to a handler again.
  for (const { seq } of first) expect(TallyConsumer.attempts.get(seq)).toBe(attemptsBefore.get(seq));
});
