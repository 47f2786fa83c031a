import { dirname, join } from 'node:path';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { AuthModule, type AuthModuleOptions } from '@city/auth';
import { ObservabilityModule, type ReadinessCheck } from '@city/observability';
import type { SqlDatabase } from '@city/sql';
import { ExportController } from './api/export.controller';
import { OverviewController } from './api/overview.controller';
import { StreamController, type StreamOptions } from './api/stream.controller';
import { WebController, type WebOptions } from './api/web.controller';
import { defaultContexts } from './contexts/registry';
import { ChangeFeed } from './live/change-feed';
import { LiveUpdates } from './live/live-updates';
import { OperationsCenterLifecycle } from './operations-center.lifecycle';
import { OPS_CLOCK, OPS_OPTIONS, OPS_READ_DB, type Clock } from './operations-center.tokens';
import type { ProjectionFeedFactory } from './projection-feeds';
import type { ContextReadModel } from './read-model/context-read-model';
import { OperationsReadModel } from './read-model/operations-read-model';

export const OPERATIONS_CENTER_SERVICE = 'operations-center';

export interface OperationsCenterOptions {
  /** The read-model database (PostgreSQL in stack mode, PGlite embedded). The caller closes it. */
  readonly readDb: SqlDatabase;
  /**
   * What feeds the projections: `kafkaProjectionFeed(...)` (stack) or
   * `eventStoreProjectionFeed(store)` (embedded). Omit for a query-only replica:
   * it still pushes live updates, from the database's NOTIFY.
   */
  readonly feed?: ProjectionFeedFactory;
  /** The contexts on the dashboard; default: every context of the registry (contexts/registry.ts). */
  readonly contexts?: readonly ContextReadModel[];
  /** Token verification (default: HS256 with env JWT_SECRET). */
  readonly auth?: AuthModuleOptions;
  /** Metric `service` label and log field; default `operations-center`. */
  readonly serviceName?: string;
  /** More readiness checks (e.g. the Kafka broker). */
  readonly readiness?: readonly ReadinessCheck[];
  readonly logLevel?: string;
  readonly logDestination?: NodeJS.WritableStream;
  /** "Now" for live figures and "today"; tests may fix it. */
  readonly clock?: Clock;
  readonly stream?: Partial<StreamOptions>;
  /** Changes within this window are pushed together (default 150 ms). */
  readonly liveCoalesceMs?: number;
  readonly web?: Partial<WebOptions>;
  /**
   * Import ObservabilityModule and AuthModule (default true). Set false only
   * when a host app that already imports both embeds this module.
   */
  readonly withPlatformModules?: boolean;
  /** Runs last on shutdown, after the feed stopped (e.g. close the read database you opened for the app). */
  readonly onShutdown?: () => Promise<void>;
}

/**
 * The operations center: projections of the city and district read models,
 * the query API (REST + server-sent events) and the dashboard page.
 *
 *   OperationsCenterModule.register({ readDb, feed: eventStoreProjectionFeed(store) })
 */
@Module({})
export class OperationsCenterModule {
  static register(options: OperationsCenterOptions): DynamicModule {
    const serviceName = options.serviceName ?? OPERATIONS_CENTER_SERVICE;
    const contexts = options.contexts ?? defaultContexts();
    const clock = options.clock ?? (() => new Date());
    const resolved = {
      feed: options.feed,
      onShutdown: options.onShutdown,
      stream: { keepAliveMs: 15_000, retryMs: 3_000, ...options.stream },
      web: {
        webRoot: options.web?.webRoot ?? join(__dirname, 'web'),
        chartJsFile: options.web?.chartJsFile ?? join(dirname(require.resolve('chart.js')), 'chart.umd.js'),
        panels: options.web?.panels ?? contexts.map((c) => c.panel),
      },
    };
    const platform =
      options.withPlatformModules === false
        ? []
        : [
            ObservabilityModule.forRoot({ serviceName, readiness: options.readiness, logLevel: options.logLevel, logDestination: options.logDestination }),
            AuthModule.forRoot(options.auth),
          ];
    return {
      module: OperationsCenterModule,
      imports: platform,
      controllers: [OverviewController, ExportController, StreamController, WebController],
      providers: [
        { provide: OPS_READ_DB, useValue: options.readDb },
        { provide: OPS_CLOCK, useValue: clock },
        { provide: OPS_OPTIONS, useValue: resolved },
        { provide: OperationsReadModel, useFactory: () => new OperationsReadModel(options.readDb, contexts) },
        { provide: ChangeFeed, useFactory: () => new ChangeFeed() },
        {
          provide: LiveUpdates,
          inject: [OperationsReadModel, ChangeFeed],
          useFactory: (readModel: OperationsReadModel, feed: ChangeFeed) => {
            const logger = new Logger('LiveUpdates');
            return new LiveUpdates(readModel, feed, (error) => logger.error({ err: error }, 'Live update failed'), {
              coalesceMs: options.liveCoalesceMs,
              clock,
            });
          },
        },
        OperationsCenterLifecycle,
      ],
      exports: [OperationsReadModel, ChangeFeed, LiveUpdates],
    };
  }
}
