import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Kafka } from 'kafkajs';
import { Counter, Registry } from 'prom-client';
import { lastValueFrom } from 'rxjs';
import {
  ConsumerOffsets,
  cloudEventDecoder,
  cloudEventTypeOf,
  KafkaConsumerRunner,
  parseCloudEventType,
  topicForContext,
  type CloudEventDecoderOptions,
  type ConsumedBatch,
  type DecodedCloudEvent,
  type KafkaConsumerRunnerOptions,
} from '@city/kafka';
import type { SqlDatabase } from '@city/sql';
import { EventContext } from './event-context';

/*
 * Why a transport of our own, and not Nest's `ServerKafka` (`Transport.KAFKA`),
 * as of @nestjs/microservices 11.2:
 *
 * - A pattern is a topic there: `bindEvents` subscribes to the registered
 *   patterns as topic names and the deserializer sets the pattern to the
 *   topic. Our topics carry many event types (`canvass.events.v1`), and a
 *   handler is chosen by the CloudEvents `ce_type` header, which ServerKafka
 *   never reads.
 * - Offsets are the consumer group's: it runs kafkajs `eachMessage` with the
 *   `run` options given (autoCommit by default), so the offset commits apart
 *   from the handler's database writes. A crash between the two applies a
 *   message twice or never. Here the offset is stored in the SAME transaction
 *   as the view rows the handler writes, and the handler gets that transaction.
 * - Nothing positions a partition from offsets kept outside Kafka: no seek on
 *   (re)assignment. The runner seeks every newly assigned partition to the
 *   stored offset.
 * - No bounded retry, no dead-letter topic: an event handler's error is logged
 *   and the message counts as consumed (or, thrown out of `eachMessage`,
 *   kafkajs restarts the consumer on the same message forever). Here a failing
 *   batch is retried with backoff, then message by message, then the message
 *   goes to `<topic>.dlq` before the offset moves past it.
 * - An event without a handler is logged as an error (`NO_EVENT_HANDLER`) per
 *   message. Here it is skipped and counted (see below).
 *
 * So this strategy keeps Nest's part (discovery of `@EventPattern` handlers,
 * pipes, guards, interceptors, `@Payload()`/`@Ctx()`) and delegates Kafka to
 * the project's `KafkaConsumerRunner`.
 *
 * An event type with no handler is skipped, counted in
 * `city_consumer_events_skipped_total{consumer,type}`, and its offset stored
 * with the batch. A consumer reads a whole context's topic but handles the few
 * types it needs (policy-relief reads enterprise-reopening's topic): the other
 * types are valid events of a known contract, not poison, and dead-lettering
 * them would bury real failures under normal traffic. Events that no contract
 * knows, or whose data breaks their schema, are refused by the decoder (the
 * contracts' validator), so the runner dead-letters them at once.
 */

export interface KafkaEventTransportOptions {
  readonly kafka: Kafka;
  /** The read model's database: handlers write in its transactions, offsets live in it. */
  readonly db: SqlDatabase;
  /** Consumer group, and the name the offsets are stored under. */
  readonly groupId: string;
  /** Default: the topic of every context a handler's pattern names (`city.<context>.…` → `<context>.events.v1`). */
  readonly topics?: readonly string[];
  /** Checks each event's type and data before a handler sees it; default the city's contracts. A refusal is dead-lettered at once. */
  readonly validate?: CloudEventDecoderOptions['validate'];
  /** The service's registry (`createServiceRegistry`); default a private one. */
  readonly registry?: Registry;
  readonly consumer?: Pick<
    KafkaConsumerRunnerOptions<DecodedCloudEvent>,
    'maxRetries' | 'retryDelayMs' | 'isRetriable' | 'consumerConfig' | 'topicPartitions' | 'commitToGroup' | 'onDeadLetter' | 'onError'
  >;
}

