import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { retryWithBackoff, type Retrying } from '@city/eventsourcing';
import { CityMetrics, ReadinessChecks } from '@city/observability';
import { migrateProjectionTables } from '@city/projections';
import { ShutdownDeadline } from '@city/service-kit';
import type { SqlDatabase } from '@city/sql';
import { ChangeFeed } from './live/change-feed';
import { LiveUpdates } from './live/live-updates';
import { OPS_OPTIONS, OPS_READ_DB } from './operations-center.tokens';
import { metricsObserver, type ProjectionFeed, type ProjectionFeedFactory } from './projection-feeds';
import { migrateOpsSchema } from './read-model/ops-schema';
import { OperationsReadModel } from './read-model/operations-read-model';

/** Retrying a feed that cannot start (the broker is down): 1 s at first, doubling up to 30 s. */
const FEED_RETRY = { initialMs: 1000, maxMs: 30_000 } as const;
/**
 * How long shutdown waits for a start attempt in flight. Against a broker that
 * is down an attempt lasts as long as the Kafka client's own retries (tens of
 * seconds); shutdown does not wait for that, the attempt stops the feed itself
 * if it ever succeeds.
 */
const START_IN_FLIGHT_GRACE_MS = 5000;
/**
 * How long start-up waits for the feed's first attempt before listening. With
 * the source up the attempt succeeds well within it, so the service is ready
 * the moment it listens; with the source down the service listens after this
 * wait (not after the Kafka client's retries) and keeps trying in the background.
 */
const FIRST_START_WAIT_MS = 10_000;

/**
 * Start-up and shutdown of the operations center, in order:
 * init: create every table once (the shared tables, the runners' bookkeeping,
 * each context's projection tables; the feeds do not migrate again), listen for
 * change notices, add the read-db readiness check; bootstrap (HTTP about to
 * listen): start feeding the projections, retrying with backoff in the
 * background while the source is down, so the service listens (at most
 * FIRST_START_WAIT_MS later), answers /health/live, and /health/ready once the
 * feed runs; shutdown: stop the feed (its batch in flight commits), end live
 * streams, stop listening; last, the caller's `onShutdown` (the read database
 * is the caller's).
 */
@Injectable()
export class OperationsCenterLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('OperationsCenter');
  private feed?: ProjectionFeed;
  private feeding?: Promise<void>;
  private started = false;
  private stopping = false;
  private starting?: Retrying;

  constructor(
    @Inject(OPS_READ_DB) private readonly readDb: SqlDatabase,
    @Inject(OPS_OPTIONS) private readonly options: { readonly feed?: ProjectionFeedFactory; readonly onShutdown?: () => Promise<void> },
    private readonly readModel: OperationsReadModel,
    private readonly changes: ChangeFeed,
    private readonly live: LiveUpdates,
    private readonly metrics: CityMetrics,
    private readonly readiness: ReadinessChecks,
    /** The kit's shutdown clock; absent when the module runs outside the kit (then one of its own). */
    @Optional() private readonly deadline: ShutdownDeadline = new ShutdownDeadline(),
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateOpsSchema(this.readDb);
    await migrateProjectionTables(this.readDb);
    for (const context of this.readModel.contexts) for (const projection of context.projections) await projection.migrate(this.readDb);
    await this.changes.listen(this.readDb);
    this.readiness.add({ name: 'read-db', check: () => this.readDb.query('SELECT 1') });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.feed) return;
    this.feed = this.options.feed({
      readDb: this.readDb,
      contexts: this.readModel.contexts,
      observer: metricsObserver(this.metrics),
      metrics: this.metrics,
      onError: (error) => this.logger.error({ err: { type: error.name, message: error.message } }, 'Projection feed error'),
    });
    this.readiness.add({
      name: 'projection-feed',
      check: () => {
        if (!this.started) throw new Error('the projection feed has not started yet');
      },
    });
    let firstAttemptFailed = (): void => undefined;
    const firstAttempt = new Promise<void>((resolve) => (firstAttemptFailed = resolve));
    this.feeding = this.startFeed(this.feed, firstAttemptFailed);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.feeding, firstAttempt, new Promise((resolve) => (timer = setTimeout(resolve, FIRST_START_WAIT_MS)))]);
    clearTimeout(timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.starting?.stop();
    if (this.feeding) await Promise.race([this.feeding, new Promise((resolve) => setTimeout(resolve, START_IN_FLIGHT_GRACE_MS).unref())]);
    const feed = this.feed;
    // Bounded: consumers that cannot reach the broker to leave the group must not hold the shutdown.
    await this.deadline.run(
      [
        { name: 'projection feed: commit the batch in flight, leave the groups', run: () => feed?.stop() },
        { name: 'live streams', run: () => this.live.close() },
        { name: 'change notices', run: () => this.changes.close() },
      ],
      (message) => this.logger.warn(message),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.options.onShutdown?.();
  }

  private async startFeed(feed: ProjectionFeed, onFailure: () => void): Promise<void> {
    this.starting = retryWithBackoff(() => feed.start(), {
      ...FEED_RETRY,
      onFailure: async (error) => {
        onFailure();
        this.logger.warn(`Projection feed could not start (${error.message}); retrying`);
        await feed.stop().catch(() => undefined);
      },
    });
    if (!(await this.starting.done)) return;
    this.started = true;
    // Shutdown began while the last attempt was in flight and did not wait for it.
    if (this.stopping) await feed.stop();
  }
}
