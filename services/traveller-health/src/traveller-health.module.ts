import { type DynamicModule, Module } from '@nestjs/common';
import type { EventStore } from '@city/eventsourcing';
import { CasesController } from './api/cases.controller';
import { CaseCommands } from './application/case-commands';
import { CaseQueries } from './application/case-queries';

export interface TravellerHealthModuleOptions {
  /** The event store: PostgreSQL, EventStoreDB or PGlite, as the kit opens it (or any adapter of the port). */
  readonly eventStore: EventStore;
  /** Server clock; tests pin it. Default: the system clock. */
  readonly clock?: () => Date;
}

/**
 * The traveller-health service's HTTP API and command/query handlers, independent of
 * where its events live. The app that imports it provides ObservabilityModule
 * and AuthModule, as the kit's `createServiceApp` does.
 */
@Module({})
export class TravellerHealthModule {
  static register(options: TravellerHealthModuleOptions): DynamicModule {
    return {
      module: TravellerHealthModule,
      controllers: [CasesController],
      providers: [
        { provide: CaseCommands, useValue: new CaseCommands(options.eventStore, options.clock) },
        { provide: CaseQueries, useValue: new CaseQueries(options.eventStore) },
      ],
      exports: [CaseCommands, CaseQueries],
    };
  }
}
