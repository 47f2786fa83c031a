import { enterpriseReopeningStreams, type InspectionOutcome, type SurveyDifficulty, type WorkforcePlan } from '@city/contracts';
import { NotFoundError, SerialCommandHandler, type EventStore } from '@city/eventsourcing';
import {
  enterpriseDecider,
  type ChecklistItem,
  type EnterpriseCommand,
  type EnterpriseEvent,
  type EnterpriseProfile,
  type EnterpriseState,
} from '../domain/enterprise.decider';
import { commandContext, metadataOf, type CommandReceipt, type RequestContext } from './command-plumbing';
import type { GuidelineCatalog } from './guideline-catalog';

export interface EnterpriseReceipt extends CommandReceipt {
  readonly creditCode: string;
}

export interface DeclarationInput {
  readonly declarationId: string;
  readonly plannedReopeningDate: string;
  readonly checklist: readonly ChecklistItem[];
  readonly workforcePlan: WorkforcePlan;
  readonly returneesInObservation: number;
}

export interface InspectionInput {
  readonly inspectionId: string;
  readonly declarationId: string;
  readonly outcome: InspectionOutcome;
  readonly rectificationItems?: readonly string[];
  readonly rectificationDueDate?: string;
  readonly findings?: string;
}

export interface SurveyInput {
  readonly surveyId: string;
  readonly difficulties: readonly SurveyDifficulty[];
  readonly staffShortfall?: number;
  readonly cashFlowMonths?: number;
  readonly preventionSuppliesDays?: number;
  readonly note?: string;
}

/**
 * The commands on an enterprise's stream: each builds the command with the
 * actor, the time and the reference data it needs (the guideline in force for a
 * declaration), and runs the decider through the event-sourcing
 * SerialCommandHandler: one command of an enterprise at a time in this process,
 * appended with optimistic concurrency (retried on a conflict with another
 * replica), and the state each command leaves kept in memory, so the next
 * command on that enterprise decides without reading its stream back.
 */
export class EnterpriseCommands {
  private readonly enterprises: SerialCommandHandler<EnterpriseCommand, EnterpriseEvent, EnterpriseState>;

  constructor(
    store: EventStore,
    private readonly guidelines: GuidelineCatalog,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.enterprises = new SerialCommandHandler(store, enterpriseDecider);
  }

  register(ctx: RequestContext, profile: EnterpriseProfile): Promise<EnterpriseReceipt> {
    return this.handle(ctx, profile.creditCode, { type: 'RegisterEnterprise', data: { ...profile, industries: this.guidelines }, metadata: this.context(ctx) });
  }

  /** Checks the checklist against the guideline of the enterprise's industry in force now (read first: a cross-stream rule, see DeclareReopening). */
  async declare(ctx: RequestContext, creditCode: string, input: DeclarationInput): Promise<EnterpriseReceipt> {
    // Only the industry is taken from this state, and it never changes once registered; the state read
    // here (or kept from the last command) is the one the command then decides on, without a second read.
    const state = await this.enterprises.state(enterpriseReopeningStreams.enterprise(creditCode));
    if (state.status === 'unregistered') throw new NotFoundError(`Unknown enterprise ${creditCode}`);
    const guideline = await this.guidelines.currentForDeclaration(state.facts.industryCode);
    return this.handle(ctx, creditCode, { type: 'DeclareReopening', data: { creditCode, ...input, guideline }, metadata: this.context(ctx) });
  }

  inspect(ctx: RequestContext, creditCode: string, input: InspectionInput): Promise<EnterpriseReceipt> {
    const { rectificationItems, ...rest } = input;
    return this.handle(ctx, creditCode, {
      type: 'RecordInspection',
      data: { creditCode, ...rest, rectificationItems: rectificationItems ?? [] },
      metadata: this.context(ctx),
    });
  }

  submitRectification(
    ctx: RequestContext,
    creditCode: string,
    input: { declarationId: string; rectifiedItems: readonly string[]; note?: string },
  ): Promise<EnterpriseReceipt> {
    return this.handle(ctx, creditCode, { type: 'SubmitRectification', data: { creditCode, ...input }, metadata: this.context(ctx) });
  }

  reportReopened(ctx: RequestContext, creditCode: string): Promise<EnterpriseReceipt> {
    return this.handle(ctx, creditCode, { type: 'ReportReopened', data: { creditCode }, metadata: this.context(ctx) });
  }

  reportDailyWorkforce(
    ctx: RequestContext,
    creditCode: string,
    input: { reportDate: string; onSiteHeadcount: number; capacityPercent: number },
  ): Promise<EnterpriseReceipt> {
    return this.handle(ctx, creditCode, { type: 'ReportDailyWorkforce', data: { creditCode, ...input }, metadata: this.context(ctx) });
  }

  answerSurvey(ctx: RequestContext, creditCode: string, input: SurveyInput): Promise<EnterpriseReceipt> {
    return this.handle(ctx, creditCode, { type: 'AnswerSurvey', data: { creditCode, ...input }, metadata: this.context(ctx) });
  }

  private context(ctx: RequestContext) {
    return commandContext(ctx, this.clock);
  }

  private async handle(ctx: RequestContext, creditCode: string, command: EnterpriseCommand): Promise<EnterpriseReceipt> {
    const streamId = enterpriseReopeningStreams.enterprise(creditCode);
    const result = await this.enterprises.handle(streamId, command, { metadata: metadataOf(ctx) });
    return { creditCode, streamId, version: result.nextExpectedVersion, eventsAppended: result.events.length };
  }
}
