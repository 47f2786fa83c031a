import { type DynamicModule, Module } from '@nestjs/common';
import type { EventStore } from '@city/eventsourcing';
import { EnterprisesController } from './api/enterprises.controller';
import { EnterpriseCommands } from './application/enterprise-commands';
import { EnterpriseQueries } from './application/enterprise-queries';

export interface EnterpriseReopeningModuleOptions {
  /** The event store: PostgreSQL, EventStoreDB or PGlite, as the kit opens it (or any adapter of the port). */
  readonly eventStore: EventStore;
  /** Server clock; tests pin it. Default: the system clock. */
  readonly clock?: () => Date;
}

/**
 * The enterprise-reopening service's HTTP API and command/query handlers, independent of
 * where its events live. The app that imports it provides ObservabilityModule
 * and AuthModule, as the kit's `createServiceApp` does.
 */
@Module({})
export class EnterpriseReopeningModule {
  static register(options: EnterpriseReopeningModuleOptions): DynamicModule {
    return {
      module: EnterpriseReopeningModule,
      controllers: [EnterprisesController],
      providers: [
        { provide: EnterpriseCommands, useValue: new EnterpriseCommands(options.eventStore, options.clock) },
        { provide: EnterpriseQueries, useValue: new EnterpriseQueries(options.eventStore) },
      ],
      exports: [EnterpriseCommands, EnterpriseQueries],
    };
  }
}
