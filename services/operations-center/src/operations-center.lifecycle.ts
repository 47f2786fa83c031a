import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { CityMetrics, ReadinessChecks } from '@city/observability';
import { migrateProjectionTables } from '@city/projections';
import type { SqlDatabase } from '@city/sql';
import { ChangeFeed } from './live/change-feed';
import { LiveUpdates } from './live/live-updates';
import { OPS_OPTIONS, OPS_READ_DB } from './operations-center.tokens';
import { metricsObserver, type ProjectionFeed, type ProjectionFeedFactory } from './projection-feeds';
import { migrateOpsSchema } from './read-model/ops-schema';
import { OperationsReadModel } from './read-model/operations-read-model';

/**
 * Start-up and shutdown of the operations center, in order:
 * init: create the read-model tables, listen for change notices, add the
 * read-db readiness check; bootstrap (HTTP about to listen): start feeding the
 * projections; shutdown: stop the feed (its batch in flight commits), end live
 * streams, stop listening; last, the caller's `onShutdown` (the read database is the caller's).
 */
@Injectable()
export class OperationsCenterLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('OperationsCenter');
  private feed?: ProjectionFeed;

  constructor(
    @Inject(OPS_READ_DB) private readonly readDb: SqlDatabase,
    @Inject(OPS_OPTIONS) private readonly options: { readonly feed?: ProjectionFeedFactory; readonly onShutdown?: () => Promise<void> },
    private readonly readModel: OperationsReadModel,
    private readonly changes: ChangeFeed,
    private readonly live: LiveUpdates,
    private readonly metrics: CityMetrics,
    private readonly readiness: ReadinessChecks,
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
    await this.feed.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.feed?.stop();
    this.live.close();
    await this.changes.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.options.onShutdown?.();
  }
}
