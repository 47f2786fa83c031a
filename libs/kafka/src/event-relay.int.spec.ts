import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Consumer, Kafka } from 'kafkajs';
import { fromCloudEventKafkaMessage } from './cloudevents';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createTestDatabase, eventually, TEST_KAFKA_BROKERS, uniqueName } from '@city/testing';
import type { TestDatabase } from '@city/testing';
import type { CheckpointKey, CheckpointStore } from './checkpoint-store';
import { PostgresCheckpointStore } from './checkpoint-store';
import { EventRelay } from './event-relay';
import { createKafka } from './kafka-client';
import { appendCanvassEvents } from './testing/events';
import { ensureTopics } from './topics';

interface Received {
  readonly key: string;
  readonly headers: Record<string, string>;
  readonly value: string;
  readonly partition: number;
}

// Budgets: every wait returns as soon as its condition holds (seconds on an idle machine), so they
// are sized for a loaded one (load 12 on 2 cores), where only the waiting grows.
/** A test database created and migrated, a topic created, or the test's topics and database dropped. */
const SETUP_MS = 60_000;
/** A relay publishing up to 3,000 events, or a reader's group joined and those events read back. */
const RELAYED_MS = 60_000;
/** A relay in a child process: node compiling it with swc-node, connecting and relaying 300 events. */
const CHILD_MS = 120_000;

let database: TestDatabase;
let store: PostgresEventStore;
let checkpoints: PostgresCheckpointStore;
let kafka: Kafka;
const consumers: Consumer[] = [];
const topics: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase('relay_test');
  store = new PostgresEventStore(database.db);
  await store.migrate();
  checkpoints = new PostgresCheckpointStore(database.db);
  await checkpoints.migrate();
  kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'relay-test' });
}, SETUP_MS);

afterAll(async () => {
  await Promise.allSettled(consumers.map((c) => c.disconnect()));
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  await store.close();
  await database.drop();
}, SETUP_MS);

async function newTopic(): Promise<string> {
  const topic = uniqueName('relay-test');
  topics.push(topic);
  await ensureTopics(kafka, [{ topic, numPartitions: 3 }]);
  return topic;
}

/** Everything on `topic`, read by a throw-away consumer group. */
async function collect(topic: string): Promise<Received[]> {
  const received: Received[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('relay-test-reader') });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
      received.push({ key: String(message.key), headers, value: String(message.value), partition });
    },
  });
  return received;
}

/** The checkpoint key of relay `relay` on the test's store. */
async function keyOf(relay: string, of: PostgresEventStore = store): Promise<CheckpointKey> {
  return { relay, store: await of.identity() };
}

function relayOn(topic: string, name: string, checkpointStore: CheckpointStore = checkpoints, onPublished?: (topic: string, n: number) => void): EventRelay {
  return new EventRelay({ name, store, checkpoints: checkpointStore, kafka, source: '/city/test', topicFor: () => topic, batchSize: 100, onPublished });
}

it(
  'publishes every event with key = stream id and CloudEvents headers, then stores the checkpoint',
  async () => {
    const topic = await newTopic();
    const before = await store.headPosition();
    const ids = await appendCanvassEvents(store, 250, { streams: 7 });
    const head = await store.headPosition();
    const published: number[] = [];
    const name = uniqueName('relay');
    const relay = relayOn(topic, name, checkpoints, (t, n) => t === topic && published.push(n));
    // The checkpoint of a new relay name starts at 0: skip what other tests appended.
    await checkpoints.save(await keyOf(name), before);
    const received = await collect(topic);

    await relay.start();
    await eventually(async () => (received.length >= ids.length ? true : undefined), RELAYED_MS);
    await eventually(async () => (relay.position === head ? true : undefined), RELAYED_MS);
    await relay.stop();

    expect(received.map((r) => r.headers.ce_id).sort()).toEqual([...ids].sort());
    const events = await store.readAll({ after: before, limit: 1000 });
    const byId = new Map(events.map((e) => [e.eventId, e]));
    for (const message of received) {
      const event = byId.get(message.headers.ce_id)!;
      expect(message.key).toBe(event.streamId);
      expect(message.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_type: `city.canvass.${event.type}.v1`,
        ce_source: '/city/test',
        ce_subject: event.streamId,
        ce_time: new Date(event.recordedAt).toISOString(),
        'content-type': 'application/json',
        ce_district: event.metadata.district,
        ce_correlationid: event.metadata.correlationId,
        ce_causationid: event.metadata.causationId,
        ce_streamversion: String(event.streamVersion),
        ce_position: event.globalPosition.toString(),
      });
      expect(JSON.parse(message.value)).toEqual(event.data);
    }
    // One stream, one partition: every stream's events arrive in stream order.
    const partitionsPerStream = new Map<string, Set<number>>();
    for (const m of received) partitionsPerStream.set(m.key, (partitionsPerStream.get(m.key) ?? new Set()).add(m.partition));
    expect([...partitionsPerStream.values()].every((p) => p.size === 1)).toBe(true);
    const versionsOf = (stream: string) => received.filter((m) => m.key === stream).map((m) => Number(m.headers.ce_streamversion));
    for (const stream of partitionsPerStream.keys()) expect(versionsOf(stream)).toEqual([...versionsOf(stream)].sort((a, b) => a - b));

    expect(await checkpoints.load(await keyOf(name))).toBe(head);
    expect(published.reduce((a, b) => a + b, 0)).toBe(ids.length);
    expect(fromCloudEventKafkaMessage({ key: received[0].key, value: received[0].value, headers: received[0].headers }).eventId).toBe(
      received[0].headers.ce_id,
    );
  },
  SETUP_MS + 2 * RELAYED_MS,
); // the topic, the events read back and the relay's checkpoint

