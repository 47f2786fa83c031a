import { Partitioners } from 'kafkajs';
import type { Admin, Consumer, ConsumerConfig, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { asError, backoffDelay, CityError, sleep } from '@city/eventsourcing';
import { deadLetterMessage } from './dead-letter';
import { deadLetterTopicOf, ensureTopics, type TopicSettingsLookup } from './topics';

/*
 * Why kafkajs and not @nestjs/microservices' Kafka transport: the Nest transport
 * commits offsets to the consumer group itself (or leaves it to `autoCommit`),
 * hands messages over one at a time to `@EventPattern` handlers and has no hook
 * to position partitions from offsets kept in our own database, nor a dead-letter
 * topic. Projections need all three: offsets stored in the SAME PostgreSQL
 * transaction as the read model, seeking to them on every (re)assignment, and
 * poison messages parked on `<topic>.dlq`. So this runner uses kafkajs directly.
 */

/** One decoded message with its coordinates. */
export interface ConsumedMessage<T> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  /** Kafka record timestamp (ms since the epoch, as a string). */
  readonly timestamp: string;
  readonly value: T;
}

/**
 * Consecutive messages of one partition. `nextOffset` is the offset to store
 * with the effects of the batch (its last offset + 1); it also covers messages
 * that were dead-lettered or skipped, so `messages` may be empty: then the
 * handler only advances the stored offset.
 */
export interface ConsumedBatch<T> {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage<T>[];
  readonly nextOffset: string;
}

export interface ConsumerBatchHandler<T> {
  /**
   * Applies the messages and stores `nextOffset` for (topic, partition) in ONE
   * transaction, so that a batch is either wholly applied with its offset or not
   * at all. Throws to refuse the batch (it is retried, then split, then
   * dead-lettered message by message).
   */
  handleBatch(batch: ConsumedBatch<T>): Promise<void>;
  /** Stored next offsets per partition of `topic` (partitions never consumed are absent). */
  loadOffsets(topic: string): Promise<ReadonlyMap<number, string>>;
  /** True while the handler cannot keep up; partitions are paused until it is false again. */
  isSaturated?(): boolean;
}

/** Turns a raw message into `T`; a throw sends the message straight to the dead-letter topic. */
export type MessageDecoder<T> = (message: KafkaMessage, topic: string) => T;

export interface DeadLetteredMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly error: Error;
}

export interface KafkaConsumerRunnerOptions<T> {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly decode: MessageDecoder<T>;
  readonly handler: ConsumerBatchHandler<T>;
  /** Name written in `dlq_consumer`; default the group id. */
  readonly name?: string;
  /** Attempts after the first one, for a batch and then for each message; default 3. */
  readonly maxRetries?: number;
  readonly retryDelayMs?: { readonly initial: number; readonly max: number };
  /** Errors worth retrying; default: everything but `CityError`s (they are deterministic). */
  readonly isRetriable?: (error: Error) => boolean;
  /** How often a paused runner asks the handler whether it is still saturated; default 100 ms. */
  readonly saturationCheckMs?: number;
  /**
   * Partitions of topics created by `start()` when missing, for topics no
   * contract describes (tests, dead-letter topics); default 3. A contract
   * topic is always created as its AsyncAPI document says (`ensureTopics`).
   */
  readonly topicPartitions?: number;
  /** Where contract topics' settings are found (default: the contracts' AsyncAPI documents). */
  readonly topicSettings?: TopicSettingsLookup;
  /**
   * Also commit the stored offsets to the consumer group (best effort, after the
   * handler's transaction), so that standard tools show the group's lag. The
   * handler's store stays the only truth. Default true.
   */
  readonly commitToGroup?: boolean;
  readonly partitionsConsumedConcurrently?: number;
  readonly consumerConfig?: Omit<Partial<ConsumerConfig>, 'groupId'>;
  readonly onDeadLetter?: (message: DeadLetteredMessage) => void;
  /** Failures the runner recovers from (retries, crashes kafkajs restarts from). */
  readonly onError?: (error: Error) => void;
}

class ConsumerStoppedError extends Error {}

/**
 * Consumes topics with `eachBatch`, `autoCommit: false`, and hands every batch
 * to a handler that stores the offsets with its own effects.
 *
 * Positioning (how the stored offsets win over the group's): kafkajs cannot seek
 * before `run()`, and a GROUP_JOIN listener cannot await a database read before
 * the first fetch. Committing stored offsets to the group before `run()`
 * (admin.setOffsets) only works while the group is empty and not after a
 * rebalance. So instead every (re)assignment marks its partitions "to be
 * positioned" (GROUP_JOIN, synchronously, before any fetch of the new
 * generation); the first batch of such a partition loads the handler's stored
 * offset (or the partition's earliest offset when none is stored) and, if the
 * batch does not start there, seeks to it and drops the batch unprocessed.
 * After that, messages below the expected offset are skipped defensively, and
 * the handler checks again inside its transaction.
 *
 * Failures: a failing batch is retried with backoff (`maxRetries`), then split
 * into single messages, each retried the same way; a message that still fails
 * is sent to `<topic>.dlq` with error headers FIRST and only then is the offset
 * advanced past it, so it cannot be lost (at worst dead-lettered twice).
 * Messages that do not decode go to the dead-letter topic straight away: with
 * `cloudEventDecoder`, that includes an unknown `ce_type` and data that breaks
 * its JSON Schema (no retry can make them valid).
 */
