import { Partitioners } from 'kafkajs';
import type { Kafka, PartitionMetadata } from 'kafkajs';
import type { BatchSenderOptions, OutgoingMessage } from './batch-sender';
import type { KafkaSettings } from './kafka-client';
import { ensureTopics } from './topics';
import { WorkerBatchSender } from './worker-batch-sender';

export interface ThreadedBatchSenderOptions extends BatchSenderOptions {
  /** Worker threads, each with its own idempotent producer; partition p goes to thread p % threads. */
  readonly threads: number;
}

/**
 * BatchSender's interface, with N producers in N worker threads, so kafkajs'
 * record encoding (CPU-bound) spreads over the cores.
 *
 * This thread picks each message's partition with kafkajs' default
 * partitioner (murmur2 of the key, as the producer itself would) and sets
 * `message.partition`; partition p belongs to thread p % N. A stream's events
 * share a key, hence one partition and one producer, which sends them in
 * order (one request in flight): per-stream order holds as with one producer.
 *
 * `send` resolves only once every thread's producer acknowledged its share,
 * and rejects (with the first failure's name and message) only once every
 * thread has settled, so a restart never races a share still in flight.
 */
export class ThreadedBatchSender {
  private readonly workers: WorkerBatchSender[];
  private readonly partitionCounts = new Map<string, number>();
  private readonly partitioner = Partitioners.DefaultPartitioner();

  constructor(
    private readonly kafka: Kafka,
    settings: KafkaSettings,
    private readonly options: ThreadedBatchSenderOptions,
  ) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new Error(`ThreadedBatchSender needs 1 or more threads, got ${options.threads}`);
    const sender: BatchSenderOptions = { maxRequestBytes: options.maxRequestBytes, topicPartitions: options.topicPartitions };
    this.workers = Array.from({ length: options.threads }, () => new WorkerBatchSender({ kafka: settings, sender }));
  }

  async connect(): Promise<void> {
    const results = await Promise.allSettled(this.workers.map((w) => w.connect()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await this.disconnect();
      throw failed.reason;
    }
  }

  async disconnect(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.disconnect()));
  }

  /** Resolves when the broker has acknowledged every message. */
  async send(outgoing: readonly OutgoingMessage[]): Promise<void> {
    await this.learnPartitionCounts([...new Set(outgoing.map((o) => o.topic))]);
    const shares: OutgoingMessage[][] = this.workers.map(() => []);
    for (const o of outgoing) {
      const partition = this.partitionOf(o);
      // Written out, not spread and extended (V8 builds such literals through a new hidden class each time).
      const { key, value, headers, timestamp } = o.message;
      shares[partition % shares.length].push({ topic: o.topic, bytes: o.bytes, message: { key, value, headers, timestamp, partition } });
    }
    const results = await Promise.allSettled(shares.map((share, i) => (share.length > 0 ? this.workers[i].send(share) : undefined)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private partitionOf({ topic, message }: OutgoingMessage): number {
    if (typeof message.partition === 'number') return message.partition;
    const count = this.partitionCounts.get(topic) ?? 0;
    // A keyed message (every event: its stream id) goes where kafkajs' default partitioner sends it, computed without its allocations.
    if (message.key !== null && message.key !== undefined && count > 0) return (murmur2(message.key) & 0x7fffffff) % count;
    return this.partitioner({ topic, partitionMetadata: metadataOf(count), message });
  }

  /** Creates missing topics, then reads each new topic's partition count once. */
  private async learnPartitionCounts(topics: readonly string[]): Promise<void> {
    const unknown = topics.filter((t) => !this.partitionCounts.has(t));
    if (unknown.length === 0) return;
    await ensureTopics(
      this.kafka,
      unknown.map((topic) => ({ topic, numPartitions: this.options.topicPartitions })),
    );
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...unknown] });
      for (const t of metadata) {
        if (t.partitions.length === 0) throw new Error(`Topic ${t.name} has no partitions`);
        this.partitionCounts.set(t.name, t.partitions.length);
      }
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * Kafka's murmur2 (the Java client's, as kafkajs' default partitioner computes it) over the
 * key's UTF-8 bytes, in 32-bit integer arithmetic. kafkajs computes the same hash on 64-bit
 * `Long`s of which only the low 32 bits reach the result, allocating several per 4 bytes of
 * key: in the relay that was a tenth of the service's allocations. The spec checks both agree.
 */
export function murmur2(key: Buffer | string): number {
  const data = typeof key === 'string' ? Buffer.from(key) : key;
  const length = data.length;
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The last 1-3 bytes, as the Java client's switch falls through them.
  const rest = length & 3;
  if (rest === 3) h ^= data[length4 + 2] << 16;
  if (rest >= 2) h ^= data[length4 + 1] << 8;
  if (rest >= 1) {
    h ^= data[length4];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partitioner hashes keys over the partition count; only ids and leaders matter to it. */
const metadataCache = new Map<number, PartitionMetadata[]>();
function metadataOf(count: number): PartitionMetadata[] {
  let metadata = metadataCache.get(count);
  if (!metadata) {
    metadata = Array.from({ length: count }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
      offlineReplicas: [],
    }));
    metadataCache.set(count, metadata);
  }
  return metadata;
}
