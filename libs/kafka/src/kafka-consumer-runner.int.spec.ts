import { Partitioners } from 'kafkajs';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { eventually, TEST_KAFKA_BROKERS, uniqueName } from '@city/testing';
import { DLQ_HEADERS } from './dead-letter';
import { createKafka } from './kafka-client';
import { KafkaConsumerRunner } from './kafka-consumer-runner';
import type { ConsumedBatch, ConsumerBatchHandler } from './kafka-consumer-runner';
import { deadLetterTopicOf, ensureTopics } from './topics';

// Budgets: every wait returns as soon as its condition holds (seconds on an idle machine, most of it the
// broker's rebalance delay), so they are sized for a loaded machine, where only the waiting grows.
/** A runner (or a reader) joining its group and consuming the few dozen messages of a test's topic. */
const CONSUMED_MS = 60_000;
/** Creating or deleting a test's topics. */
const TOPICS_MS = 60_000;

let kafka: Kafka;
const topics: string[] = [];
const runners: KafkaConsumerRunner<unknown>[] = [];

beforeAll(() => {
  kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'consumer-runner-test' });
});

afterAll(async () => {
  await Promise.allSettled(runners.map((r) => r.stop()));
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: topics.flatMap((t) => [t, deadLetterTopicOf(t)]) }).catch(() => undefined);
  await admin.disconnect();
}, TOPICS_MS);

/** A topic with `count` messages `{"n": i}` on partition `i % partitions`. */
async function topicWith(count: number, partitions: number, value: (i: number) => string = (i) => JSON.stringify({ n: i })): Promise<string> {
  const topic = uniqueName('consumer-runner-test');
  topics.push(topic);
  await ensureTopics(kafka, [{ topic, numPartitions: partitions }]);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: value(i), partition: i % partitions })) });
  await producer.disconnect();
  return topic;
}

/** A handler that keeps its "read model" and offsets together in memory, as a database transaction would. */
class MemoryHandler implements ConsumerBatchHandler<number> {
  readonly offsets = new Map<number, string>();
  readonly applied: { partition: number; offset: string; n: number }[] = [];
  readonly batches: ConsumedBatch<number>[] = [];
  failures = 0;
  saturated = false;
  refuse?: (n: number) => Error | undefined;

  async handleBatch(batch: ConsumedBatch<number>): Promise<void> {
    this.batches.push(batch);
    for (const m of batch.messages) {
      const error = this.refuse?.(m.value);
      if (error) {
        this.failures++;
        throw error;
      }
    }
    for (const m of batch.messages) this.applied.push({ partition: m.partition, offset: m.offset, n: m.value });
    this.offsets.set(batch.partition, batch.nextOffset);
  }

  async loadOffsets(): Promise<ReadonlyMap<number, string>> {
    return new Map(this.offsets);
  }

  isSaturated(): boolean {
    return this.saturated;
  }
}

function decodeN(message: KafkaMessage): number {
  const parsed = JSON.parse(String(message.value)) as { n?: unknown };
  if (typeof parsed.n !== 'number') throw new TypeError('no n');
  return parsed.n;
}

function runner(topic: string, handler: MemoryHandler, groupId = uniqueName('consumer-runner-test'), onDeadLetter?: (offset: string) => void) {
  const r = new KafkaConsumerRunner<number>({
    kafka,
    groupId,
    topics: [topic],
    decode: decodeN,
    handler,
    retryDelayMs: { initial: 10, max: 50 },
    saturationCheckMs: 20,
    onDeadLetter: (m) => onDeadLetter?.(m.offset),
  });
  runners.push(r as KafkaConsumerRunner<unknown>);
  return r;
}

it(
  'starts each partition at the offset the handler stored, behind or ahead of the group',
  async () => {
    const topic = await topicWith(60, 2);
    const groupId = uniqueName('consumer-runner-test');
    // The group believes partition 0 is done up to 25 and partition 1 up to 3...
    // The broker can answer "does not host this topic-partition" for a moment after creating the topic
    // (its metadata cache lags the controller), so setting the group's offsets is retried until it holds.
    const admin = kafka.admin();
    await admin.connect();
    await eventually(async () => {
      await admin.setOffsets({
        groupId,
        topic,
        partitions: [
          { partition: 0, offset: '25' },
          { partition: 1, offset: '3' },
        ],
      });
      return true;
    }, TOPICS_MS);
    await admin.disconnect();
    // ...but the handler's store says 10 and 20.
    const handler = new MemoryHandler();
    handler.offsets.set(0, '10');
    handler.offsets.set(1, '20');
    const r = runner(topic, handler, groupId);
    await r.start();
    await eventually(async () => (handler.offsets.get(0) === '30' && handler.offsets.get(1) === '30' ? true : undefined), CONSUMED_MS);
    await r.stop();

    const offsetsOf = (p: number) => handler.applied.filter((a) => a.partition === p).map((a) => Number(a.offset));
    expect(offsetsOf(0)).toEqual(Array.from({ length: 20 }, (_, i) => 10 + i));
    expect(offsetsOf(1)).toEqual(Array.from({ length: 10 }, (_, i) => 20 + i));
  },
  TOPICS_MS + CONSUMED_MS,
); // the topic created and consumed once

