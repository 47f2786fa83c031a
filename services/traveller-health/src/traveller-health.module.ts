import { join } from 'node:path';
import { type DynamicModule, Inject, Logger, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EventStore } from '@city/eventsourcing';
import { CityMetrics } from '@city/observability';
import { CommandScheduler, type Clock } from '@city/scheduler';
import { screensController } from '@city/service-kit';
import type { SqlDatabase } from '@city/sql';
import { CommitteesController } from './api/committees.controller';
import { RegistrationsController } from './api/registrations.controller';
import { RuleSetsController } from './api/rule-sets.controller';
import { TravellersController } from './api/travellers.controller';
import { CheckpointCatalog } from './application/checkpoint-catalog';
import { CommitteeCatalog } from './application/committee-catalog';
import { ObservationBoardReadModel } from './application/observation-board-read-model';
import { ObservationCommands } from './application/observation-commands';
import { PersonalDataVault } from './application/personal-data-vault';
import type { PrivacyKeys } from './application/privacy-keys';
import { RegistrationCommands } from './application/registration-commands';
import { RuleReplays } from './application/rule-replays';
import { Retention } from './application/retention';
import { TravellerQueries } from './application/traveller-queries';
import { TravellerStreams } from './application/traveller-streams';
import { WorkListReadModel } from './application/work-list-read-model';
import { CURRENT_RULE_SET_VERSION, RULE_SETS } from './domain/rule-sets';

export interface TravellerHealthModuleOptions {
  /** The event store: PostgreSQL, EventStoreDB or PGlite, as the kit opens it (or any adapter of the port). */
  readonly eventStore: EventStore;
  /** The service's own database: the personal-data vault, the work list, the audit trail, the scheduled commands. */
  readonly db: SqlDatabase;
  /** The traveller-id secret and the master keys (configuration). */
  readonly privacy: PrivacyKeys;
  /**
   * Days after a person was last seen (their last registration, or their release from
   * observation if later) before their data key is destroyed; default 28.
   */
  readonly retentionDays?: number;
  /** Rule set new registrations are classified by; default the newest the service knows. */
  readonly ruleSetVersion?: string;
  /** Server clock; tests pin it. Default: the system clock. */
  readonly clock?: () => Date;
  /** The scheduler's clock (default: `clock`); a scenario may run it faster. */
  readonly schedulerClock?: Clock;
  /** How often the scheduler looks for due commands; default its own. */
  readonly schedulerPollMs?: number;
  /** Start the scheduler with the module (default true); tests drive it with `fireDue()`. */
  readonly runScheduler?: boolean;
}

/**
 * The pages the service's users open (`/screens/register`, `/screens/community`): the folder beside this file,
 * in the sources (swc-node, tests) as in the build, whose `--copy-files` puts it beside the compiled module.
 */
export const SCREENS_ROOT = join(__dirname, 'screens');

/**
 * The traveller-health service's HTTP API and command/query handlers, independent of
 * where its events live. The app that imports it provides ObservabilityModule and
 * AuthModule, as the kit's `createServiceApp` does.
 */
