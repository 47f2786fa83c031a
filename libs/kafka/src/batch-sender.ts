import { CompressionTypes, Partitioners } from 'kafkajs';
import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import { ensureTopics } from './topics';

/** A message for a topic, with its estimated size on the wire. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly message: Message;
  readonly bytes: number;
}

export interface BatchSenderOptions {
  /** Upper bound of one produce request (estimated bytes). */
  readonly maxRequestBytes: number;
  /** Partitions of the topics it creates when they do not exist. */
  readonly topicPartitions: number;
}

/**
 * Sends batches of messages, in order, through one idempotent producer
 * (acks = all, one request in flight, as kafkajs requires for idempotence),
 * creating missing topics on first sight.
 *
 * Requests stay under `maxRequestBytes`: the broker refuses a record batch
 * above its max.message.bytes (1 MiB by default) and kafkajs puts all of a
 * partition's messages of one request in one record batch, so a large batch
 * goes out as several requests, one after the other.
 *
 * (Several producers side by side, one per group of partitions, were measured
 * too: no gain, the relay is bound by kafkajs' CPU cost of encoding records.)
 */
export class BatchSender {
  private producer?: Producer;
  private readonly knownTopics = new Set<string>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BatchSenderOptions,
  ) {}

  async connect(): Promise<void> {
    await this.disconnect();
    // Topics come from ensureTopics (the contracts' settings), never from the broker's defaults.
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    this.producer = producer;
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  /** Resolves when the broker has acknowledged every message. */
  async send(outgoing: readonly OutgoingMessage[]): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new Error('BatchSender is not connected');
    await this.ensureTopics([...new Set(outgoing.map((o) => o.topic))]);
    for (const chunk of chunksOf(outgoing, this.options.maxRequestBytes)) {
      await producer.sendBatch({ topicMessages: byTopic(chunk), acks: -1, compression: CompressionTypes.None });
    }
  }

  private async ensureTopics(topics: readonly string[]): Promise<void> {
    const unknown = topics.filter((t) => !this.knownTopics.has(t));
    if (unknown.length === 0) return;
    await ensureTopics(
      this.kafka,
      unknown.map((topic) => ({ topic, numPartitions: this.options.topicPartitions })),
    );
    unknown.forEach((t) => this.knownTopics.add(t));
  }
}

/** Consecutive runs of messages whose estimated size stays within `maxBytes` (a bigger message goes alone). */
export function* chunksOf<T extends { bytes: number }>(items: readonly T[], maxBytes: number): Generator<T[]> {
  let chunk: T[] = [];
  let size = 0;
  for (const item of items) {
    if (chunk.length > 0 && size + item.bytes > maxBytes) {
      yield chunk;
      chunk = [];
      size = 0;
    }
    chunk.push(item);
    size += item.bytes;
  }
  if (chunk.length > 0) yield chunk;
}

function byTopic(chunk: readonly OutgoingMessage[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const { topic, message } of chunk) {
    let messages = topics.get(topic);
    if (!messages) topics.set(topic, (messages = []));
    messages.push(message);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
