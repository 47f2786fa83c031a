import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { CANVASS_EVENT_SAMPLES, canvassStreams, type CanvassEventType } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { eventually, TEST_KAFKA_BROKERS, uniqueName } from '@city/testing';
import { cloudEventDecoder } from './cloud-event-decoder';
import { CE_HEADERS, toCloudEventKafkaMessage, type DecodedCloudEvent } from './cloudevents';
import { DLQ_HEADERS } from './dead-letter';
import { createKafka } from './kafka-client';
import { KafkaConsumerRunner, type ConsumedBatch, type ConsumerBatchHandler } from './kafka-consumer-runner';
import { deadLetterTopicOf, ensureTopics } from './topics';

/**
 * The consumer's half of the contract, on a real broker: a message whose
 * `ce_type` no contract knows, or whose data breaks its schema, goes to
 * `<topic>.dlq` with the error headers at once (no retries), and the partition
 * moves on to the valid messages behind it.
 */

// Each wait returns as soon as its condition holds: a consumer group joining and reading a few
// messages takes seconds when idle, and up to CONSUMED_MS on a loaded machine.
const CONSUMED_MS = 60_000;
// A test: the topic created, the runner's group and then the dead-letter reader's group consuming.
jest.setTimeout(3 * CONSUMED_MS);

let kafka: Kafka;
let topic: string;
let runner: KafkaConsumerRunner<DecodedCloudEvent> | undefined;

beforeAll(() => {
  kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'cloud-event-decoder-test' });
  topic = uniqueName('cloud-event-decoder-test');
});

afterAll(async () => {
  await runner?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, deadLetterTopicOf(topic)] }).catch(() => undefined);
  await admin.disconnect();
}, 30000);

let position = 0n;
function recorded<T extends CanvassEventType>(type: T, data: object = CANVASS_EVENT_SAMPLES[type].data): RecordedEvent {
  position++;
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: { correlationId: 'corr-1', causationId: 'cmd-1', district: '310105' },
    streamId: canvassStreams.unit('a3e1c7d2-48b9-4f60-b1d5-7c2e9f08a4b6'),
    streamVersion: Number(position),
    globalPosition: position,
    recordedAt: new Date().toISOString(),
  };
}

function asMessage(event: RecordedEvent, headers: Record<string, string> = {}) {
  const message = toCloudEventKafkaMessage(event, { source: '/city/canvass' });
  return { key: message.key, value: message.value, headers: { ...message.headers, ...headers }, partition: 0 };
}

/** Keeps the applied events and the next offset together in memory, as the handler's transaction would. */
class MemoryHandler implements ConsumerBatchHandler<DecodedCloudEvent> {
  readonly applied: { offset: string; type: string }[] = [];
  nextOffset?: string;

  async handleBatch(batch: ConsumedBatch<DecodedCloudEvent>): Promise<void> {
    for (const m of batch.messages) this.applied.push({ offset: m.offset, type: m.value.type });
    this.nextOffset = batch.nextOffset;
  }

  async loadOffsets(): Promise<ReadonlyMap<number, string>> {
    return new Map(this.nextOffset === undefined ? [] : [[0, this.nextOffset]]);
  }
}

it('dead-letters an unknown ce_type and data that breaks its schema, without retries, and moves on', async () => {
  const visit = CANVASS_EVENT_SAMPLES.CanvassVisitRecorded.data;
  await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      asMessage(recorded('UnitRegistered')),
      asMessage(recorded('UnitRegistered'), { [CE_HEADERS.type]: 'city.canvass.UnitPainted.v1' }),
      asMessage(recorded('CanvassVisitRecorded', { ...visit, findings: { ...visit.findings, tenantsOpened: -1 } })),
      asMessage(recorded('UnitRegistered'), { [CE_HEADERS.type]: 'city.canvass.UnitRegistered.v7' }),
      asMessage(recorded('CanvassVisitRecorded')),
    ],
  });
  await producer.disconnect();

  const handler = new MemoryHandler();
  const errors: Error[] = [];
  const deadLettered: string[] = [];
  runner = new KafkaConsumerRunner<DecodedCloudEvent>({
    kafka,
    groupId: uniqueName('cloud-event-decoder-test'),
    topics: [topic],
    decode: cloudEventDecoder(),
    handler,
    // Everything would be retried: what is not, is not retried because it never reached the handler.
    isRetriable: () => true,
    onError: (error) => errors.push(error),
    onDeadLetter: (m) => deadLettered.push(m.offset),
  });
  await runner.start();
  await eventually(async () => (handler.nextOffset === '5' ? true : undefined), CONSUMED_MS);
  await runner.stop();
  runner = undefined;

  expect(handler.applied).toEqual([
    { offset: '0', type: 'UnitRegistered' },
    { offset: '4', type: 'CanvassVisitRecorded' },
  ]);
  expect(deadLettered).toEqual(['1', '2', '3']);
  expect(errors).toEqual([]);

  const dlq: KafkaMessage[] = [];
  const reader = kafka.consumer({ groupId: uniqueName('dlq-reader') });
  await reader.connect();
  await reader.subscribe({ topics: [deadLetterTopicOf(topic)], fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void dlq.push(message) });
  await eventually(async () => (dlq.length >= 3 ? true : undefined), CONSUMED_MS);
  await reader.disconnect();

  const header = (m: KafkaMessage | undefined, name: string) => m?.headers?.[name]?.toString();
  const byOffset = new Map(dlq.map((m) => [header(m, DLQ_HEADERS.originalOffset), m]));
  expect(dlq).toHaveLength(3);
  expect(header(byOffset.get('1'), DLQ_HEADERS.errorType)).toBe('UnknownEventTypeError');
  expect(header(byOffset.get('1'), DLQ_HEADERS.error)).toBe('Unknown event type UnitPainted v1');
  expect(header(byOffset.get('1'), CE_HEADERS.type)).toBe('city.canvass.UnitPainted.v1');
  expect(header(byOffset.get('2'), DLQ_HEADERS.errorType)).toBe('ValidationError');
  expect(header(byOffset.get('2'), DLQ_HEADERS.error)).toMatch(/^CanvassVisitRecorded v1 data breaks its contract: \/findings\/tenantsOpened: must be >= 0/);
  expect(header(byOffset.get('3'), DLQ_HEADERS.error)).toBe('Unknown event type UnitRegistered v7');
  for (const m of dlq) {
    expect(header(m, DLQ_HEADERS.originalTopic)).toBe(topic);
    expect(header(m, DLQ_HEADERS.originalPartition)).toBe('0');
  }
});
