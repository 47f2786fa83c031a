import type { Kafka } from 'kafkajs';
import type { EventStore, RecordedEvent } from '@city/eventsourcing';
import type { CityMetrics } from '@city/observability';
import { EventStoreProjectionRunner, ProjectionRunner, type ProjectionObserver } from '@city/projections';
import type { SqlDatabase } from '@city/sql';
import type { ContextReadModel } from './read-model/context-read-model';

/** Something that keeps the read models fed with events while the app runs. */
export interface ProjectionFeed {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ProjectionFeedDeps {
  readonly readDb: SqlDatabase;
  readonly contexts: readonly ContextReadModel[];
  readonly observer: ProjectionObserver;
  readonly metrics: CityMetrics;
  readonly onError: (error: Error) => void;
}

/** Builds the feed once the module knows its metrics and logger. */
export type ProjectionFeedFactory = (deps: ProjectionFeedDeps) => ProjectionFeed;

/**
 * Each fetch waits for 32 KB (some 30 events) or 50 ms, whichever comes first.
 * Every batch is one read-model transaction with a fixed cost (lock, offsets,
 * positions, NOTIFY, commit), so under load fewer, larger batches leave more
 * CPU for the events themselves; when the city is quiet an event waits at
 * most 50 ms longer, well inside the one-second budget to the dashboard.
 */
const PROJECTION_FETCH = { minBytes: 32 * 1024, maxWaitTimeInMs: 50 } as const;

/**
 * Stack mode: one Kafka `ProjectionRunner` per context (its topic, e.g.
 * `canvass.events.v1`), consumer group `<groupId>.<context key>`. Offsets are
 * stored with the read model in the same transaction.
 */
export function kafkaProjectionFeed(options: { readonly kafka: Kafka; readonly groupId: string }): ProjectionFeedFactory {
  return ({ readDb, contexts, observer, metrics, onError }) =>
    all(
      contexts.map(
        (context) =>
          new ProjectionRunner({
            kafka: options.kafka,
            db: readDb,
            projections: context.projections,
            topics: [context.topic],
            groupId: `${options.groupId}.${context.key}`,
            // The operations center migrates every table once at start (OperationsCenterLifecycle).
            migrate: false,
            observer,
            consumer: {
              consumerConfig: PROJECTION_FETCH,
              onError,
              onDeadLetter: (m) => metrics.dlqMessagesTotal.inc({ consumer: `${options.groupId}.${context.key}`, topic: m.topic }),
            },
          }),
      ),
    );
}

/**
 * Embedded mode: the event store's own subscription is the bus. One runner per
 * context, reading only that context's streams (stream-id prefix).
 */
export function eventStoreProjectionFeed(
  store: EventStore,
  options: {
    readonly source?: string;
    readonly batchSize?: number;
    readonly onLive?: () => void;
    readonly onDeadLetter?: (projection: string, event: RecordedEvent, error: Error) => void;
  } = {},
): ProjectionFeedFactory {
  return ({ readDb, contexts, observer, onError }) =>
    all(
      contexts.map(
        (context) =>
          new EventStoreProjectionRunner({
            store,
            db: readDb,
            projections: context.projections,
            streamPrefix: context.streamPrefix,
            migrate: false,
            source: options.source,
            batchSize: options.batchSize,
            observer,
            onError,
            onLive: options.onLive,
            onDeadLetter: options.onDeadLetter,
          }),
      ),
    );
}

/** Projection progress as the platform's metrics (names fixed in ARCHITECTURE.md). */
export function metricsObserver(metrics: CityMetrics): ProjectionObserver {
  return {
    eventsApplied: (projection, type, count) => metrics.projectionEventsTotal.inc({ projection, type }, count),
    checkpoint: (projection, position) => metrics.projectionCheckpointPosition.set({ projection }, Number(position)),
    lag: (projection, seconds) => metrics.projectionLagSeconds.set({ projection }, seconds),
  };
}

function all(feeds: readonly ProjectionFeed[]): ProjectionFeed {
  return {
    start: async () => {
      for (const feed of feeds) await feed.start();
    },
    stop: async () => {
      await Promise.all(feeds.map((feed) => feed.stop()));
    },
  };
}
