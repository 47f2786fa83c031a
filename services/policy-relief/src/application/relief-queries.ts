import { policyReliefStreams, type EligibilityRule, type MeasureCatalog, type ReliefMeasure } from '@city/contracts';
import { foldEvents, ForbiddenError, NotFoundError, type EventStore } from '@city/eventsourcing';
import { assertCanRead, CITY_FINANCE_OFFICE, policyReliefAccess } from '../domain/access-policy';
import { applicationDecider, type ApplicationEvent, type ExistingApplication } from '../domain/application.decider';
import type { Actor } from '../domain/command-context';
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

/** Reads: the catalog with each measure's budget left, an application from its stream, lists from the read model, and the dry-run replay. */
export class ReliefQueries {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: MeasureCatalog,
    private readonly ledger: BudgetLedger,
    private readonly readModel: ReliefReadModel,
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