it(
  'resumes from the checkpoint after a crash between the broker ack and the checkpoint: nothing lost',
  async () => {
    const topic = await newTopic();
    const name = uniqueName('relay');
    const before = await store.headPosition();
    await checkpoints.save(await keyOf(name), before);
    const ids = await appendCanvassEvents(store, 400, { streams: 5 });
    const head = await store.headPosition();
    const received = await collect(topic);

    // Acks batch 1 and 2, then "dies" after the broker acked batch 3 but before its checkpoint.
    let saves = 0;
    const crashing: CheckpointStore = {
      load: (n) => checkpoints.load(n),
      forget: (n) => checkpoints.forget(n),
      save: async (n, p) => {
        if (++saves === 3) throw new Error('simulated crash');
        await checkpoints.save(n, p);
      },
    };
    const first = relayOn(topic, name, crashing);
    await first.start();
    await eventually(async () => (saves >= 3 ? true : undefined), RELAYED_MS);
    await first.stop();
    const stored = await checkpoints.load(await keyOf(name));
    expect(stored).toBeLessThan(head);

    const second = relayOn(topic, name);
    await second.start();
    await eventually(async () => (second.position === head ? true : undefined), RELAYED_MS);
    await second.stop();

    await eventually(async () => (new Set(received.map((r) => r.headers.ce_id)).size >= ids.length ? true : undefined), RELAYED_MS);
    expect(new Set(received.map((r) => r.headers.ce_id))).toEqual(new Set(ids));
    // The unacknowledged-by-checkpoint batch was sent again: at least once, not exactly once.
    expect(received.length).toBeGreaterThan(ids.length);
  },
  SETUP_MS + 3 * RELAYED_MS,
); // the topic, the crashing relay, the second relay and the events read back

it(
  'a relay process killed with SIGKILL mid-way is resumed by another relay without losing an event',
  async () => {
    const topic = await newTopic();
    const name = uniqueName('relay');
    const before = await store.headPosition();
    await checkpoints.save(await keyOf(name), before);
    const ids = await appendCanvassEvents(store, 3000, { streams: 30 });
    const head = await store.headPosition();
    const received = await collect(topic);

    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'testing', 'relay-process.ts')], {
      cwd: path.resolve(__dirname, '../../..'),
      env: { ...process.env, DATABASE_URL: database.url, RELAY_TOPIC: topic, RELAY_NAME: name, RELAY_BATCH_SIZE: '20' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await eventually(async () => ((await checkpoints.load(await keyOf(name))) >= before + 300n ? true : undefined), CHILD_MS, 20);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const atKill = await checkpoints.load(await keyOf(name));
    expect(atKill).toBeLessThan(head);

    const relay = relayOn(topic, name);
    await relay.start();
    await eventually(async () => (relay.position === head ? true : undefined), RELAYED_MS);
    expect(await relay.lag()).toBe(0n);
    await relay.stop();

    await eventually(async () => (new Set(received.map((r) => r.headers.ce_id)).size >= ids.length ? true : undefined), RELAYED_MS);
    expect(new Set(received.map((r) => r.headers.ce_id))).toEqual(new Set(ids));
  },
  SETUP_MS + CHILD_MS + 3 * RELAYED_MS,
); // the topic and 3,000 events appended, the child relay, the relay resuming it, the events read back