it(
  'retries a failing batch, then dead-letters only the messages that keep failing, and malformed ones at once',
  async () => {
    const topic = await topicWith(40, 1, (i) => (i === 7 ? 'not json' : JSON.stringify({ n: i })));
    const handler = new MemoryHandler();
    let transient = 2;
    handler.refuse = (n) => {
      if (n === 3 && transient > 0) {
        transient--;
        return new Error('database hiccup');
      }
      return n === 21 ? new Error('cannot apply 21') : undefined;
    };
    const deadLettered: string[] = [];
    const r = runner(topic, handler, undefined, (offset) => deadLettered.push(offset));
    await r.start();
    await eventually(async () => (handler.offsets.get(0) === '40' ? true : undefined), CONSUMED_MS);
    await r.stop();

    expect(deadLettered.sort()).toEqual(['21', '7']);
    expect(handler.applied.map((a) => a.n)).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((n) => n !== 7 && n !== 21));
    // The decoder never handed message 7 to the handler.
    expect(handler.batches.some((b) => b.messages.some((m) => m.offset === '7'))).toBe(false);

    const dlq: KafkaMessage[] = [];
    const reader = kafka.consumer({ groupId: uniqueName('dlq-reader') });
    await reader.connect();
    await reader.subscribe({ topics: [deadLetterTopicOf(topic)], fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void dlq.push(message) });
    await eventually(async () => (dlq.length >= 2 ? true : undefined), CONSUMED_MS);
    await reader.disconnect();
    const byOffset = new Map(dlq.map((m) => [String(m.headers?.[DLQ_HEADERS.originalOffset]), m]));
    expect(String(byOffset.get('7')?.value)).toBe('not json');
    expect(String(byOffset.get('7')?.headers?.[DLQ_HEADERS.errorType])).toBe('SyntaxError');
    expect(String(byOffset.get('21')?.headers?.[DLQ_HEADERS.error])).toBe('cannot apply 21');
    expect(String(byOffset.get('21')?.key)).toBe('k21');
    expect(String(byOffset.get('21')?.headers?.[DLQ_HEADERS.originalTopic])).toBe(topic);
    expect(String(byOffset.get('21')?.headers?.[DLQ_HEADERS.originalPartition])).toBe('0');
  },
  TOPICS_MS + 2 * CONSUMED_MS,
); // the topic created, consumed with retries, and its dead-letter topic read back

it(
  'pauses the partitions while the handler is saturated and resumes when it is not',
  async () => {
    const topic = await topicWith(30, 1);
    const handler = new MemoryHandler();
    handler.saturated = true;
    const r = new KafkaConsumerRunner<number>({
      kafka,
      groupId: uniqueName('consumer-runner-test'),
      topics: [topic],
      decode: decodeN,
      handler,
      saturationCheckMs: 20,
      consumerConfig: { maxBytesPerPartition: 200 }, // a few messages per batch
    });
    runners.push(r as KafkaConsumerRunner<unknown>);
    await r.start();
    await eventually(async () => (handler.batches.length >= 1 ? true : undefined), CONSUMED_MS);
    await eventually(async () => (r.pausedPartitions.length === 1 ? true : undefined), CONSUMED_MS);
    // While paused, no second batch arrives (here a fixed time is the evidence: a slow machine only makes it weaker).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(handler.batches).toHaveLength(1);
    expect(r.pausedPartitions).toHaveLength(1);

    handler.saturated = false;
    await eventually(async () => (handler.offsets.get(0) === '30' ? true : undefined), CONSUMED_MS);
    await r.stop();
    expect(r.pausedPartitions).toHaveLength(0);
    expect(handler.applied.map((a) => a.n)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  },
  TOPICS_MS + 3 * CONSUMED_MS,
); // the topic created, the first batch, the pause, and the rest once resumed

it(
  'creates a missing contract topic as its AsyncAPI document says, never with partitions of its own',
  async () => {
    const topic = uniqueName('consumer-runner-contract');
    topics.push(topic);
    // The contract of this test's topic (as topicSettingsOf reads it from contracts/topics): 5 partitions,
    // 3 replicas (one per broker of the test cluster), 7 days of retention. The runner's own default is 3 partitions.
    const settings = { topic, partitions: 5, replicas: 3, config: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' } };
    const r = new KafkaConsumerRunner<number>({
      kafka,
      groupId: uniqueName('consumer-runner-contract'),
      topics: [topic],
      decode: decodeN,
      handler: new MemoryHandler(),
      topicSettings: (t) => (t === topic ? settings : undefined),
    });
    runners.push(r as KafkaConsumerRunner<unknown>);
    await r.start();

    const admin = kafka.admin();
    await admin.connect();
    try {
      const brokers = (await admin.describeCluster()).brokers.length;
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(metadata.partitions).toHaveLength(5);
      expect(metadata.partitions[0].replicas).toHaveLength(Math.min(3, brokers));
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2 /* TOPIC */, name: topic, configNames: ['retention.ms'] }],
      });
      expect(resources[0].configEntries.find((e) => e.configName === 'retention.ms')?.configValue).toBe('604800000');
      // Its dead-letter topic has no contract: the runner's default.
      const [dlq] = (await admin.fetchTopicMetadata({ topics: [deadLetterTopicOf(topic)] })).topics;
      expect(dlq.partitions).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  },
  TOPICS_MS + CONSUMED_MS,
);
