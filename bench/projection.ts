/**
 * Benchmark: the Kafka projection runner, Kafka → PostgreSQL read model.
 *
 *   node -r @swc-node/register bench/projection.ts
 *
 * Publishes 100,000 CloudEvents messages (the relay's format, 1,000 streams)
 * to a topic of its own with 3 partitions on KAFKA_BROKERS (default
 * 127.0.0.1:9092), then times a ProjectionRunner (fresh consumer group) from
 * start until every message is applied: per batch, ONE transaction upserts a
 * read model of counts per event type and district (aggregated in memory,
 * one `unnest` upsert) together with the consumed offsets. The database is
 * one of its own on the server at DATABASE_URL. Verifies the counts add up to
 * exactly 100,000 and the stored offsets cover the topic, cleans up, prints
 * one JSON line on stdout.
 */
import { randomUUID } from 'node:crypto';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { CANVASS_EVENT_SAMPLES } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { createKafka, ensureTopics, toCloudEventKafkaMessage } from '@city/kafka';
import { ProjectionRunner } from '@city/projections';
import type { Projection } from '@city/projections';
import type { SqlExecutor } from '@city/sql';
import { createTestDatabase, TEST_KAFKA_BROKERS, uniqueName } from '@city/testing';

const TOTAL_EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const STREAMS = 1_000;
const PARTITIONS = 3;
const TYPES = ['CanvassVisitRecorded', 'UnitRegistered', 'GateShiftEnded', 'DoorstepServiceDelivered'] as const;
const DISTRICTS = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112'];

/** Events per type and district: the shape of the operations center's figures. */
class CountsPerDistrict implements Projection {
  readonly name = 'bench-counts';
  readonly handles = TYPES;

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(
      `CREATE TABLE IF NOT EXISTS bench_counts (type text NOT NULL, district text NOT NULL, events bigint NOT NULL, PRIMARY KEY (type, district))`,
    );
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    const counts = new Map<string, { type: string; district: string; n: number }>();
    for (const e of events) {
      const district = e.metadata.district ?? 'none';
      const key = `${e.type}/${district}`;
      const row = counts.get(key);
      if (row) row.n++;
      else counts.set(key, { type: e.type, district, n: 1 });
    }
    const rows = [...counts.values()];
    await tx.query(
      `INSERT INTO bench_counts (type, district, events) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (type, district) DO UPDATE SET events = bench_counts.events + EXCLUDED.events`,
      [rows.map((r) => r.type), rows.map((r) => r.district), rows.map((r) => r.n)],
    );
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE bench_counts');
  }
}

function recorded(i: number): RecordedEvent {
  const stream = i % STREAMS;
  const district = DISTRICTS[stream % DISTRICTS.length];
  return {
    eventId: randomUUID(),
    type: TYPES[i % TYPES.length],
    schemaVersion: 1,
    // Data that keeps its contract: the runner checks every event against its schema, as in production.
    data: CANVASS_EVENT_SAMPLES[TYPES[i % TYPES.length]].data,
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actorId: 'official-7', actorRole: 'field-official', district },
    streamId: `canvass.unit-${stream}`,
    streamVersion: Math.floor(i / STREAMS),
    globalPosition: BigInt(i + 1),
    recordedAt: new Date().toISOString(),
  };
}

async function publish(kafka: ReturnType<typeof createKafka>, topic: string): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let from = 0; from < TOTAL_EVENTS; from += 1000) {
      const messages = Array.from({ length: Math.min(1000, TOTAL_EVENTS - from) }, (_, k) => {
        const m = toCloudEventKafkaMessage(recorded(from + k), { source: '/city/canvass' });
        return { key: m.key, value: m.value, headers: { ...m.headers } };
      });
      await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_projection');
  const kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'bench-projection' });
  const topic = uniqueName('bench-projection');
  let runner: ProjectionRunner | undefined;
  try {
    await ensureTopics(kafka, [{ topic, numPartitions: PARTITIONS }]);
    await publish(kafka, topic);

    let applied = 0;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    runner = new ProjectionRunner({
      kafka,
      db: database.db,
      projections: [new CountsPerDistrict()],
      topics: [topic],
      groupId: uniqueName('bench-projection'),
      observer: {
        eventsApplied: (_projection, _type, count) => {
          applied += count;
          if (applied >= TOTAL_EVENTS) done();
        },
      },
      consumer: {
        consumerConfig: { maxBytesPerPartition: Number(process.env.BENCH_MAX_BYTES ?? 4 * 1024 * 1024) },
        partitionsConsumedConcurrently: Number(process.env.BENCH_CONCURRENCY ?? 1),
        onError: (error) => console.error(`projection: ${error.message}`),
      },
    });
    const started = process.hrtime.bigint();
    await runner.start();
    await finished;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await runner.stop();
    runner = undefined;

    const counted = await database.db.query<{ n: string }>('SELECT coalesce(sum(events), 0)::text AS n FROM bench_counts');
    if (Number(counted.rows[0].n) !== TOTAL_EVENTS) throw new Error(`expected ${TOTAL_EVENTS} counted events, found ${counted.rows[0].n}`);
    const offsets = await database.db.query<{ n: string }>('SELECT coalesce(sum(next_offset), 0)::text AS n FROM consumer_offsets WHERE topic = $1', [topic]);
    if (Number(offsets.rows[0].n) !== TOTAL_EVENTS) throw new Error(`stored offsets cover ${offsets.rows[0].n} messages, expected ${TOTAL_EVENTS}`);

    console.log(
      JSON.stringify({
        bench: 'projection',
        events: TOTAL_EVENTS,
        eventsPerSec: Math.round(TOTAL_EVENTS / seconds),
        seconds: Number(seconds.toFixed(2)),
        partitions: PARTITIONS,
      }),
    );
  } finally {
    await runner?.stop().catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