it(
  'reports as lag the events of its own streams not yet published: 0 once published, whatever other streams append',
  async () => {
    const topic = await newTopic();
    const name = uniqueName('relay');
    const prefix = `canvass.${name}-`;
    await checkpoints.save(await keyOf(name), await store.headPosition());
    const relay = new EventRelay({ name, store, checkpoints, kafka, source: '/city/test', streamPrefix: prefix, topicFor: () => topic, batchSize: 100 });
    await appendCanvassEvents(store, 120, { streams: 4, prefix: `${prefix}unit-` });
    await appendCanvassEvents(store, 80, { streams: 4, prefix: `canvass.other-${name}-` });
    // Counted in events of its streams, not in positions (which also cover the other streams' 80).
    expect(await relay.lag()).toBe(120n);

    await relay.start();
    await eventually(async () => ((await relay.lag()) === 0n ? true : undefined), RELAYED_MS);
    // Idle, with other streams' events after its last one: still 0, and so for a replica standing by.
    await appendCanvassEvents(store, 30, { streams: 3, prefix: `canvass.other-${name}-` });
    expect(await relay.lag()).toBe(0n);
    await relay.stop();
    const standby = new EventRelay({ name, store, checkpoints, kafka, source: '/city/test', streamPrefix: prefix, topicFor: () => topic });
    expect(await standby.lag()).toBe(0n);
  },
  SETUP_MS + 2 * RELAYED_MS,
);

