import { type DynamicModule, Inject, Logger, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EventStore, KeyedLock } from '@city/eventsourcing';
import type { SqlDatabase } from '@city/sql';
import { CityMetrics } from '@city/observability';
import { FieldWorkController } from './api/field-work.controller';
import { ReferenceDataController } from './api/reference-data.controller';
import { UnitsController } from './api/units.controller';
import { CanvassCommands } from './application/canvass-commands';
import { CanvassQueries } from './application/canvass-queries';
import { CanvassReadModel } from './application/canvass-read-model';

/** Injection token of the event store the canvass module writes to and reads from. */
export const CANVASS_EVENT_STORE = Symbol('CANVASS_EVENT_STORE');

export interface CanvassModuleOptions {
  /**
   * The event store: PostgresEventStore on a PostgreSQL server (stack mode) or
   * on PGlite (embedded mode), or any other adapter of the port.
   */
  readonly eventStore: EventStore;
  /**
   * Where the service's read model (units, gate shifts) and its checkpoint
   * live: the department's PostgreSQL database, or PGlite when embedded.
   */
  readonly readModelDb: SqlDatabase;
  /** Server clock; tests pin it. Default: the system clock. */
  readonly clock?: () => Date;
  /** Serialises an official's gate-duty commands across replicas (see CanvassCommandsOptions.gateDutyLock). */
  readonly gateDutyLock?: KeyedLock;
}

/**
 * The canvass service's HTTP API and command/query handlers, independent of
 * where its events live. The app that imports it provides ObservabilityModule
 * (CityMetrics; optional) and AuthModule (the global JwtAuthGuard), as
 * `createCanvassApp` (the service kit) does for the stand-alone service.
 */
@Module({})
export class CanvassModule implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(CanvassReadModel) private readonly readModel: CanvassReadModel) {}

  static register(options: CanvassModuleOptions): DynamicModule {
    const clock = options.clock ?? (() => new Date());
    return {
      module: CanvassModule,
      controllers: [ReferenceDataController, UnitsController, FieldWorkController],
      providers: [
        { provide: CANVASS_EVENT_STORE, useValue: options.eventStore },
        {
          provide: CanvassReadModel,
          useFactory: (store: EventStore) => {
            const logger = new Logger('CanvassReadModel');
            return new CanvassReadModel({ store, db: options.readModelDb, onError: (error) => logger.warn(`Read model: ${error.message}`) });
          },
          inject: [CANVASS_EVENT_STORE],
        },
        {
          provide: CanvassCommands,
          useFactory: (store: EventStore, readModel: CanvassReadModel, metrics?: CityMetrics) =>
            new CanvassCommands({ store, readModel, metrics, clock, ...(options.gateDutyLock ? { gateDutyLock: options.gateDutyLock } : {}) }),
          inject: [CANVASS_EVENT_STORE, CanvassReadModel, { token: CityMetrics, optional: true }],
        },
        {
          provide: CanvassQueries,
          useFactory: (store: EventStore, readModel: CanvassReadModel) => new CanvassQueries(store, readModel, clock),
          inject: [CANVASS_EVENT_STORE, CanvassReadModel],
        },
      ],
      exports: [CANVASS_EVENT_STORE, CanvassCommands, CanvassQueries, CanvassReadModel],
    };
  }

  /**
   * Catches the stored read model up in the background: start-up does not wait
   * for it (its tables survive restarts, so this is only what came in since),
   * and a query waits for its own position.
   */
  onModuleInit(): void {
    this.readModel.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.readModel.stop();
  }
}
