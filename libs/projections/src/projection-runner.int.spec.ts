import { spawn } from 'node:child_process';
import path from 'node:path';
import { Partitioners } from 'kafkajs';
import type { Consumer, Kafka } from 'kafkajs';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createKafka, DLQ_HEADERS, EventRelay, InMemoryCheckpointStore } from '@city/kafka';
import { acceptAnyEventData, appendCanvassEvents } from '@city/kafka/testing';
import { createTestDatabase, eventually, TEST_KAFKA_BROKERS, uniqueName } from '@city/testing';
import type { TestDatabase } from '@city/testing';
import { ProjectionRunner } from './projection-runner';
import { rebuildProjection } from './rebuild';
import { CountingProjection } from './testing/counting-projection';

const SOURCE = '/city/test';

// Budgets: every wait returns as soon as its condition holds (seconds on an idle machine), so they
// are sized for a loaded one (load 12 on 2 cores), where only the waiting grows.
/** A test database created and the event store migrated, or dropped with the test's topics. */
const SETUP_MS = 60_000;
/** The relay publishing what a test appended (up to 2,300 events) to the test's topic. */
const PUBLISH_MS = 60_000;
/** A runner joining its group (after a killed member's 6 s session, if any) and applying up to 2,000 events. */
const CATCH_UP_MS = 120_000;
/** A runner in a child process: node compiling it with swc-node, joining the group and applying 500 events. */
const CHILD_MS = 120_000;

let database: TestDatabase;
let store: PostgresEventStore;
let kafka: Kafka;
const topics: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase('projection_runner_test');
  store = new PostgresEventStore(database.db);
  await store.migrate();
  kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'projection-runner-test' });
}, SETUP_MS);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: topics.flatMap((t) => [t, `${t}.dlq`]) }).catch(() => undefined);
  await admin.disconnect();
  await store.close();
  await database.drop();
}, SETUP_MS);

/** A topic of its own, and the streams of one test (`canvass.<tag>-...`) relayed to it until `done`. */
function scenario(tag: string) {
  const topic = uniqueName(`projection-test-${tag}`);
  topics.push(topic);
  const prefix = `canvass.${tag}-`;
  const checkpoints = new InMemoryCheckpointStore();
  const relay = () => new EventRelay({ name: tag, store, checkpoints, kafka, source: SOURCE, streamPrefix: prefix, topicFor: () => topic, batchSize: 500 });
  return {
    topic,
    prefix,
    append: (count: number, poison?: (i: number) => boolean) => appendCanvassEvents(store, count, { streams: 12, prefix: `${prefix}unit-`, poison }),
    /** Relays everything appended so far, then stops. */
    async publish(): Promise<void> {
      const r = relay();
      await r.start();
      const head = (await store.readAll({ after: 0n, streamPrefix: prefix, limit: 100000 })).at(-1)?.globalPosition ?? 0n;
      await eventually(async () => (r.position >= head ? true : undefined), PUBLISH_MS);
      await r.stop();
    },
  };
}

function runnerFor(
  topic: string,
  groupId: string,
  projection: CountingProjection,
  extra: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {},
): ProjectionRunner {
  const runner = new ProjectionRunner({
    kafka,
    db: database.db,
    projections: [projection],
    topics: [topic],
    groupId,
    validate: acceptAnyEventData,
    consumer: { retryDelayMs: { initial: 20, max: 100 }, consumerConfig: { maxBytesPerPartition: 64 * 1024 } },
    ...extra,
  });
  cleanups.push(() => runner.stop());
  return runner;
}

async function readAll(topic: string, expected: number): Promise<{ headers: Record<string, string>; value: string }[]> {
  const received: { headers: Record<string, string>; value: string }[] = [];
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('dlq-reader') });
  cleanups.push(() => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
      received.push({ headers, value: String(message.value) });
    },
  });
  await eventually(async () => (received.length >= expected ? true : undefined), CATCH_UP_MS);
  return received;
}

/**
 * Waits until `projection` has stored, with its read model, the offset after the last message of
 * every partition of `topic`: by then anything redelivered from before those offsets has been seen.
 */