it(
  'keeps its checkpoint per store: on another store, or the same one rebuilt, it publishes that log from its beginning; back on the first it resumes',
  async () => {
    const topic = await newTopic();
    const name = uniqueName('relay');
    // The first store: everything published, its checkpoint far along the log.
    await appendCanvassEvents(store, 20);
    await checkpoints.save(await keyOf(name), await store.headPosition());
    const schema = uniqueName('other_store').replace(/[^a-z0-9_]/g, '_');
    const open = async () => {
      const s = new PostgresEventStore(database.db, { schema });
      await s.migrate();
      return s;
    };
    let other = await open();
    const received = await collect(topic);
    try {
      // Another store in the same database: positions 1, 2, … all below the first store's checkpoint.
      const otherIds = await appendCanvassEvents(other, 12, { streams: 2 });
      expect(await other.identity()).not.toBe(await store.identity());
      const onOther = new EventRelay({ name, store: other, checkpoints, kafka, source: '/city/test', topicFor: () => topic, batchSize: 5 });
      await onOther.start();
      await eventually(async () => (new Set(received.map((r) => r.headers.ce_id)).size >= otherIds.length ? true : undefined), RELAYED_MS);
      await onOther.stop();
      expect(new Set(received.map((r) => r.headers.ce_id))).toEqual(new Set(otherIds));
      expect(await checkpoints.load(await keyOf(name, other))).toBe(await other.headPosition());

      // The same schema dropped and created again: a new log, whose positions start at 1 again.
      await other.close();
      await database.db.query(`DROP SCHEMA "${schema}" CASCADE`);
      other = await open();
      const rebuiltIds = await appendCanvassEvents(other, 3);
      received.length = 0;
      const onRebuilt = new EventRelay({ name, store: other, checkpoints, kafka, source: '/city/test', topicFor: () => topic });
      await onRebuilt.start();
      await eventually(async () => (new Set(received.map((r) => r.headers.ce_id)).size >= rebuiltIds.length ? true : undefined), RELAYED_MS);
      await onRebuilt.stop();
      expect(new Set(received.map((r) => r.headers.ce_id))).toEqual(new Set(rebuiltIds));

      // Back on the first store: where it was, nothing published again.
      const firstHead = await store.headPosition();
      expect(await checkpoints.load(await keyOf(name))).toBe(firstHead);
      const back = relayOn(topic, name);
      expect(await back.lag()).toBe(0n);
    } finally {
      await other.close();
      await database.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  },
  SETUP_MS + 3 * RELAYED_MS,
); // the topic and the second store, two relays publishing and the events read back

it(
  'forgets a checkpoint beyond its store’s head (the store restored from an older backup) and publishes the log again from its beginning',
  async () => {
    const topic = await newTopic();
    const name = uniqueName('relay');
    const schema = uniqueName('restored_store').replace(/[^a-z0-9_]/g, '_');
    const restored = new PostgresEventStore(database.db, { schema });
    try {
      await restored.migrate();
      const ids = await appendCanvassEvents(restored, 8);
      // The checkpoint as the relay left it before the store went back to a backup of 8 events.
      await checkpoints.save(await keyOf(name, restored), 50n);
      const received = await collect(topic);
      const notices: string[] = [];
      const relay = new EventRelay({
        name,
        store: restored,
        checkpoints,
        kafka,
        source: '/city/test',
        topicFor: () => topic,
        onNotice: (m) => notices.push(m),
      });
      await relay.start();
      await eventually(async () => (relay.position === 8n ? true : undefined), RELAYED_MS);
      await relay.stop();
      await eventually(async () => (received.length >= ids.length ? true : undefined), RELAYED_MS);
      expect(new Set(received.map((r) => r.headers.ce_id))).toEqual(new Set(ids));
      expect(await checkpoints.load(await keyOf(name, restored))).toBe(8n);
      expect(notices).toEqual([expect.stringMatching(/checkpoint 50 lies beyond the head 8 .*publishing its log again from the beginning$/)]);
    } finally {
      await restored.close();
      await database.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  },
  SETUP_MS + 2 * RELAYED_MS,
); // the topic and the store, the relay publishing and the events read back

it(
  'migrates the checkpoints kept by relay name only: each is claimed by the store it can belong to, one beyond the head by none',
  async () => {
    const old = await createTestDatabase('relay_migration');
    const oldStore = new PostgresEventStore(old.db);
    const topic = await newTopic();
    try {
      await oldStore.migrate();
      const ids = await appendCanvassEvents(oldStore, 10);
      // The table as it was: one checkpoint per relay name.
      await old.db.query(`CREATE TABLE relay_checkpoints (name text PRIMARY KEY, position bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
      await old.db.query(`INSERT INTO relay_checkpoints (name, position) VALUES ('canvass', 6), ('elsewhere', 1000000000)`);
      const oldCheckpoints = new PostgresCheckpointStore(old.db);
      await Promise.all([oldCheckpoints.migrate(), oldCheckpoints.migrate()]);
      await oldCheckpoints.migrate();
      const { rows } = await old.db.query<{ name: string; store: string }>('SELECT name, store FROM relay_checkpoints ORDER BY name');
      expect(rows).toEqual([
        { name: 'canvass', store: '' },
        { name: 'elsewhere', store: '' },
      ]);

      const received = await collect(topic);
      const relayOf = (relay: string) =>
        new EventRelay({ name: relay, store: oldStore, checkpoints: oldCheckpoints, kafka, source: '/city/test', topicFor: () => topic });
      const notices: string[] = [];
      const canvass = new EventRelay({
        name: 'canvass',
        store: oldStore,
        checkpoints: oldCheckpoints,
        kafka,
        source: '/city/test',
        topicFor: () => topic,
        onNotice: (m) => notices.push(m),
      });
      await canvass.start();
      await eventually(async () => (canvass.position === 10n ? true : undefined), RELAYED_MS);
      await canvass.stop();
      // Resumed after its old checkpoint: the last 4 events only.
      await eventually(async () => (received.length >= 4 ? true : undefined), RELAYED_MS);
      expect(new Set(received.map((r) => r.headers.ce_id))).toEqual(new Set(ids.slice(6)));
      expect(notices).toEqual([expect.stringMatching(/^Relay canvass resumes after 6, its checkpoint from before checkpoints were kept per store/)]);

      // A position beyond this store's head cannot be this store's: that relay starts from the beginning.
      received.length = 0;
      const elsewhere = relayOf('elsewhere');
      await elsewhere.start();
      await eventually(async () => (elsewhere.position === 10n ? true : undefined), RELAYED_MS);
      await elsewhere.stop();
      await eventually(async () => (received.length >= 10 ? true : undefined), RELAYED_MS);
      expect(new Set(received.map((r) => r.headers.ce_id))).toEqual(new Set(ids));

      const identity = await oldStore.identity();
      const { rows: after } = await old.db.query<{ name: string; store: string; position: string }>(
        'SELECT name, store, position::text AS position FROM relay_checkpoints ORDER BY name, store',
      );
      expect(after).toEqual([
        { name: 'canvass', store: identity, position: '10' },
        { name: 'elsewhere', store: '', position: '1000000000' },
        { name: 'elsewhere', store: identity, position: '10' },
      ]);
    } finally {
      await oldStore.close();
      await old.drop();
    }
  },
  2 * SETUP_MS + 4 * RELAYED_MS,
); // the database and topic, two relays and their events read back
