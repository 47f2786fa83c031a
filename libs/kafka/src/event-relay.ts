import type { Kafka } from 'kafkajs';
import { toCloudEventKafkaMessage } from './cloudevents';
import { asError, Resubscribing, type EventStore, type RecordedEvent, type Subscription } from '@city/eventsourcing';
import type { CheckpointKey, CheckpointStore } from './checkpoint-store';
import { BatchSender } from './batch-sender';
import type { OutgoingMessage } from './batch-sender';
import { kafkaSettingsOf } from './kafka-client';
import { ThreadedBatchSender } from './threaded-batch-sender';
import { defaultTopicFor } from './topics';

export interface EventRelayOptions {
  /** Name of the relay, e.g. `canvass`; its checkpoint is kept per name and store (`CheckpointKey`). */
  readonly name: string;
  readonly store: EventStore;
  readonly checkpoints: CheckpointStore;
  readonly kafka: Kafka;
  /** CloudEvents `source` of every message, e.g. `/city/canvass`. */
  readonly source: string;
  /** Relay only streams whose id starts with this prefix. */
  readonly streamPrefix?: string;
  /** Topic of each event; default one topic per context (`<context>.events.v1`). */
  readonly topicFor?: (event: RecordedEvent) => string;
  /** `ce_dataschema` of each event, if the service publishes schema URIs. */
  readonly dataschema?: (event: RecordedEvent) => string | undefined;
  /** Events read from the store and sent to the broker at once; default 1000 (bigger batches cost more in GC than they save). */
  readonly batchSize?: number;
  /**
   * Upper bound of one produce request (estimated record bytes); default
   * 900,000, under the broker's default max.message.bytes of 1 MiB. Raise it
   * only together with the topics' max.message.bytes.
   */
  readonly maxRequestBytes?: number;
  /** Partitions of the topics the relay creates when they do not exist; default 4 (an even share per producer thread). */
  readonly topicPartitions?: number;
  /**
   * Producers in worker threads, each owning the partitions p with
   * p % producerThreads = its index, so kafkajs' record encoding (CPU-bound)
   * runs on other cores than store reads and CloudEvent building; 0 = one
   * producer in this thread on `kafka`. Default PRODUCER_THREADS_DEFAULT: on a
   * 2-core machine, bench/relay.ts measured 20,400–21,900 events/s with 2 threads
   * against ~18,000 with 0 (start-up of the threads: ~0.4 s, once).
   * Threads need a `kafka` made by createKafka (its settings build each
   * thread's own client); with another client the relay uses 0.
   */
  readonly producerThreads?: number;
  /** Wait before re-subscribing after a failure (broker or store down): doubles from `initial` to `max`. */
  readonly restartDelayMs?: { readonly initial: number; readonly max: number };
  /** Called after the broker acknowledged a batch and the checkpoint is stored. */
  readonly onPublished?: (topic: string, count: number) => void;
  readonly onCheckpoint?: (position: bigint) => void;
  /** Failures the relay recovers from by itself (it retries), and events it had to skip. */
  readonly onError?: (error: Error) => void;
  /** Where it resumes from when that is worth a line in the log (a checkpoint of before checkpoints were kept per store, or one beyond the store's head). */
  readonly onNotice?: (message: string) => void;
}

/**
 * Tails the committed global log of an event store and publishes it to Kafka:
 * the only way events leave a service (no dual writes, ARCHITECTURE.md decision 5).
 *
 * - Reads from its stored checkpoint through the store's `subscribeToAll`,
 *   which delivers batches in global order and waits for each to be handled.
 * - Publishes each batch through an idempotent producer (acks = all, one
 *   request in flight, as kafkajs requires for idempotence), key = stream id,
 *   CloudEvents binary-mode headers (see BatchSender).
 * - Stores the checkpoint only after the broker acknowledged the whole batch.
 *   Killed at any moment, it resumes from the last stored checkpoint and sends
 *   the unacknowledged tail again: at least once, never a gap.
 * - On a failure (broker or store unreachable) it reports `onError`, waits, and
 *   re-subscribes from the stored checkpoint.
 *
 * The checkpoint is kept per relay name and store identity: pointed at
 * another store (or the same one rebuilt), the relay publishes that store's
 * log from its beginning rather than resume after a position of another log.
 *
 * Run one relay per checkpoint name: two would each publish everything.
 */
export class EventRelay {
  private readonly sender: BatchSender | ThreadedBatchSender;
  private readonly loop: Resubscribing;
  /** Send and checkpoint of the previous batch; resolves false when it failed (already reported). */
  private inFlight?: Promise<boolean>;
  /** Bumped at every restart, so a late failure of an old batch cannot schedule another restart. */
  private generation = 0;
  private checkpoint = 0n;
  /** The key of the store read at the last (re)start. */
  private key?: CheckpointKey;
  private readonly publishedByTopic = new Map<string, number>();
  private readonly topicFor: (event: RecordedEvent) => string;
  private readonly batchSize: number;