async function storedUpToEnd(topic: string, projection: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  await eventually(async () => {
    const { rows } = await database.db.query<{ partition: number; next_offset: string }>(
      'SELECT partition, next_offset::text AS next_offset FROM consumer_offsets WHERE consumer = $1 AND topic = $2',
      [projection, topic],
    );
    const stored = new Map(rows.map((r) => [Number(r.partition), r.next_offset]));
    return ends.every((end) => end.high === '0' || stored.get(end.partition) === end.high) ? true : undefined;
  }, CATCH_UP_MS);
}

it(
  'applies each event exactly once across a SIGKILL, a restart and a forced redelivery from offset 0',
  async () => {
    const s = scenario('once');
    const projection = new CountingProjection('counting-once', 'once');
    const groupId = uniqueName('projection-once');
    const first = await s.append(2000);
    await s.publish();

    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'testing', 'projection-runner-process.ts')], {
      cwd: path.resolve(__dirname, '../../..'),
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        RUNNER_TOPIC: s.topic,
        RUNNER_GROUP: groupId,
        PROJECTION_NAME: projection.name,
        PROJECTION_TABLE: 'once',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await eventually(async () => ((await projection.applied(database.db).catch(() => ({ rows: 0 }))).rows >= 500 ? true : undefined), CHILD_MS, 10);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect((await projection.applied(database.db)).rows).toBeLessThan(first.length);

    // Same group: it starts once the dead member's session (6 s) expires.
    const second = runnerFor(s.topic, groupId, projection);
    await second.start();
    await eventually(async () => ((await projection.applied(database.db)).rows >= first.length ? true : undefined), CATCH_UP_MS);
    await second.stop();
    expect(await projection.applied(database.db)).toEqual({ rows: first.length, distinct: first.length });

    // The group's offsets say "from the start": only the offsets stored with the read model count.
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId, topic: s.topic, partitions: [0, 1, 2].map((partition) => ({ partition, offset: '0' })) });
    await admin.disconnect();
    const more = await s.append(300);
    await s.publish();
    const third = runnerFor(s.topic, groupId, projection);
    await third.start();
    await eventually(async () => ((await projection.applied(database.db)).rows >= first.length + more.length ? true : undefined), CATCH_UP_MS);
    // Room for a wrong redelivery to show up: it would come before the end of some partition.
    await storedUpToEnd(s.topic, projection.name);
    await third.stop();

    const total = first.length + more.length;
    expect(await projection.applied(database.db)).toEqual({ rows: total, distinct: total });
    const counts = await projection.counts(database.db);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(total);
    expect(third.status(projection.name).applied).toEqual({ UnitRegistered: 100, CanvassVisitRecorded: 200 });
  },
  2 * PUBLISH_MS + CHILD_MS + 3 * CATCH_UP_MS,
); // two relays, the child, the second and third runners' catch-ups and their offsets

it(
  'parks poison and malformed messages on <topic>.dlq with error headers and applies the ones after them',
  async () => {
    const s = scenario('poison');
    const projection = new CountingProjection('counting-poison', 'poison');
    const poisonAt = new Set([5, 17, 150]);
    const ids = await s.append(200, (i) => poisonAt.has(i));
    await s.publish();
    // A message that is no CloudEvent at all, in the middle of partition 0.
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: s.topic,
      messages: [{ key: 'canvass.poison-garbage', value: '{"not": "json"', partition: 0, headers: { ce_id: 'garbage' } }],
    });
    await producer.disconnect();
    const after = await s.append(30);
    await s.publish();

    const deadLettered: string[] = [];
    const runner = runnerFor(s.topic, uniqueName('projection-poison'), projection, {
      consumer: { retryDelayMs: { initial: 20, max: 100 }, onDeadLetter: (m) => deadLettered.push(m.offset) },
    });
    await runner.start();
    const good = ids.length - poisonAt.size + after.length;
    await eventually(async () => ((await projection.applied(database.db)).rows >= good ? true : undefined), CATCH_UP_MS);

    const dlq = await readAll(`${s.topic}.dlq`, poisonAt.size + 1);
    await runner.stop();
    expect(dlq).toHaveLength(poisonAt.size + 1);
    expect(deadLettered).toHaveLength(poisonAt.size + 1);
    for (const message of dlq) {
      expect(message.headers).toMatchObject({
        [DLQ_HEADERS.errorType]: 'ValidationError',
        [DLQ_HEADERS.originalTopic]: s.topic,
        [DLQ_HEADERS.consumer]: expect.stringContaining('projection-poison'),
      });
      expect(Number(message.headers[DLQ_HEADERS.originalPartition])).toBeGreaterThanOrEqual(0);
      expect(message.headers[DLQ_HEADERS.originalOffset]).toMatch(/^[0-9]+$/);
      expect(message.headers[DLQ_HEADERS.error]).not.toBe('');
    }
    const poisonIds = [...poisonAt].map((i) => ids[i]);
    expect(dlq.map((m) => m.headers.ce_id).sort()).toEqual([...poisonIds, 'garbage'].sort());
    expect(dlq.find((m) => m.headers.ce_id === 'garbage')?.headers[DLQ_HEADERS.error]).toMatch(/Malformed|lacks/);
    expect(await projection.applied(database.db)).toEqual({ rows: good, distinct: good });
  },
  2 * PUBLISH_MS + 2 * CATCH_UP_MS,
); // two relays, the runner's catch-up and the dead-letter topic read back

