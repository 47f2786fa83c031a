import { randomUUID } from 'node:crypto';
import { enterpriseReopeningStreams, type AppealCategory } from '@city/contracts';
import { CommandHandler, type EventStore } from '@city/eventsourcing';
import { eventIdOfCommand, type CommandScheduler, type DueCommand } from '@city/scheduler';
import { answerDueAt, appealDecider, DEFAULT_DEPARTMENT, type AppealCommand, type AppealState } from '../domain/appeal.decider';
import type { AppealEvent } from '@city/contracts';
import { commandContext, metadataOf, type CommandReceipt, type RequestContext } from './command-plumbing';
import { loadEnterprise } from './enterprise-state';
import { SERVICE_ACTOR } from './service-actor';

export const ESCALATE_APPEAL = 'EscalateAppeal';

export interface AppealReceipt extends CommandReceipt {
  readonly appealId: string;
  /** When the department's answer is due (after filing or reopening). */
  readonly dueAt?: string;
}

export interface FileAppealInput {
  readonly appealId?: string;
  readonly category: AppealCategory;
  readonly subject: string;
  readonly details?: string;
  /** The department to route to; by default the one that handles the category. */
  readonly department?: string;
}

interface EscalationPayload {
  readonly appealId: string;
  readonly dueAt: string;
}

/**
 * The appeal commands. Filing and reopening schedule the escalation at the due
 * time with the durable scheduler (`@city/scheduler`), after the append: the
 * scheduler later issues `EscalateAppeal` as a command, whose decider escalates
 * only if the appeal is still unanswered for that due time. Without a scheduler
 * (unit-level API tests) appeals are never escalated.
 */
export class AppealCommands {
  private readonly appeals: CommandHandler<AppealCommand, AppealEvent, AppealState>;

  constructor(
    private readonly store: EventStore,
    private readonly scheduler: CommandScheduler | undefined,
    private readonly clock: () => Date = () => new Date(),
    /** How long a department has to answer (default 72 hours; the embedded city's scenario shortens it). */
    private readonly answerWithinMs?: number,
  ) {
    this.appeals = new CommandHandler(store, appealDecider);
    this.scheduler?.register<EscalationPayload>(ESCALATE_APPEAL, (due) => this.escalate(due));
  }

  async file(ctx: RequestContext, creditCode: string, input: FileAppealInput): Promise<AppealReceipt> {
    const { state } = await loadEnterprise(this.store, creditCode);
    const appealId = input.appealId ?? randomUUID();
    const metadata = commandContext(ctx, this.clock);
    const dueAt = answerDueAt(metadata.now, this.answerWithinMs);
    const department = input.department ?? DEFAULT_DEPARTMENT[input.category];
    const { category, subject, details } = input;
    const receipt = await this.handle(ctx, appealId, {
      type: 'FileAppeal',
      data: { appealId, enterprise: state.facts, category, subject, ...(details === undefined ? {} : { details }), department, dueAt },
      metadata,
    });
    if (receipt.eventsAppended > 0) await this.scheduleEscalation(appealId, dueAt);
    return { ...receipt, dueAt };
  }

  answer(ctx: RequestContext, appealId: string, answer: string): Promise<AppealReceipt> {
    return this.handle(ctx, appealId, { type: 'AnswerAppeal', data: { appealId, answer }, metadata: commandContext(ctx, this.clock) });
  }

  close(ctx: RequestContext, appealId: string, resolved: boolean): Promise<AppealReceipt> {
    return this.handle(ctx, appealId, { type: 'CloseAppeal', data: { appealId, resolved }, metadata: commandContext(ctx, this.clock) });
  }

  async reopen(ctx: RequestContext, appealId: string, reason: string): Promise<AppealReceipt> {
    const metadata = commandContext(ctx, this.clock);
    const dueAt = answerDueAt(metadata.now, this.answerWithinMs);
    const receipt = await this.handle(ctx, appealId, { type: 'ReopenAppeal', data: { appealId, reason, dueAt }, metadata });
    if (receipt.eventsAppended > 0) await this.scheduleEscalation(appealId, dueAt);
    return { ...receipt, dueAt };
  }

  /** What the scheduler issues at the due time; a second firing appends nothing (event ids from the command id). */
  async escalate(due: DueCommand<EscalationPayload>): Promise<void> {
    const { appealId, dueAt } = due.payload;
    const ctx = { actor: SERVICE_ACTOR, correlationId: due.commandId };
    await this.appeals.handle(
      enterpriseReopeningStreams.appeal(appealId),
      { type: 'EscalateAppeal', data: { appealId, dueAt }, metadata: { actor: SERVICE_ACTOR, now: due.issuedAt.toISOString() } },
      { metadata: metadataOf(ctx), eventId: (i) => eventIdOfCommand(due.commandId, i) },
    );
  }

  private async scheduleEscalation(appealId: string, dueAt: string): Promise<void> {
    await this.scheduler?.schedule<EscalationPayload>({
      scheduleId: `escalate-${appealId}-${dueAt}`,
      kind: ESCALATE_APPEAL,
      dueAt: new Date(dueAt),
      payload: { appealId, dueAt },
    });
  }

  private async handle(ctx: RequestContext, appealId: string, command: AppealCommand): Promise<AppealReceipt> {
    const streamId = enterpriseReopeningStreams.appeal(appealId);
    const result = await this.appeals.handle(streamId, command, { metadata: metadataOf(ctx) });
    return { appealId, streamId, version: result.nextExpectedVersion, eventsAppended: result.events.length };
  }
}
