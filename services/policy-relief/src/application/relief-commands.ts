import { applicationIdOf, policyReliefStreams, type LandlordKind, type MeasureCatalog, type ReliefMeasure } from '@city/contracts';
import { cityDayOf } from '@city/city-time';
import {
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  SerialCommandHandler,
  ValidationError,
  type EventMetadata,
  type EventStore,
} from '@city/eventsourcing';
import { applicationDecider, type ApplicationCommand, type ApplicationEvent, type ApplicationState } from '../domain/application.decider';
import type { Actor, CommandContext } from '../domain/command-context';
import type { EnterpriseFacts } from '../domain/enterprise-facts';
import { BudgetLedger } from './budget-ledger';

/** Who sent the request, and the id that ties together everything it causes. */
export interface RequestContext {
  readonly actor: Actor;
  readonly correlationId: string;
}

/** What an application command answers: the stream it touched, its version, and how many events this call appended (0 for a retry). */
export interface ApplicationReceipt {
  readonly applicationId: string;
  readonly streamId: string;
  readonly version: number;
  readonly eventsAppended: number;
}

export interface SubmitInput {
  readonly measureId: string;
  readonly enterpriseId: string;
  readonly landlordKind: LandlordKind;
  readonly requestedFen: number;
  readonly monthlyRentFen?: number;
}

export interface DisbursementInput {
  readonly amountFen: number;
  readonly disbursedOn: string;
  readonly reference: string;
}

/** The metrics a command service reports; CityMetrics of @city/observability fits. */
export interface CommandMetrics {
  timeCommand<T>(command: string, fn: () => Promise<T>): Promise<T>;
  recordEventsAppended(types: readonly string[]): void;
}

export interface ReliefCommandsOptions {
  readonly store: EventStore;
  readonly catalog: MeasureCatalog;
  readonly enterprises: EnterpriseFacts;
  readonly clock?: () => Date;
  readonly metrics?: CommandMetrics;
}

/**
 * The application commands: each builds the command with the actor, the time,
 * the measure and the enterprise's facts, and runs the decider on the
 * application's stream (serialised per stream in this process, optimistic
 * across replicas). An approval first commits its money on the measure's
 * budget ledger (see domain/budget.decider.ts for why that keeps the budget
 * from being over-committed on any number of replicas).
 */
export class ReliefCommands {
  private readonly applications: SerialCommandHandler<ApplicationCommand, ApplicationEvent, ApplicationState>;
  readonly ledger: BudgetLedger;
  private readonly clock: () => Date;

  constructor(private readonly options: ReliefCommandsOptions) {
    this.applications = new SerialCommandHandler(options.store, applicationDecider);
    this.ledger = new BudgetLedger(options.store);
    this.clock = options.clock ?? (() => new Date());
  }

  measureOf(measureId: string): ReliefMeasure | null {
    return this.options.catalog.measures.find((m) => m.measureId === measureId) ?? null;
  }

  submit(ctx: RequestContext, input: SubmitInput): Promise<ApplicationReceipt> {
    return this.timed('SubmitApplication', async () => {
      const applicationId = applicationIdOf(input.measureId, input.enterpriseId);
      const context = this.context(ctx);
      const enterprise = await this.options.enterprises.enterpriseOf(input.enterpriseId);
      return this.handle(ctx, {
        type: 'SubmitApplication',
        data: {
          applicationId,
          measureId: input.measureId,
          enterpriseId: input.enterpriseId,
          measure: this.measureOf(input.measureId),
          enterprise,
          landlordKind: input.landlordKind,
          requestedFen: input.requestedFen,
          ...(input.monthlyRentFen !== undefined && { monthlyRentFen: input.monthlyRentFen }),
          today: cityDayOf(context.now),
        },
        metadata: context,
      });
    });
  }