/** The relay creates its topics with this many partitions (EventRelayOptions.topicPartitions default). */
const RELAY_TOPIC_PARTITIONS = 4;

it(
  'a rebuild from the event store equals the live read model, and the live runner does not count twice after it',
  async () => {
    const s = scenario('rebuild');
    const projection = new CountingProjection('counting-rebuild', 'rebuilt');
    const groupId = uniqueName('projection-rebuild');
    const first = await s.append(900);
    await s.publish();
    const live = runnerFor(s.topic, groupId, projection);
    await live.start();
    await eventually(async () => ((await projection.applied(database.db)).rows >= first.length ? true : undefined), CATCH_UP_MS);
    await live.stop();
    const liveCounts = await projection.counts(database.db);

    const result = await rebuildProjection(store, database.db, projection, { source: SOURCE, streamPrefix: s.prefix, batchSize: 250 });

    expect(result.eventsApplied).toBe(first.length);
    expect(await projection.counts(database.db)).toEqual(liveCounts);
    expect(await projection.applied(database.db)).toEqual({ rows: first.length, distinct: first.length });

    // Even with its Kafka offsets forgotten, the runner skips what the rebuild applied.
    await database.db.query('DELETE FROM consumer_offsets WHERE consumer = $1', [projection.name]);
    const more = await s.append(120);
    await s.publish();
    const after = runnerFor(s.topic, groupId, projection);
    await after.start();
    await eventually(async () => ((await projection.applied(database.db)).rows >= first.length + more.length ? true : undefined), CATCH_UP_MS);
    await eventually(async () => {
      const { rows } = await database.db.query<{ n: string }>('SELECT count(*) AS n FROM consumer_offsets WHERE consumer = $1', [projection.name]);
      return Number(rows[0].n) === RELAY_TOPIC_PARTITIONS ? true : undefined; // one stored offset per partition
    }, CATCH_UP_MS);
    await after.stop();
    const total = first.length + more.length;
    expect(await projection.applied(database.db)).toEqual({ rows: total, distinct: total });
  },
  2 * PUBLISH_MS + 4 * CATCH_UP_MS,
); // two relays, the live runner, the rebuild, the runner after it and its offsets

it(
  'reports a lag of 0 once caught up with the broker, also when no event comes any more',
  async () => {
    const s = scenario('lag');
    const projection = new CountingProjection('counting-lag', 'lag');
    const lags: number[] = [];
    await s.append(200);
    await s.publish();
    // The first events are a while old when they are read: their age is the lag while catching up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const runner = runnerFor(s.topic, uniqueName('projection-lag'), projection, {
      observer: { lag: (name, seconds) => name === projection.name && lags.push(seconds) },
      // Checked by hand below; the timer would race the assertions.
      lagCheckIntervalMs: 3_600_000,
    });
    await runner.start();
    await storedUpToEnd(s.topic, projection.name);
    expect(Math.max(...lags)).toBeGreaterThan(0);

    // Idle and caught up: the broker's end offsets are all stored.
    expect(await runner.checkLag()).toBe(true);
    expect(lags.at(-1)).toBe(0);
    expect(runner.status(projection.name).lagSeconds).toBe(0);

    // Events the runner has not read yet: behind again, and the gauge no longer says 0 once time passes.
    await runner.stop();
    await s.append(50);
    await s.publish();
    expect(await runner.checkLag()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await runner.checkLag()).toBe(false);
    expect(lags.at(-1)).toBeGreaterThan(0);
  },
  SETUP_MS + PUBLISH_MS * 2 + CATCH_UP_MS,
);
