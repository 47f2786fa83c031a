import type { Admin, Kafka } from 'kafkajs';
import { cloudEventDecoder, ConsumerOffsets, KafkaConsumerRunner } from '@city/kafka';
import type { CloudEventDecoderOptions, ConsumedBatch, ConsumerBatchHandler, DecodedCloudEvent, KafkaConsumerRunnerOptions } from '@city/kafka';
import type { SqlDatabase } from '@city/sql';
import { ProjectionProgress } from './progress';
import type { Projection, ProjectionObserver, ProjectionStatus } from './projection';
import { loadBookkeeping, lockProjections, migrateProjectionTables } from './schema';

export interface ProjectionRunnerOptions {
  readonly kafka: Kafka;
  /** The read-model database; offsets live in it too. */
  readonly db: SqlDatabase;
  /** Create the bookkeeping and projection tables at start (default true); false when the caller has migrated them already, once. */
  readonly migrate?: boolean;
  readonly projections: readonly Projection[];
  readonly topics: readonly string[];
  /** Consumer group; one per set of projections run together. */
  readonly groupId: string;
  /** Checks each event's type and data; default: the city's contracts (what fails is dead-lettered). */
  readonly validate?: CloudEventDecoderOptions['validate'];
  readonly observer?: ProjectionObserver;
  /** Back-pressure from outside (e.g. the database pool is exhausted): pauses the partitions. */
  readonly isSaturated?: () => boolean;
  /** How often the stored offsets are compared with the broker's end offsets for the lag (default 5 s). */
  readonly lagCheckIntervalMs?: number;
  readonly consumer?: Pick<
    KafkaConsumerRunnerOptions<DecodedCloudEvent>,
    | 'maxRetries'
    | 'retryDelayMs'
    | 'isRetriable'
    | 'consumerConfig'
    | 'partitionsConsumedConcurrently'
    | 'topicPartitions'
    | 'commitToGroup'
    | 'onDeadLetter'
    | 'onError'
  >;
}

/**
 * Runs projections from Kafka, exactly once in effect (ARCHITECTURE.md decision 6).
 *
 * For every batch of one partition, ONE PostgreSQL transaction: takes the
 * projections' advisory locks, reads each one's stored next offset for the
 * partition, drops the messages below it (already applied: redelivery after a
 * crash or a rebalance), applies the rest, and upserts the `next_offset`s. The
 * consumer positions every newly assigned partition at the smallest stored
 * offset of the projections (see KafkaConsumerRunner), so nothing is skipped
 * and nothing counted twice.
 *
 * After a rebuild from the event store (`rebuildProjection` with `source` =
 * the relay's `ce_source`), events of that source at or below the rebuilt
 * position are skipped too, whatever the Kafka offsets say.
 */
export class ProjectionRunner {
  private readonly consumer: KafkaConsumerRunner<DecodedCloudEvent>;
  private readonly progress: ProjectionProgress;
  private readonly handled: Map<string, ReadonlySet<string>>;
  private lagTimer?: NodeJS.Timeout;
  private admin?: { readonly client: Admin; readonly connected: Promise<void> };

  constructor(private readonly options: ProjectionRunnerOptions) {
    const names = options.projections.map((p) => p.name);
    if (new Set(names).size !== names.length) throw new Error(`Projection names must be unique: ${names.join(', ')}`);
    this.handled = new Map(options.projections.map((p) => [p.name, new Set(p.handles)]));
    this.progress = new ProjectionProgress(options.observer);
    const handler: ConsumerBatchHandler<DecodedCloudEvent> = {
      handleBatch: (batch) => this.handleBatch(batch),
      loadOffsets: (topic) => this.loadOffsets(topic),
      isSaturated: options.isSaturated,
    };
    this.consumer = new KafkaConsumerRunner<DecodedCloudEvent>({
      ...options.consumer,
      kafka: options.kafka,
      groupId: options.groupId,
      topics: options.topics,
      decode: cloudEventDecoder({ validate: options.validate }),
      handler,
    });
  }

