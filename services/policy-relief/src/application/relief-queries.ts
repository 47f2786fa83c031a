import { policyReliefStreams, type EligibilityRule, type LandlordKind, type MeasureCatalog, type ReliefMeasure } from '@city/contracts';
import { cityDayOf } from '@city/city-time';
import { foldEvents, ForbiddenError, NotFoundError, type EventStore } from '@city/eventsourcing';
import { assertCanRead, CITY_FINANCE_OFFICE, policyReliefAccess } from '../domain/access-policy';
import { applicationDecider, type ApplicationEvent, type ExistingApplication } from '../domain/application.decider';
import type { Actor } from '../domain/command-context';
import { maxGrantOf, previewEligibility, type EligibilityPreview } from '../domain/eligibility';
import type { EnterpriseFacts, EnterpriseProfile } from '../domain/enterprise-facts';
import { replayRuleSet, type ReplayReport } from '../domain/rule-replay';
import type { BudgetLedger } from './budget-ledger';
import type { ApplicationFilter, ApplicationSummary, ReliefReadModel } from './relief-read-model';

export interface MeasureView extends ReliefMeasure {
  readonly committedFen: number;
  readonly remainingFen: number;
}

export interface ApplicationView extends Omit<ExistingApplication, 'disbursements'> {
  readonly applicationId: string;
  readonly disbursements: ExistingApplication['disbursements'];
  readonly disbursedFen: number;
  readonly version: number;
}

/** A measure as an enterprise sees it today: open or not, the answer it would get, and its own application if it made one. */
export interface MeasureForEnterprise extends ReliefMeasure {
  readonly open: boolean;
  readonly preview: EligibilityPreview | null;
  /** The most it would be granted, where that does not depend on what the application states (the rent); null otherwise. */
  readonly maxGrantFen: number | null;
  readonly application: { readonly applicationId: string; readonly status: ApplicationSummary['status'] } | null;
  /** Open, and no application of its own is waiting or decided (a withdrawn or ineligible one may be made again). */
  readonly mayApply: boolean;
}

export interface EnterpriseMeasures {
  readonly enterpriseId: string;
  /** The enterprise as policy-relief's view knows it; null until its registration has reached this service. */
  readonly enterprise: EnterpriseProfile | null;
  /** The city day the answers are given on. */
  readonly today: string;
  readonly measures: readonly MeasureForEnterprise[];
}

/** One measure of an approval queue: its budget as committed now and its applications waiting for a decision, oldest first. */
export interface QueuedMeasure extends MeasureView {
  /** The oldest applications waiting, at most the limit asked for. */
  readonly waiting: readonly ApplicationSummary[];
  /** How many wait in all. */
  readonly waitingCount: number;
}

/** Reads: the catalog with each measure's budget left, an application from its stream, lists from the read model, and the dry-run replay. */
export class ReliefQueries {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: MeasureCatalog,
    private readonly ledger: BudgetLedger,
    private readonly readModel: ReliefReadModel,
    private readonly enterprises: EnterpriseFacts,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async measures(): Promise<MeasureView[]> {
    return Promise.all(this.catalog.measures.map((m) => this.withBudget(m)));
  }

  async measure(measureId: string): Promise<MeasureView> {
    return this.withBudget(this.measureOf(measureId));
  }

  async application(actor: Actor, applicationId: string): Promise<ApplicationView> {
    const recorded = await this.store.readStream(policyReliefStreams.application(applicationId));
    const state = foldEvents(
      applicationDecider,
      recorded.map((e) => ({ type: e.type, data: e.data }) as ApplicationEvent),
    );
    if (state.status === 'none') throw new NotFoundError(`Unknown application ${applicationId}`);
    assertCanRead(actor, state.submitted);
    const disbursedFen = state.disbursements.reduce((sum, d) => sum + d.amountFen, 0);
    return { applicationId, ...state, disbursedFen, version: recorded[recorded.length - 1].streamVersion };
  }

  /** Applications the actor may see: an enterprise its own, an issuing office its measures', district staff their district's, finance and the city center all. */
  async list(actor: Actor, filter: ApplicationFilter): Promise<ApplicationSummary[]> {
    return this.readModel.list({ ...filter, ...scopeOf(actor) });
  }

