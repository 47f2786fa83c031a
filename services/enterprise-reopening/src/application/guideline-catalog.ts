import { randomUUID } from 'node:crypto';
import { enterpriseReopeningStreams, INDUSTRIES, INITIAL_GUIDELINES, type IndustryGuidelineIssued, type PreventionMeasure } from '@city/contracts';
import { CommandHandler, ConcurrencyError, foldEvents, NotFoundError, type EventStore } from '@city/eventsourcing';
import { currentGuidelineOf, guidelineDecider, type GuidelineCommand, type GuidelineEvent, type GuidelineState } from '../domain/guideline.decider';
import type { CurrentGuideline, IndustryCatalog } from '../domain/industry-catalog';
import { commandContext, metadataOf, type CommandReceipt, type RequestContext } from './command-plumbing';
import { SERVICE_ACTOR } from './service-actor';

/** When the first versions took effect (the city's guidelines of early February 2020), for a catalog read before the seed is stored. */
const SEEDED_AT = '2020-02-08T10:00:00+08:00';

export type Guideline = IndustryGuidelineIssued['data'];

/**
 * The industry guidelines: version 1 of each from the catalog of `@city/contracts`,
 * stored as events when the service starts (`seed`), and the versions the
 * commission issues after it. Every industry always has a guideline in force:
 * before the seed is stored, version 1 of the catalog is.
 *
 * Guidelines are reference data that change a few times a year, yet every
 * declaration checks against one: once `follow()` runs, the version in force of
 * each industry is kept in memory, versioned (a newer version replaces an older
 * one, never the reverse), updated at once by `issue` on this replica, and by
 * `learn` for the versions other replicas issue (the read model passes them on
 * as it reads the log). A declaration on another replica in the moment before
 * its read model reads a new version is checked against the previous one, as
 * one racing the issue is anyway (see DeclareReopening); its event names that
 * version. Without `follow()` every lookup reads the stream.
 */
export class GuidelineCatalog implements IndustryCatalog {
  private readonly guidelines: CommandHandler<GuidelineCommand, GuidelineEvent, GuidelineState>;
  /** The version in force per industry, while following. */
  private readonly inForce = new Map<string, Guideline>();
  private following = false;

  constructor(
    private readonly store: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.guidelines = new CommandHandler(store, guidelineDecider);
  }

  /**
   * Keeps the versions in force in memory from now on: what the streams hold now, and every
   * version `learn` is told of after (the service's read model passes on those it reads from
   * the log, so versions other replicas issue arrive without a query of their own). Learning
   * starts before the streams are read, so a version is either in the read or learnt after it
   * (a version seen twice changes nothing).
   */
  async follow(): Promise<void> {
    if (this.following) return;
    this.following = true;
    for (const industry of INDUSTRIES) {
      const recorded = await this.store.readStream(enterpriseReopeningStreams.guideline(industry.code));
      recorded.forEach((e) => this.learn(e.data as Guideline));
    }
  }

  /** Stops following: lookups read the streams again. */
  stopFollowing(): void {
    this.following = false;
    this.inForce.clear();
  }

  /** A version recorded in the store (committed), e.g. read from the log; kept if newer than the one known. */
  learn(issued: Guideline): void {
    if (!this.following) return;
    const known = this.inForce.get(issued.industryCode);
    if (known === undefined || known.guidelineVersion < issued.guidelineVersion) this.inForce.set(issued.industryCode, issued);
  }

  has(industryCode: string): boolean {
    return INDUSTRIES.some((i) => i.code === industryCode);
  }

  /** Stores version 1 of every industry whose stream is empty; safe to run on every start and on every replica. */
  async seed(): Promise<void> {
    for (const seed of INITIAL_GUIDELINES) {
      const ctx = { actor: SERVICE_ACTOR, correlationId: randomUUID() };
      try {
        await this.guidelines.handle(
          enterpriseReopeningStreams.guideline(seed.industryCode),
          {
            type: 'IssueGuideline',
            data: { ...seed, industryName: this.industryName(seed.industryCode), seed: true },
            metadata: commandContext(ctx, this.clock),
          },
          { metadata: metadataOf(ctx) },
        );
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error; // another replica seeded it first
      }
    }
  }

  /** Every version of an industry's guideline, oldest first. */
  async versions(industryCode: string): Promise<Guideline[]> {
    if (!this.has(industryCode)) throw new NotFoundError(`Unknown industry ${industryCode}`);
    const recorded = await this.store.readStream(enterpriseReopeningStreams.guideline(industryCode));
    if (recorded.length === 0) return [this.seedOf(industryCode)];
    return recorded.map((e) => e.data as Guideline);
  }

  /** The version in force. */
  async current(industryCode: string): Promise<Guideline> {
    if (!this.has(industryCode)) throw new NotFoundError(`Unknown industry ${industryCode}`);
    const known = this.following ? this.inForce.get(industryCode) : undefined;
    if (known) return known;
    const recorded = await this.store.readStream(enterpriseReopeningStreams.guideline(industryCode));
    const state = foldEvents(
      guidelineDecider,
      recorded.map((e) => ({ type: e.type, data: e.data }) as GuidelineEvent),
    );
    return state.status === 'issued' ? state.current : this.seedOf(industryCode);
  }

  async currentForDeclaration(industryCode: string): Promise<CurrentGuideline> {
    return currentGuidelineOf(await this.current(industryCode));
  }

  /** The commission issues a new version; declarations made from now on are checked against it. */
  async issue(
    ctx: RequestContext,
    industryCode: string,
    input: { readonly title: string; readonly measures: readonly PreventionMeasure[] },
  ): Promise<CommandReceipt> {
    if (!this.has(industryCode)) throw new NotFoundError(`Unknown industry ${industryCode}`);
    const streamId = enterpriseReopeningStreams.guideline(industryCode);
    const result = await this.guidelines.handle(
      streamId,
      { type: 'IssueGuideline', data: { industryCode, industryName: this.industryName(industryCode), ...input }, metadata: commandContext(ctx, this.clock) },
      { metadata: metadataOf(ctx) },
    );
    // In force for the next declaration on this replica, without waiting for the subscription.
    result.events.forEach((e) => this.learn(e.data));
    return { streamId, version: result.nextExpectedVersion, eventsAppended: result.events.length };
  }

  private industryName(industryCode: string): string {
    return INDUSTRIES.find((i) => i.code === industryCode)?.name ?? industryCode;
  }

  private seedOf(industryCode: string): Guideline {
    const seed = INITIAL_GUIDELINES.find((g) => g.industryCode === industryCode);
    if (!seed) throw new NotFoundError(`No guideline for industry ${industryCode}`);
    return { ...seed, industryName: this.industryName(industryCode), issuedBy: SERVICE_ACTOR.sub, issuedAt: SEEDED_AT };
  }
}