/**
 * A NestJS transport (`app.connectMicroservice({ strategy })`, or
 * `connectEventConsumer`) that hands each event of the subscribed topics to
 * the `@EventPattern('city.<context>.<Type>.v<N>')` handler of its type, with
 * the event as payload and an `EventContext` (the transaction) as context.
 * Handlers run one after another in log order within a partition.
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  private runner?: KafkaConsumerRunner<DecodedCloudEvent>;
  private readonly offsets: ConsumerOffsets;
  private readonly skipped: Counter<'consumer' | 'type'>;

  constructor(private readonly options: KafkaEventTransportOptions) {
    super();
    this.offsets = new ConsumerOffsets(options.groupId);
    const registry = options.registry ?? new Registry();
    this.skipped =
      (registry.getSingleMetric('city_consumer_events_skipped_total') as Counter<'consumer' | 'type'> | undefined) ??
      new Counter({
        name: 'city_consumer_events_skipped_total',
        help: 'Events a consumer read and skipped because it has no handler for their type.',
        labelNames: ['consumer', 'type'],
        registers: [registry],
      });
  }

  /** Called by Nest once the handlers are registered: creates the offsets table and joins the group. */
  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await ConsumerOffsets.migrate(this.options.db);
      this.runner = new KafkaConsumerRunner<DecodedCloudEvent>({
        ...this.options.consumer,
        kafka: this.options.kafka,
        groupId: this.options.groupId,
        topics: this.topics(),
        decode: cloudEventDecoder({ validate: this.options.validate }),
        handler: {
          handleBatch: (batch) => this.handleBatch(batch),
          loadOffsets: (topic) => this.offsets.load(this.options.db, topic),
        },
      });
      await this.runner.start();
      this._status$.next('connected');
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Finishes the batch in flight and leaves the group. */
  async close(): Promise<void> {
    await this.runner?.stop();
    this.runner = undefined;
    this._status$.next('disconnected');
  }

  on(): never {
    throw new Error('KafkaEventTransport emits no events; watch `status` instead');
  }

  unwrap<T>(): T {
    if (!this.runner) throw new Error('KafkaEventTransport is not listening');
    return this.runner as T;
  }

  /** The topics consumed: given, or derived from the registered patterns. */
  topics(): string[] {
    if (this.options.topics) return [...this.options.topics];
    const contexts = new Set<string>();
    for (const pattern of this.getHandlers().keys()) {
      const parsed = parseCloudEventType(pattern);
      if (!parsed) throw new Error(`@EventPattern('${pattern}') is not a CloudEvents type city.<context>.<Type>.v<N>; pass \`topics\` or fix the pattern`);
      contexts.add(parsed.context);
    }
    return [...contexts].map(topicForContext);
  }

  /** One transaction per batch: the handlers' writes and the next offset commit together. */
  private async handleBatch(batch: ConsumedBatch<DecodedCloudEvent>): Promise<void> {
    const { topic, partition, nextOffset } = batch;
    const skipped = await this.options.db.transaction(async (tx) => {
      const stored = await this.offsets.lock(tx, topic, partition);
      // Applied already (redelivery after a crash, or by the member that had the partition before a rebalance).
      if (stored !== undefined && stored >= BigInt(nextOffset)) return [];
      const types: string[] = [];
      for (const message of batch.messages) {
        if (stored !== undefined && BigInt(message.offset) < stored) continue;
        const event = message.value;
        const pattern = cloudEventTypeOf(event.context, event.type, event.schemaVersion);
        const handler = this.getHandlerByPattern(pattern);
        if (!handler) {
          types.push(pattern);
          continue;
        }
        const context = new EventContext([tx, topic, partition, message.offset, event]);
        await lastValueFrom(this.transformToObservable(await handler(event, context)), { defaultValue: undefined }).catch((error: unknown) => {
          throw asHandlerError(error);
        });
      }
      await this.offsets.save(tx, topic, partition, nextOffset);
      return types;
    });
    // Counted once committed, so a retried batch does not count its skips twice.
    for (const type of skipped) this.skipped.inc({ consumer: this.options.groupId, type });
  }
}

/** Without `KeepEventErrorsFilter`, Nest hands over `{ status, message }` instead of the error. */
function asHandlerError(error: unknown): Error {
  if (error instanceof Error) return error;
  const message = (error as { message?: unknown } | null)?.message;
  return new Error(typeof message === 'string' ? message : String(error));
}
