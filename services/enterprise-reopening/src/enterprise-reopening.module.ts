import { type DynamicModule, Logger, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { EventStore } from '@city/eventsourcing';
import { METRICS_REGISTRY } from '@city/observability';
import { CommandScheduler, type Clock } from '@city/scheduler';
import { screensController } from '@city/service-kit';
import type { SqlDatabase } from '@city/sql';
import { join } from 'node:path';
import { AppealsController } from './api/appeals.controller';
import { EnterprisesController } from './api/enterprises.controller';
import { GuidelinesController } from './api/guidelines.controller';
import { InspectionQueueController } from './api/inspection-queue.controller';
import { ReopeningController } from './api/reopening.controller';
import { AppealCommands } from './application/appeal-commands';
import { AppealQueries } from './application/appeal-queries';
import { EnterpriseCommands } from './application/enterprise-commands';
import { EnterpriseQueries } from './application/enterprise-queries';
import { GuidelineCatalog } from './application/guideline-catalog';
import { QueueQueries } from './application/queue-queries';
import { ReopeningReadModel } from './application/reopening-read-model';
import { ServiceLifecycle } from './application/service-lifecycle';
import { ENTERPRISE_REOPENING_SERVICE } from './service-name';

export interface EnterpriseReopeningModuleOptions {
  /** The event store: PostgreSQL, EventStoreDB or PGlite, as the kit opens it (or any adapter of the port). */
  readonly eventStore: EventStore;
  /** The service's own database (PostgreSQL or PGlite): the read model of the inspectors' queue and the appeals, with its checkpoint. */
  readonly db: SqlDatabase;
  /** Server clock; tests pin it. Default: the system clock. */
  readonly clock?: () => Date;
  /**
   * The database of the durable scheduler that escalates overdue appeals
   * (the service's own PostgreSQL or PGlite). Left out, appeals are never escalated.
   */
  readonly scheduling?: { readonly db: SqlDatabase; readonly clock?: Clock; readonly pollIntervalMs?: number };
  /** How long a department has to answer an appeal; default 72 hours. */
  readonly appealAnswerWithinMs?: number;
  /** Folder of the screens served at `/screens/<page>`; default `screens` beside this file (in the source and in the build). */
  readonly screensRoot?: string;
}

/**
 * The enterprise-reopening service's HTTP API and command/query handlers, independent of
 * where its events live. The app that imports it provides ObservabilityModule
 * and AuthModule, as the kit's `createServiceApp` does.
 */
@Module({})
export class EnterpriseReopeningModule {
  static register(options: EnterpriseReopeningModuleOptions): DynamicModule {
    const { eventStore, clock, scheduling } = options;
    const guidelines = new GuidelineCatalog(eventStore, clock);
    const logger = new Logger('EnterpriseReopening');
    const readModel = new ReopeningReadModel({
      store: eventStore,
      db: options.db,
      onError: (error) => logger.warn(`Read model: ${error.message}`),
      // Versions other replicas issue reach this replica's catalog as its read model reads them.
      onGuidelineIssued: (guideline) => guidelines.learn(guideline),
    });
    return {
      module: EnterpriseReopeningModule,
      controllers: [
        EnterprisesController,
        ReopeningController,
        AppealsController,
        GuidelinesController,
        InspectionQueueController,
        screensController({ root: options.screensRoot ?? join(__dirname, 'screens') }),
      ],
      providers: [
        { provide: GuidelineCatalog, useValue: guidelines },
        { provide: QueueQueries, useValue: new QueueQueries(readModel, clock) },
        { provide: EnterpriseCommands, useValue: new EnterpriseCommands(eventStore, guidelines, clock) },
        { provide: EnterpriseQueries, useValue: new EnterpriseQueries(eventStore) },
        { provide: AppealQueries, useValue: new AppealQueries(eventStore) },
        {
          provide: CommandScheduler,
          inject: [METRICS_REGISTRY],
          useFactory: (registry: Registry) =>
            scheduling === undefined
              ? undefined
              : new CommandScheduler({ db: scheduling.db, service: ENTERPRISE_REOPENING_SERVICE, registry, ...definedOf(scheduling) }),
        },
        {
          provide: AppealCommands,
          inject: [CommandScheduler],
          useFactory: (scheduler?: CommandScheduler) => new AppealCommands(eventStore, scheduler, clock, options.appealAnswerWithinMs),
        },
        {
          provide: ServiceLifecycle,
          inject: [CommandScheduler],
          useFactory: (scheduler?: CommandScheduler) => new ServiceLifecycle(guidelines, readModel, scheduler),
        },
      ],
      exports: [EnterpriseCommands, EnterpriseQueries, AppealCommands, GuidelineCatalog],
    };
  }
}

function definedOf(s: { readonly clock?: Clock; readonly pollIntervalMs?: number }): { clock?: Clock; pollIntervalMs?: number } {
  return { ...(s.clock === undefined ? {} : { clock: s.clock }), ...(s.pollIntervalMs === undefined ? {} : { pollIntervalMs: s.pollIntervalMs }) };
}
