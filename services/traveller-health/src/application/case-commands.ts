import { randomUUID } from 'node:crypto';
import { travellerHealthStreams } from '@city/contracts';
import { CommandHandler, type EventMetadata, type EventStore } from '@city/eventsourcing';
import { caseDecider, type CaseCommand, type CaseEvent, type CaseState } from '../domain/case.decider';
import type { Actor, CommandContext } from '../domain/command-context';

/** Who sent the request, and the id that ties together everything it causes. */
export interface RequestContext {
  readonly actor: Actor;
  readonly correlationId: string;
}

export interface OpenCaseInput {
  /** Client-chosen id makes the opening safe to retry; generated when absent. */
  readonly caseId?: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly subject: string;
}

/** What a case command answers: the stream it touched, its version, and how many events this call appended (0 for a retry). */
export interface CaseReceipt {
  readonly caseId: string;
  readonly streamId: string;
  readonly version: number;
  readonly eventsAppended: number;
}

/**
 * The case commands: each builds the command with the actor, the time and the
 * ids, and runs the decider through the event-sourcing CommandHandler, which
 * appends with optimistic concurrency and retries on a conflict.
 */
export class CaseCommands {
  private readonly cases: CommandHandler<CaseCommand, CaseEvent, CaseState>;

  constructor(
    store: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.cases = new CommandHandler(store, caseDecider);
  }

  openCase(ctx: RequestContext, input: OpenCaseInput): Promise<CaseReceipt> {
    const caseId = input.caseId ?? randomUUID();
    const { districtCode, subdistrictCode, subject } = input;
    return this.handle(ctx, { type: 'OpenCase', data: { caseId, districtCode, subdistrictCode, subject }, metadata: this.context(ctx) });
  }

  closeCase(ctx: RequestContext, caseId: string): Promise<CaseReceipt> {
    return this.handle(ctx, { type: 'CloseCase', data: { caseId }, metadata: this.context(ctx) });
  }

  private async handle(ctx: RequestContext, command: CaseCommand): Promise<CaseReceipt> {
    const { caseId } = command.data;
    const streamId = travellerHealthStreams.case(caseId);
    const result = await this.cases.handle(streamId, command, { metadata: metadataOf(ctx) });
    return { caseId, streamId, version: result.nextExpectedVersion, eventsAppended: result.events.length };
  }

  private context(ctx: RequestContext): CommandContext {
    return { actor: ctx.actor, now: this.clock().toISOString() };
  }
}

/** Metadata of each event, built after `decide`: the district comes from the event itself. */
function metadataOf(ctx: RequestContext): (event: CaseEvent) => EventMetadata {
  return (event) => ({
    correlationId: ctx.correlationId,
    // The HTTP request is the command that directly causes the events.
    causationId: ctx.correlationId,
    actorId: ctx.actor.sub,
    actorRole: ctx.actor.role,
    district: event.data.districtCode,
  });
}