  withdraw(ctx: RequestContext, applicationId: string, reason?: string): Promise<ApplicationReceipt> {
    return this.timed('WithdrawApplication', () =>
      this.handle(ctx, { type: 'WithdrawApplication', data: { applicationId, ...(reason !== undefined && { reason }) }, metadata: this.context(ctx) }),
    );
  }

  reject(ctx: RequestContext, applicationId: string, reason: string): Promise<ApplicationReceipt> {
    return this.timed('RejectApplication', () => this.handle(ctx, { type: 'RejectApplication', data: { applicationId, reason }, metadata: this.context(ctx) }));
  }

  disburse(ctx: RequestContext, applicationId: string, input: DisbursementInput): Promise<ApplicationReceipt> {
    return this.timed('RecordDisbursement', () => {
      const context = this.context(ctx);
      return this.handle(ctx, { type: 'RecordDisbursement', data: { applicationId, ...input, today: cityDayOf(context.now) }, metadata: context });
    });
  }

  /**
   * Approves in full (no amount: what was requested) or in part. Refusals of
   * the application itself (access, status, amount) come before any money is
   * touched; then the budget ledger commits the amount or refuses with
   * `budget-exceeded`; then the approval is appended. Should the application
   * refuse at that point (withdrawn meanwhile), the commitment is released.
   */
  approve(ctx: RequestContext, applicationId: string, grantedFen?: number, note?: string): Promise<ApplicationReceipt> {
    return this.timed('ApproveApplication', async () => {
      const streamId = policyReliefStreams.application(applicationId);
      const state = await this.applications.state(streamId);
      if (state.status === 'none') throw new NotFoundError(`Unknown application ${applicationId}`);
      const measure = this.measureOf(state.submitted.measureId);
      if (!measure) throw new NotFoundError(`Unknown measure ${state.submitted.measureId}`);
      const context = this.context(ctx);
      const amount = grantedFen ?? state.submitted.requestedFen;
      const command: ApplicationCommand = {
        type: 'ApproveApplication',
        data: { applicationId, grantedFen: amount, ...(note !== undefined && { note }) },
        metadata: context,
      };
      // Decided once on the state at hand, for its refusals only: nothing is appended here.
      if (applicationDecider.decide(command, state).length === 0) return this.handle(ctx, command);
      // The budget belongs to the measure, not to a district.
      const metadata = this.metadataOf(ctx);
      await this.ledger.commit(measure, applicationId, amount, context.now, metadata);
      try {
        return await this.handle(ctx, command);
      } catch (error) {
        // Only a refusal is known to have appended nothing; anything else keeps the money committed (never over-committed).
        if (error instanceof RuleViolationError || error instanceof ForbiddenError || error instanceof NotFoundError || error instanceof ValidationError) {
          await this.ledger.release(measure, applicationId, `The approval was refused: ${error.message}`, context.now, metadata);
        }
        throw error;
      }
    });
  }

  private async handle(ctx: RequestContext, command: ApplicationCommand): Promise<ApplicationReceipt> {
    const { applicationId } = command.data;
    const streamId = policyReliefStreams.application(applicationId);
    const result = await this.applications.handle(streamId, command, { metadata: (event) => this.metadataOf(ctx, event.data.districtCode) });
    if (result.events.length > 0) this.options.metrics?.recordEventsAppended(result.events.map((e) => e.type));
    return { applicationId, streamId, version: result.nextExpectedVersion, eventsAppended: result.events.length };
  }

  private metadataOf(ctx: RequestContext, district?: string): EventMetadata {
    // The HTTP request is the command that directly causes the events.
    const metadata = { correlationId: ctx.correlationId, causationId: ctx.correlationId, actorId: ctx.actor.sub, actorRole: ctx.actor.role };
    return district === undefined ? metadata : { ...metadata, district };
  }

  private context(ctx: RequestContext): CommandContext {
    return { actor: ctx.actor, now: this.clock().toISOString() };
  }

  private timed<T>(command: string, work: () => Promise<T>): Promise<T> {
    return this.options.metrics ? this.options.metrics.timeCommand(command, work) : work();
  }
}