export class KafkaConsumerRunner<T> {
  private consumer?: Consumer;
  private producer?: Producer;
  private admin?: Admin;
  private stopping = false;
  private readonly toPosition = new Set<string>();
  private readonly expected = new Map<string, bigint>();
  private storedOffsets = new Map<string, Promise<ReadonlyMap<number, string>>>();
  private readonly paused = new Map<string, () => void>();
  private saturationTimer?: NodeJS.Timeout;
  private readonly name: string;
  private readonly maxRetries: number;
  private readonly retryDelay: { readonly initial: number; readonly max: number };
  private readonly isRetriable: (error: Error) => boolean;

  constructor(private readonly options: KafkaConsumerRunnerOptions<T>) {
    this.name = options.name ?? options.groupId;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryDelay = options.retryDelayMs ?? { initial: 200, max: 5000 };
    this.isRetriable = options.isRetriable ?? ((error) => !(error instanceof CityError));
  }

  /** Ensures the topics and their dead-letter topics exist, joins the group and starts consuming. */
  async start(): Promise<void> {
    if (this.consumer) return;
    const { kafka, topics } = this.options;
    const partitions = this.options.topicPartitions ?? 3;
    await ensureTopics(
      kafka,
      topics.flatMap((topic) => [topic, deadLetterTopicOf(topic)]).map((topic) => ({ topic, numPartitions: partitions })),
      this.options.topicSettings ? { settingsOf: this.options.topicSettings } : {},
    );

    this.stopping = false;
    this.admin = kafka.admin();
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const consumer = kafka.consumer({
      // The topics exist (above): a consumer never has the broker create one with its default partitions.
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 4 * 1024 * 1024,
      // A stop waits for the fetch in flight: a 1 s long-poll (instead of 5 s) keeps shutdown quick.
      maxWaitTimeInMs: 1000,
      ...this.options.consumerConfig,
      groupId: this.options.groupId,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onAssignment(payload.memberAssignment));
    consumer.on(consumer.events.CRASH, ({ payload }) => this.options.onError?.(asError(payload.error)));
    await Promise.all([this.admin.connect(), this.producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /** Finishes the batch in flight (without starting a new retry), leaves the group and disconnects. */
  async stop(): Promise<void> {
    if (!this.consumer) return;
    this.stopping = true;
    if (this.saturationTimer) clearInterval(this.saturationTimer);
    this.saturationTimer = undefined;
    this.paused.clear();
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer.disconnect();
    await Promise.allSettled([this.producer?.disconnect(), this.admin?.disconnect()]);
    this.producer = undefined;
    this.admin = undefined;
  }

  /** Partitions currently paused because the handler is saturated. */
  get pausedPartitions(): readonly string[] {
    return [...this.paused.keys()];
  }

  private onAssignment(assignment: Record<string, number[]>): void {
    this.toPosition.clear();
    this.expected.clear();
    this.storedOffsets = new Map();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) this.toPosition.add(tpKey(topic, partition));
    }
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const tp = tpKey(topic, partition);
    if (batch.isEmpty() || !this.isActive(payload)) return;

    if (this.toPosition.has(tp)) {
      const start = await this.startOffset(topic, partition);
      this.toPosition.delete(tp);
      this.expected.set(tp, start);
      if (BigInt(batch.firstOffset() ?? '0') !== start) {
        this.consumer?.seek({ topic, partition, offset: start.toString() });
        return;
      }
    }

    const expected = this.expected.get(tp) ?? 0n;
    const fresh = batch.messages.filter((m) => BigInt(m.offset) >= expected);
    const last = batch.messages[batch.messages.length - 1];
    const nextOffset = (BigInt(last.offset) + 1n).toString();
    if (fresh.length === 0) {
      payload.resolveOffset(last.offset);
      return;
    }

    try {
      const decoded: Decoded<T>[] = [];
      for (const raw of fresh) {
        try {
          decoded.push({ raw, message: this.toConsumed(topic, partition, raw) });
        } catch (error) {
          // Undecodable: no retry can help. Parked before the offset moves past it.
          await this.deadLetter(topic, partition, raw, asError(error));
        }
      }
      await this.process(payload, decoded, nextOffset);
    } catch (error) {
      if (error instanceof ConsumerStoppedError) return;
      throw error;
    }

    payload.resolveOffset(last.offset);
    this.expected.set(tp, BigInt(nextOffset));
    if (this.options.commitToGroup ?? true) {
      await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: nextOffset }] }] }).catch(() => undefined);
    }
    await payload.heartbeat();
    if (this.options.handler.isSaturated?.()) this.pauseWhileSaturated(tp, payload);
  }

  /** The whole batch at once; if that keeps failing, message by message with the dead-letter topic. */
  private async process(payload: EachBatchPayload, decoded: readonly Decoded<T>[], nextOffset: string): Promise<void> {
    const { topic, partition } = payload.batch;
    const handle = (messages: readonly ConsumedMessage<T>[], next: string) =>
      this.withRetries(payload, () => this.options.handler.handleBatch({ topic, partition, messages, nextOffset: next }));
    try {
      await handle(
        decoded.map((d) => d.message),
        nextOffset,
      );
      return;
    } catch (error) {
      if (error instanceof ConsumerStoppedError || decoded.length === 0) throw error;
      this.options.onError?.(new Error(`Batch ${topic}[${partition}] failed, retrying message by message: ${asError(error).message}`));
    }
    for (const { raw, message } of decoded) {
      this.ensureActive(payload);
      const next = (BigInt(raw.offset) + 1n).toString();
      try {
        await handle([message], next);
      } catch (error) {
        if (error instanceof ConsumerStoppedError) throw error;
        this.ensureActive(payload);
        await this.deadLetter(topic, partition, raw, asError(error));
        // If this fails too (database down), the batch is fetched again and the
        // message dead-lettered again: a duplicate on the DLQ, never a loss.
        await handle([], next);
      }
      await payload.heartbeat();
    }
    const lastDecoded = decoded[decoded.length - 1];
    if ((BigInt(lastDecoded.raw.offset) + 1n).toString() !== nextOffset) await handle([], nextOffset);
  }

  private async withRetries(payload: EachBatchPayload, work: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      this.ensureActive(payload);
      try {
        await work();
        return;
      } catch (error) {
        const e = asError(error);
        if (!this.isRetriable(e) || attempt >= this.maxRetries) throw e;
        this.options.onError?.(new Error(`Attempt ${attempt + 1} failed, retrying: ${e.message}`));
        await this.sleepWithHeartbeats(payload, backoffDelay(attempt, this.retryDelay.initial, this.retryDelay.max));
      }
    }
  }

  /** Waits in slices so the group does not think the member died during a long backoff. */
  private async sleepWithHeartbeats(payload: EachBatchPayload, ms: number): Promise<void> {
    const until = Date.now() + ms;
    for (let left = ms; left > 0; left = until - Date.now()) {
      this.ensureActive(payload);
      await sleep(Math.min(left, 500));
      await payload.heartbeat();
    }
  }

  private async deadLetter(topic: string, partition: number, raw: KafkaMessage, error: Error): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new ConsumerStoppedError();
    await producer.send({
      topic: deadLetterTopicOf(topic),
      acks: -1,
      messages: [deadLetterMessage(raw, { topic, partition, consumer: this.name }, error)],
    });
    this.options.onDeadLetter?.({ topic, partition, offset: raw.offset, error });
  }

  private toConsumed(topic: string, partition: number, raw: KafkaMessage): ConsumedMessage<T> {
    return {
      topic,
      partition,
      offset: raw.offset,
      key: raw.key === null ? null : raw.key.toString('utf8'),
      timestamp: raw.timestamp,
      value: this.options.decode(raw, topic),
    };
  }

  /** Where a newly assigned partition starts: the stored offset, or the earliest one still in the log. */
  private async startOffset(topic: string, partition: number): Promise<bigint> {
    let stored = this.storedOffsets.get(topic);
    if (!stored) {
      stored = this.options.handler.loadOffsets(topic);
      this.storedOffsets.set(topic, stored);
      stored.catch(() => this.storedOffsets.delete(topic));
    }
    const offset = (await stored).get(partition);
    if (offset !== undefined) return BigInt(offset);
    const admin = this.admin;
    if (!admin) throw new ConsumerStoppedError();
    const offsets = await admin.fetchTopicOffsets(topic);
    return BigInt(offsets.find((o) => o.partition === partition)?.low ?? '0');
  }

  private pauseWhileSaturated(tp: string, payload: EachBatchPayload): void {
    if (this.paused.has(tp)) return;
    this.paused.set(tp, payload.pause());
    this.saturationTimer ??= setInterval(() => {
      if (this.options.handler.isSaturated?.()) return;
      for (const resume of this.paused.values()) resume();
      this.paused.clear();
      clearInterval(this.saturationTimer);
      this.saturationTimer = undefined;
    }, this.options.saturationCheckMs ?? 100);
  }

  private isActive(payload: EachBatchPayload): boolean {
    return !this.stopping && payload.isRunning() && !payload.isStale();
  }

  private ensureActive(payload: EachBatchPayload): void {
    if (!this.isActive(payload)) throw new ConsumerStoppedError();
  }
}

interface Decoded<T> {
  readonly raw: KafkaMessage;
  readonly message: ConsumedMessage<T>;
}

function tpKey(topic: string, partition: number): string {
  // ':' cannot occur in a Kafka topic name.
  return `${topic}:${partition}`;
}