  constructor(private readonly options: EventRelayOptions) {
    if (!options.source) throw new Error('EventRelay needs a CloudEvents source, e.g. /city/canvass');
    this.topicFor = options.topicFor ?? defaultTopicFor;
    this.batchSize = options.batchSize ?? 1000;
    const senderOptions = { maxRequestBytes: options.maxRequestBytes ?? 900_000, topicPartitions: options.topicPartitions ?? 4 };
    const threads = options.producerThreads ?? PRODUCER_THREADS_DEFAULT;
    const settings = kafkaSettingsOf(options.kafka);
    this.sender =
      threads > 0 && settings ? new ThreadedBatchSender(options.kafka, settings, { ...senderOptions, threads }) : new BatchSender(options.kafka, senderOptions);
    this.loop = new Resubscribing({
      subscribe: () => this.connectAndSubscribe(),
      beforeResubscribe: () => this.settleFailedBatch(),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.restartDelayMs ? { delayMs: options.restartDelayMs } : {}),
    });
  }

  /**
   * Connects the producers, loads the checkpoint and starts tailing the log.
   * If the broker or the database is not reachable yet, it reports `onError`
   * and keeps trying in the background instead of failing the service's start.
   */
  async start(): Promise<void> {
    await this.loop.start();
  }

  /** Lets the batch in flight finish (sent, acknowledged, checkpointed), then disconnects. */
  async stop(): Promise<void> {
    if (!this.loop.running) return;
    await this.loop.stop();
    await this.inFlight;
    this.inFlight = undefined;
    await this.sender.disconnect();
  }

  /** Global position up to which the broker has acknowledged every event. */
  get position(): bigint {
    return this.checkpoint;
  }

  /** Messages published (and acknowledged) per topic since start. */
  get published(): ReadonlyMap<string, number> {
    return this.publishedByTopic;
  }

  /**
   * Events of the relay's streams committed after the stored checkpoint, that
   * is not yet acknowledged by the broker: 0 when it has published everything,
   * also when other streams' events follow. Counted up to `max` (default
   * 1,000,000: a bound on the work of one measurement). The stored checkpoint,
   * so that every replica reports the same figure, relaying or standing by.
   */
  async lag(max = RELAY_LAG_COUNT_MAX): Promise<bigint> {
    const { store, streamPrefix } = this.options;
    const after = await this.options.checkpoints.load(this.key ?? (await this.checkpointKey()));
    if (store.countEvents) return BigInt(await store.countEvents({ after, ...(streamPrefix ? { streamPrefix } : {}), max }));
    return BigInt((await store.readAll({ after, ...(streamPrefix ? { streamPrefix } : {}), limit: Math.min(max, RELAY_LAG_READ_MAX) })).length);
  }

  /**
   * A new producer at every (re)start: a producer that gave up on a batch may
   * have its idempotence sequence out of step with the broker; a fresh one
   * (new producer id) starts clean. Resending is fine: at least once.
   */
  private async connectAndSubscribe(): Promise<Subscription | undefined> {
    await this.sender.connect();
    if (!this.loop.running) {
      // stop() ran while the producer was connecting: it did not see it.
      await this.sender.disconnect();
      return undefined;
    }
    // Read again at every (re)start: the store may have been rebuilt meanwhile.
    this.key = await this.checkpointKey();
    this.checkpoint = await this.loadCheckpoint(this.key);
    if (!this.loop.running) return undefined;
    return this.options.store.subscribeToAll({
      after: this.checkpoint,
      streamPrefix: this.options.streamPrefix,
      batchSize: this.batchSize,
      onEvents: (events) => this.publish(events),
      onError: (error) => {
        if (!(error instanceof PreviousBatchFailed)) this.loop.fail(error);
      },
    });
  }

  private async checkpointKey(): Promise<CheckpointKey> {
    return { relay: this.options.name, store: await this.options.store.identity() };
  }

  /**
   * The store's own checkpoint, or one stored before checkpoints were kept per
   * store if it can be this store's. A checkpoint beyond the store's head
   * cannot be its own (the store was restored from an older backup, the
   * checkpoint's database was not): it is forgotten and the log published
   * again from its beginning, since the events appended after the restore may
   * already lie below it. At least once, as always; never a silent gap.
   */
  private async loadCheckpoint(key: CheckpointKey): Promise<bigint> {
    const { checkpoints, store } = this.options;
    const stored = await checkpoints.load(key);
    if (stored > 0n) {
      const head = await store.headPosition();
      if (stored <= head) return stored;
      await checkpoints.forget(key);
      this.options.onNotice?.(
        `Relay ${key.relay}: its checkpoint ${stored} lies beyond the head ${head} of ${key.store} (a store restored from an older backup?); publishing its log again from the beginning`,
      );
      return 0n;
    }
    if (!checkpoints.claimUnkeyed) return 0n;
    const claimed = await checkpoints.claimUnkeyed(key, await store.headPosition());
    if (claimed !== undefined)
      this.options.onNotice?.(`Relay ${key.relay} resumes after ${claimed}, its checkpoint from before checkpoints were kept per store, now ${key.store}'s`);
    return claimed ?? 0n;
  }

  /** A batch still in flight must settle before the checkpoint is read again; its late failure must not restart twice. */
  private async settleFailedBatch(): Promise<void> {
    await this.inFlight;
    this.inFlight = undefined;
    this.generation++;
  }

  /**
   * Pipelined by one batch: encodes this batch while the previous one is being
   * sent, waits for the previous one to be acknowledged and checkpointed, then
   * starts sending this one and returns, so the store reads the next batch
   * while the broker works. Sends and checkpoints stay strictly in order; a
   * failed send stops the subscription (the next call throws) and restarts the
   * relay from the last stored checkpoint.
   */
  private async publish(events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const batch = this.prepare(events);
    if (this.inFlight && !(await this.inFlight)) throw new PreviousBatchFailed();
    const generation = this.generation;
    this.inFlight = this.send(batch).then(
      () => true,
      (error: unknown) => {
        if (generation === this.generation) this.loop.fail(asError(error));
        return false;
      },
    );
  }

  private prepare(events: readonly RecordedEvent[]): PreparedBatch {
    const counts = new Map<string, number>();
    const outgoing: OutgoingMessage[] = [];
    for (const event of events) {
      const encoded = this.encode(event);
      if (!encoded) continue;
      const topic = this.topicFor(event);
      outgoing.push({ topic, ...encoded });
      counts.set(topic, (counts.get(topic) ?? 0) + 1);
    }
    if (!this.key) throw new Error(`Relay ${this.options.name} received events before it knew its store`);
    return { outgoing, counts, last: events[events.length - 1].globalPosition, key: this.key };
  }

  private async send({ outgoing, counts, last, key }: PreparedBatch): Promise<void> {
    if (outgoing.length > 0) await this.sender.send(outgoing);
    // Only now, with every message acknowledged, may the checkpoint move.
    // The key of the subscription this batch came from (a restart reads it again before subscribing).
    await this.options.checkpoints.save(key, last);
    this.checkpoint = last;
    this.loop.succeeded();
    for (const [topic, count] of counts) {
      this.publishedByTopic.set(topic, (this.publishedByTopic.get(topic) ?? 0) + count);
      this.options.onPublished?.(topic, count);
    }
    this.options.onCheckpoint?.(last);
  }

  /**
   * An event that cannot make a valid CloudEvent (no id, no time) would block the
   * relay forever if retried; it stays in the store and is reported instead.
   */
  private encode(event: RecordedEvent): Omit<OutgoingMessage, 'topic'> | undefined {
    try {
      const m = toCloudEventKafkaMessage(event, { source: this.options.source, dataschema: this.options.dataschema });
      let bytes = RECORD_OVERHEAD_BYTES + Buffer.byteLength(m.key) + Buffer.byteLength(m.value);
      for (const name in m.headers) bytes += name.length + Buffer.byteLength(m.headers[name]) + HEADER_OVERHEAD_BYTES;
      return { message: { key: m.key, value: m.value, headers: m.headers, timestamp: m.timestamp }, bytes };
    } catch (error) {
      this.options.onError?.(new Error(`Relay ${this.options.name} skipped event ${event.eventId} at ${event.globalPosition}: ${asError(error).message}`));
      return undefined;
    }
  }
}

interface PreparedBatch {
  readonly outgoing: readonly OutgoingMessage[];
  readonly counts: ReadonlyMap<string, number>;
  /** Global position of the batch's last event (encoded or skipped). */
  readonly last: bigint;
  readonly key: CheckpointKey;
}

/** Stops the subscription after a send failed; the failure itself was reported already. */
class PreviousBatchFailed extends Error {}

/** Per-record and per-header framing of the Kafka record format (varints, attributes), rounded up. */
const RECORD_OVERHEAD_BYTES = 32;
const HEADER_OVERHEAD_BYTES = 4;

/** The relay lag is counted up to this many events. */
const RELAY_LAG_COUNT_MAX = 1_000_000;
/** A store that cannot count: up to this many events are read to count them. */
const RELAY_LAG_READ_MAX = 10_000;

/** Producer threads of a relay unless told otherwise (see EventRelayOptions.producerThreads). */
export const PRODUCER_THREADS_DEFAULT = 2;