  /** Creates the bookkeeping tables and the projections' tables (unless `migrate: false`), then starts consuming. */
  async start(): Promise<void> {
    if (this.options.migrate !== false) {
      await migrateProjectionTables(this.options.db);
      for (const projection of this.options.projections) await projection.migrate(this.options.db);
    }
    await this.consumer.start();
    this.lagTimer ??= setInterval(() => void this.checkLag().catch(() => undefined), this.options.lagCheckIntervalMs ?? LAG_CHECK_INTERVAL_MS);
    this.lagTimer.unref();
  }

  /** Finishes the batch in flight and leaves the group. */
  async stop(): Promise<void> {
    clearInterval(this.lagTimer);
    this.lagTimer = undefined;
    const admin = this.admin;
    this.admin = undefined;
    await Promise.allSettled([this.consumer.stop(), admin?.connected.then(() => admin.client.disconnect())]);
  }

  /**
   * Compares the stored offsets with the broker's end offsets (high
   * watermarks) and reports the lag: 0 when every partition is read to its
   * end, so an idle, caught-up projection shows 0 rather than the age of the
   * last event it read. Runs every `lagCheckIntervalMs`; answers whether the
   * projections are caught up. Throws when the broker does not answer (the
   * gauge keeps its value; readiness reports the broker).
   */
  async checkLag(): Promise<boolean> {
    this.admin ??= this.connectAdmin();
    const { client, connected } = this.admin;
    await connected;
    let caughtUp = true;
    for (const topic of this.options.topics) {
      const [ends, stored] = await Promise.all([client.fetchTopicOffsets(topic), this.loadOffsets(topic)]);
      for (const { partition, low, high } of ends) {
        // A partition never read starts at its earliest offset.
        if (BigInt(stored.get(partition) ?? low) < BigInt(high)) caughtUp = false;
      }
    }
    for (const projection of this.options.projections) this.progress.sourceChecked(projection.name, caughtUp);
    return caughtUp;
  }

  private connectAdmin(): { readonly client: Admin; readonly connected: Promise<void> } {
    const client = this.options.kafka.admin();
    const connected = client.connect();
    connected.catch(() => {
      if (this.admin?.client === client) this.admin = undefined; // connect again at the next check
    });
    return { client, connected };
  }

  status(projection: string): ProjectionStatus {
    return this.progress.status(projection);
  }

  /**
   * One transaction for the batch, in five round trips whatever the number of projections:
   * lock them all, read their offsets and positions, apply (each projection's own
   * statements), store their offsets. Per projection and batch, that used to be four.
   */
  private async handleBatch(batch: ConsumedBatch<DecodedCloudEvent>): Promise<void> {
    const { topic, partition, nextOffset } = batch;
    const names = this.options.projections.map((p) => p.name);
    const next = BigInt(nextOffset);
    const reports = await this.options.db.transaction(async (tx) => {
      await lockProjections(tx, names);
      const bookkeeping = await loadBookkeeping(tx, names, topic, partition);
      const done: { projection: string; read: DecodedCloudEvent[]; applied: DecodedCloudEvent[] }[] = [];
      for (const projection of this.options.projections) {
        const { stored, positions: rebuilt } = bookkeeping.get(projection.name) ?? { stored: undefined, positions: new Map<string, bigint>() };
        if (stored !== undefined && stored >= next) continue;
        const handles = this.handled.get(projection.name) ?? new Set<string>();
        const read = batch.messages.filter((m) => stored === undefined || BigInt(m.offset) >= stored).map((m) => m.value);
        const applied = read.filter((e) => handles.has(e.type) && e.globalPosition > (rebuilt.get(e.source) ?? -1n));
        if (applied.length > 0) await projection.apply(tx, applied);
        done.push({ projection: projection.name, read, applied });
      }
      await ConsumerOffsets.saveAll(
        tx,
        done.map((d) => d.projection),
        topic,
        partition,
        nextOffset,
      );
      return done;
    });
    for (const r of reports) this.progress.committed(r.projection, r.read, r.applied);
  }

  /** Where each partition starts: the smallest offset stored over the projections (see `ConsumerOffsets.loadCommon`). */
  private loadOffsets(topic: string): Promise<ReadonlyMap<number, string>> {
    return ConsumerOffsets.loadCommon(
      this.options.db,
      topic,
      this.options.projections.map((p) => p.name),
    );
  }
}

/** How often the lag is measured against the broker's end offsets, unless told otherwise. */
const LAG_CHECK_INTERVAL_MS = 5000;
