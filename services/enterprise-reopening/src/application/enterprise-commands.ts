import { enterpriseReopeningStreams, INDUSTRY_CODES } from '@city/contracts';
import { CommandHandler, type EventStore } from '@city/eventsourcing';
import { enterpriseDecider, type EnterpriseCommand, type EnterpriseEvent, type EnterpriseProfile, type EnterpriseState } from '../domain/enterprise.decider';
import type { IndustryCatalog } from '../domain/industry-catalog';
import { commandContext, metadataOf, type CommandReceipt, type RequestContext } from './command-plumbing';

export interface EnterpriseReceipt extends CommandReceipt {
  readonly creditCode: string;
}

/**
 * The enterprise commands: each builds the command with the actor, the time and
 * the reference data it needs, and runs the decider through the event-sourcing
 * CommandHandler, which appends with optimistic concurrency and retries on a conflict.
 */
export class EnterpriseCommands {
  private readonly enterprises: CommandHandler<EnterpriseCommand, EnterpriseEvent, EnterpriseState>;
  private readonly industries: IndustryCatalog = { has: (code) => INDUSTRY_CODES.includes(code) };

  constructor(
    store: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.enterprises = new CommandHandler(store, enterpriseDecider);
  }

  register(ctx: RequestContext, profile: EnterpriseProfile): Promise<EnterpriseReceipt> {
    return this.handle(ctx, profile.creditCode, {
      type: 'RegisterEnterprise',
      data: { ...profile, industries: this.industries },
      metadata: commandContext(ctx, this.clock),
    });
  }

  private async handle(ctx: RequestContext, creditCode: string, command: EnterpriseCommand): Promise<EnterpriseReceipt> {
    const streamId = enterpriseReopeningStreams.enterprise(creditCode);
    const result = await this.enterprises.handle(streamId, command, { metadata: metadataOf(ctx) });
    return { creditCode, streamId, version: result.nextExpectedVersion, eventsAppended: result.events.length };
  }
}
