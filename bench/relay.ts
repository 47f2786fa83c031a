/**
 * Benchmark: the event relay, PostgreSQL event store → Kafka.
 *
 *   node -r @swc-node/register bench/relay.ts
 *
 * Stores 100,000 events (1,000 streams, CloudEvents-sized payloads) in a
 * database of its own on the server at DATABASE_URL, then times one relay from
 * checkpoint 0 until the broker (KAFKA_BROKERS, default 127.0.0.1:9092) has
 * acknowledged every event and the checkpoint says so: idempotent producer,
 * acks = all, one topic of its own with 4 partitions. Verifies the topic holds
 * every event, drops the database and the topic, prints one JSON line on stdout.
 */
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@city/eventsourcing';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createKafka, ensureTopics, EventRelay, PostgresCheckpointStore, PRODUCER_THREADS_DEFAULT } from '@city/kafka';
import { createTestDatabase, TEST_KAFKA_BROKERS, uniqueName } from '@city/testing';

const TOTAL_EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const STREAMS = 1_000;
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 1_000);
/** Producer worker threads of the relay (0 = in the main thread); default the relay's default. */
const PRODUCER_THREADS = process.env.RELAY_BENCH_PRODUCER_THREADS === undefined ? undefined : Number(process.env.RELAY_BENCH_PRODUCER_THREADS);
const DISTRICTS = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112'];

function event(i: number): NewEvent {
  const district = DISTRICTS[i % DISTRICTS.length];
  return {
    eventId: randomUUID(),
    type: 'CanvassVisitRecorded',
    schemaVersion: 1,
    data: {
      visitId: `visit-${i}`,
      unitId: `unit-${i % STREAMS}`,
      districtCode: district,
      subdistrictCode: `${district}001`,
      kind: 'residential-building-group',
      officialId: 'official-7',
      recordedBy: 'official-7',
      standingIn: false,
      visitedAt: '2026-03-01T08:00:00.000+08:00',
      findings: { tenantsOpened: 2, tenantsClosed: 0, householdsCanvassed: 40, returnedFromOutside: 1, inHomeObservation: 0, problems: [] },
    },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actorId: 'official-7', actorRole: 'field-official', district },
  };
}

/** 100 events per append call, 16 calls in flight (the store group-commits them). */
async function fill(store: PostgresEventStore): Promise<void> {
  const perStream = TOTAL_EVENTS / STREAMS;
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < STREAMS) {
        const s = next++;
        await store.appendToStream(
          `canvass.unit-${s}`,
          Array.from({ length: perStream }, (_, k) => event(s * perStream + k)),
          'no_stream',
        );
      }
    }),
  );
}

async function countMessages(kafka: ReturnType<typeof createKafka>, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_relay');
  const kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'bench-relay' });
  const topic = uniqueName('bench-relay');
  const store = new PostgresEventStore(database.db);
  try {
    await store.migrate();
    const checkpoints = new PostgresCheckpointStore(database.db);
    await checkpoints.migrate();
    await fill(store);
    const head = await store.headPosition();
    if (head !== BigInt(TOTAL_EVENTS)) throw new Error(`expected ${TOTAL_EVENTS} stored events, head is ${head}`);
    await ensureTopics(kafka, [{ topic, numPartitions: 4 }]);

    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const relay = new EventRelay({
      name: 'bench',
      store,
      checkpoints,
      kafka,
      source: '/city/canvass',
      topicFor: () => topic,
      batchSize: BATCH_SIZE,
      maxRequestBytes: Number(process.env.BENCH_REQUEST_BYTES ?? 900_000),
      producerThreads: PRODUCER_THREADS,
      onCheckpoint: (position) => position >= head && done(),
      onError: (error) => console.error(`relay: ${error.message}`),
    });
    // Throughput is timed from the moment the producers are connected; their start-up
    // (a worker thread loading kafkajs, once per process) is reported apart as startupMs.
    const starting = process.hrtime.bigint();
    await relay.start();
    const started = process.hrtime.bigint();
    const startupMs = Number(started - starting) / 1e6;
    await finished;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await relay.stop();

    const onTopic = await countMessages(kafka, topic);
    if (onTopic < TOTAL_EVENTS) throw new Error(`expected ${TOTAL_EVENTS} messages on ${topic}, found ${onTopic}`);
    if ((await checkpoints.load({ relay: 'bench', store: await store.identity() })) !== head) throw new Error('checkpoint does not match the head of the log');

    console.log(
      JSON.stringify({
        bench: 'relay',
        events: TOTAL_EVENTS,
        eventsPerSec: Math.round(TOTAL_EVENTS / seconds),
        seconds: Number(seconds.toFixed(2)),
        startupMs: Math.round(startupMs),
        batchSize: BATCH_SIZE,
        producerThreads: PRODUCER_THREADS ?? PRODUCER_THREADS_DEFAULT,
      }),
    );
  } finally {
    await store.close().catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
