import { join } from 'node:path';
import { type DynamicModule, Inject, Logger, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { MEASURE_CATALOG, type MeasureCatalog } from '@city/contracts';
import type { EventStore } from '@city/eventsourcing';
import { CityMetrics } from '@city/observability';
import type { StoreReadModel } from '@city/projections';
import { screensController } from '@city/service-kit';
import type { SqlDatabase } from '@city/sql';
import { ApplicationsController } from './api/applications.controller';
import { EnterpriseEventsConsumer } from './api/enterprise-events.consumer';
import { ApprovalQueueController, EnterpriseMeasuresController, MeasuresController } from './api/measures.controller';
import { enterpriseStoreFeed } from './application/enterprise-store-feed';
import { EnterpriseView } from './application/enterprise-view';
import { ReliefCommands } from './application/relief-commands';
import { ReliefQueries } from './application/relief-queries';
import { ReliefReadModel } from './application/relief-read-model';

export interface PolicyReliefModuleOptions {
  /** The event store: PostgreSQL, EventStoreDB or PGlite, as the kit opens it (or any adapter of the port). */
  readonly eventStore: EventStore;
  /** Where the service's own tables live: the applications read model and the view of enterprises. */
  readonly readModelDb: SqlDatabase;
  /** The measure catalog; default the city's (MEASURE_CATALOG of @city/contracts). Tests pass small budgets. */
  readonly catalog?: MeasureCatalog;
  /** Server clock; tests pin it. Default: the system clock. */
  readonly clock?: () => Date;
  /**
   * Keep the view of enterprises from enterprise-reopening's events in the same
   * event store (the embedded city, where the store stands in for Kafka);
   * stack mode feeds it from Kafka instead (policy-relief-stack.ts).
   */
  readonly enterprisesFromStore?: boolean;
}

/**
 * The screens (an enterprise's page, an issuing office's approval queue) at
 * `/screens/<page>`: next to this file both in the sources (swc-node, tests) and in
 * the build, which copies the folder beside the compiled module.
 */
export const POLICY_RELIEF_SCREENS = join(__dirname, 'screens');

/** The view of enterprises fed from the event store, where the module runs one. */
const ENTERPRISE_STORE_FEED = 'POLICY_RELIEF_ENTERPRISE_STORE_FEED';

/**
 * The policy-relief service's HTTP API and command/query handlers, independent of
 * where its events live. The app that imports it provides ObservabilityModule
 * and AuthModule, as the kit's `createServiceApp` does.
 */
@Module({})
export class PolicyReliefModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(ReliefReadModel) private readonly readModel: ReliefReadModel,
    @Inject(EnterpriseView) private readonly enterprises: EnterpriseView,
    @Inject(ENTERPRISE_STORE_FEED) private readonly enterpriseFeed: StoreReadModel | null,
  ) {}

  static register(options: PolicyReliefModuleOptions): DynamicModule {
    const catalog = options.catalog ?? MEASURE_CATALOG;
    return {
      module: PolicyReliefModule,
      // The consumer's @EventPattern handlers run only where the stack connects the Kafka transport.
      controllers: [
        MeasuresController,
        EnterpriseMeasuresController,
        ApprovalQueueController,
        ApplicationsController,
        EnterpriseEventsConsumer,
        screensController({ root: POLICY_RELIEF_SCREENS }),
      ],
      providers: [
        { provide: EnterpriseView, useValue: new EnterpriseView(options.readModelDb) },
        {
          provide: ENTERPRISE_STORE_FEED,
          useFactory: () => {
            if (!options.enterprisesFromStore) return null;
            const logger = new Logger('EnterpriseStoreFeed');
            return enterpriseStoreFeed(options.eventStore, options.readModelDb, (error) => logger.warn(`View of enterprises: ${error.message}`));
          },
        },
        {
          provide: ReliefReadModel,
          useFactory: () => {
            const logger = new Logger('ReliefReadModel');
            return new ReliefReadModel(options.eventStore, options.readModelDb, (error) => logger.warn(`Read model: ${error.message}`));
          },
        },
        {
          provide: ReliefCommands,
          useFactory: (enterprises: EnterpriseView, metrics?: CityMetrics) =>
            new ReliefCommands({
              store: options.eventStore,
              catalog,
              enterprises,
              ...(options.clock && { clock: options.clock }),
              ...(metrics && { metrics }),
            }),
          inject: [EnterpriseView, { token: CityMetrics, optional: true }],
        },
        {
          provide: ReliefQueries,
          useFactory: (commands: ReliefCommands, readModel: ReliefReadModel, enterprises: EnterpriseView) =>
            new ReliefQueries(options.eventStore, catalog, commands.ledger, readModel, enterprises, options.clock),
          inject: [ReliefCommands, ReliefReadModel, EnterpriseView],
        },
      ],
      exports: [ReliefCommands, ReliefQueries, ReliefReadModel, EnterpriseView],
    };
  }

  async onModuleInit(): Promise<void> {
    await this.enterprises.migrate();
    this.readModel.start();
    this.enterpriseFeed?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.readModel.stop();
    await this.enterpriseFeed?.stop();
  }
}