  /**
   * The measures as one enterprise sees them today: which are open, the answer it
   * would get on the facts policy-relief holds (and the landlord, when given), and
   * its own application to each. The enterprise itself, and those who may read its
   * applications, may ask.
   */
  async enterpriseMeasures(actor: Actor, enterpriseId: string, landlordKind?: LandlordKind): Promise<EnterpriseMeasures> {
    const enterprise = await this.enterprises.enterpriseOf(enterpriseId);
    policyReliefAccess.assert('read', actor, { ...(enterprise && { district: enterprise.districtCode }), responsible: enterpriseId });
    const today = cityDayOf(this.clock().toISOString());
    const own = new Map((await this.readModel.list({ enterpriseId })).map((a) => [a.measureId, a]));
    const measures = this.catalog.measures.map((measure): MeasureForEnterprise => {
      const open = measure.opensOn <= today && today <= measure.closesOn;
      const mine = own.get(measure.measureId);
      const max = enterprise ? maxGrantOf(measure, enterprise.headcount, undefined) : null;
      return {
        ...measure,
        open,
        preview: enterprise ? previewEligibility(measure, { ...enterprise, ...(landlordKind && { landlordKind }) }) : null,
        maxGrantFen: max?.ok ? max.maxGrantFen : null,
        application: mine ? { applicationId: mine.applicationId, status: mine.status } : null,
        mayApply: open && enterprise !== null && (!mine || mine.status === 'withdrawn' || mine.status === 'ineligible'),
      };
    });
    return { enterpriseId, enterprise, today, measures };
  }

  /**
   * An issuing office's approval queue: each measure it issues, with the budget
   * left and the applications waiting for its decision, each with its eligibility
   * answer rule by rule. Only the issuer decides, so finance's queue holds the
   * measures finance issues, not everyone's.
   */
  async approvalQueue(actor: Actor, perMeasure: number): Promise<QueuedMeasure[]> {
    policyReliefAccess.assert('decide', actor);
    const office = actor.office;
    if (office === undefined) throw new ForbiddenError('An approval queue belongs to an issuing office; this token names none', 'wrong_department');
    const waiting = await this.readModel.waitingFor(office, perMeasure);
    const measures = this.catalog.measures.filter((m) => m.issuer === office);
    return Promise.all(
      measures.map(async (m) => {
        const queued = waiting.get(m.measureId);
        return { ...(await this.withBudget(m)), waiting: queued?.oldest ?? [], waitingCount: queued?.count ?? 0 };
      }),
    );
  }

  /** A new version of a measure's rules replayed over its past applications; nothing is written. Its issuing office or finance may ask. */
  async replay(actor: Actor, measureId: string, version: number, rules: readonly EligibilityRule[]): Promise<ReplayReport> {
    const measure = this.measureOf(measureId);
    policyReliefAccess.assert('decide', actor);
    if (actor.office !== measure.issuer && actor.office !== CITY_FINANCE_OFFICE) {
      throw new ForbiddenError(`Office ${actor.office ?? '(none)'} may not replay the rules of measure ${measureId}`, 'wrong_department');
    }
    return replayRuleSet({ measureId, version, rules }, await this.readModel.submissionsOf(measureId));
  }

  private measureOf(measureId: string): ReliefMeasure {
    const measure = this.catalog.measures.find((m) => m.measureId === measureId);
    if (!measure) throw new NotFoundError(`Unknown measure ${measureId}`);
    return measure;
  }

  private async withBudget(measure: ReliefMeasure): Promise<MeasureView> {
    const { committedFen } = await this.ledger.stateOf(measure.measureId);
    return { ...measure, committedFen, remainingFen: measure.budgetFen - committedFen };
  }
}

function scopeOf(actor: Actor): Pick<ApplicationFilter, 'enterpriseId' | 'issuer' | 'districtCode'> {
  switch (actor.role) {
    case 'enterprise':
      return { enterpriseId: actor.sub };
    case 'department':
      policyReliefAccess.assert('read', actor, actor.district ? { district: actor.district } : {});
      if (actor.office !== undefined && actor.office !== CITY_FINANCE_OFFICE) return { issuer: actor.office };
      return actor.district ? { districtCode: actor.district } : {};
    case 'district-staff':
      return { districtCode: actor.district };
    case 'city-center':
      return {};
    case 'field-official':
      throw new ForbiddenError('Field officials do not read relief applications', 'wrong_role');
    default: {
      const role: never = actor.role;
      throw new ForbiddenError(`Role ${String(role)} may not read relief applications`, 'wrong_role');
    }
  }
}