@Module({})
export class TravellerHealthModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(WorkListReadModel) private readonly workList: WorkListReadModel,
    @Inject(ObservationBoardReadModel) private readonly board: ObservationBoardReadModel,
    @Inject(CommandScheduler) private readonly scheduler: CommandScheduler,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(TravellerQueries) private readonly queries: TravellerQueries,
    @Inject(Retention) private readonly retention: Retention,
    @Inject(RuleReplays) private readonly replays: RuleReplays,
    @Inject('TRAVELLER_HEALTH_SCHEDULER_NOW') private readonly schedulerNow: () => Date,
    @Inject('TRAVELLER_HEALTH_RUN_SCHEDULER') private readonly runScheduler: boolean,
  ) {}

  static register(options: TravellerHealthModuleOptions): DynamicModule {
    const clock = options.clock ?? (() => new Date());
    const ruleSet = RULE_SETS.get(options.ruleSetVersion ?? CURRENT_RULE_SET_VERSION);
    if (!ruleSet) throw new Error(`Unknown rule set ${options.ruleSetVersion}; known: ${[...RULE_SETS.keys()].join(', ')}`);
    const { eventStore: store, db, privacy } = options;
    const streams = new TravellerStreams(store);
    const vault = new PersonalDataVault(db, privacy);
    const logger = new Logger('TravellerHealth');
    const workList = new WorkListReadModel({ store, db, onError: (error) => logger.warn(`Work list: ${error.message}`) });
    const board = new ObservationBoardReadModel({ store, db, onError: (error) => logger.warn(`Observation board: ${error.message}`) });
    return {
      module: TravellerHealthModule,
      controllers: [RegistrationsController, CommitteesController, TravellersController, RuleSetsController, screensController({ root: SCREENS_ROOT })],
      providers: [
        { provide: 'TRAVELLER_HEALTH_RUN_SCHEDULER', useValue: options.runScheduler !== false },
        { provide: 'TRAVELLER_HEALTH_SCHEDULER_NOW', useValue: () => (options.schedulerClock ?? { now: clock }).now() },
        { provide: PersonalDataVault, useValue: vault },
        { provide: CommitteeCatalog, useValue: new CommitteeCatalog(store, clock) },
        { provide: WorkListReadModel, useValue: workList },
        { provide: ObservationBoardReadModel, useValue: board },
        { provide: 'TRAVELLER_HEALTH_RULE_SET', useValue: ruleSet },
        { provide: RuleReplays, useValue: new RuleReplays(store, vault, db, RULE_SETS, { clock, onError: (error) => logger.warn(error.message) }) },
        {
          provide: CommandScheduler,
          useFactory: (metrics?: CityMetrics) =>
            new CommandScheduler({
              db,
              service: 'traveller-health',
              clock: options.schedulerClock ?? { now: clock },
              ...(metrics ? { registry: metrics.registry } : {}),
              ...(options.schedulerPollMs ? { pollIntervalMs: options.schedulerPollMs } : {}),
              onError: (error) => logger.warn(`Scheduler: ${error.message}`),
            }),
          inject: [{ token: CityMetrics, optional: true }],
        },
        {
          provide: RegistrationCommands,
          useValue: new RegistrationCommands({
            streams,
            checkpoints: new CheckpointCatalog(store),
            vault,
            travellerIdSecret: privacy.travellerIdSecret,
            ruleSet,
            clock,
          }),
        },
        {
          provide: ObservationCommands,
          useFactory: (scheduler: CommandScheduler) =>
            new ObservationCommands({ streams, vault, scheduler, feverThresholdC: ruleSet.feverThresholdC, retentionDays: options.retentionDays ?? 28, clock }),
          inject: [CommandScheduler],
        },
        {
          provide: Retention,
          useFactory: (scheduler: CommandScheduler) =>
            new Retention({
              store,
              db,
              streams,
              vault,
              scheduler,
              retentionDays: options.retentionDays ?? 28,
              onError: (error) => logger.warn(error.message),
            }),
          inject: [CommandScheduler],
        },
        { provide: TravellerQueries, useValue: new TravellerQueries(streams, workList, board, vault, db, clock) },
      ],
      exports: [RegistrationCommands, ObservationCommands, TravellerQueries, PersonalDataVault, CommandScheduler],
    };
  }

  async onModuleInit(): Promise<void> {
    await this.vault.migrate();
    await this.queries.migrate();
    await this.replays.migrate();
    await this.scheduler.migrate();
    this.workList.start();
    this.board.start();
    await this.retention.start(this.schedulerNow());
    if (this.runScheduler) await this.scheduler.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduler.stop();
    await this.workList.stop();
    await this.board.stop();
    await this.retention.stop();
    await this.replays.stop();
  }
}
