import { randomUUID } from 'node:crypto';
import { issueToken, type Actor } from '@city/auth';
import { cityDayOf } from '@city/city-time';
import { DISTRICT_CODES, INDUSTRY_CODES, type ReopeningStatus } from '@city/contracts';
import type { CanvassClient } from './canvass-client';
import { SeededRandom } from './random';
import { ScenarioTokens } from './scenario-tokens';
import type { PlannedEnterprise } from './reopening-plan';

export interface ReopeningScenarioOptions {
  /** An HTTP client of the enterprise-reopening service (the canvass client's shape serves any service). */
  readonly client: CanvassClient;
  readonly enterprises: readonly PlannedEnterprise[];
  readonly jwtSecret: string;
  /** Steps per second (a declaration, an inspection, a daily report, an appeal, ...). */
  readonly stepsPerSecond: number;
  readonly log: (message: string) => void;
}

const COMMISSION: Actor = {
  sub: 'scenario-eic-desk',
  role: 'department',
  department: 'enterprise-reopening',
  name: 'Economy and informatization commission (scenario)',
};
const TICK_MS = 100;
const MAX_IN_FLIGHT = 32;
const SURVEY = 'survey-2020-02-enterprise-difficulties';

interface Firm {
  readonly plan: PlannedEnterprise;
  status: ReopeningStatus;
  declarationId: string | null;
  pendingItems: string[];
  lastReport: string | null;
  surveyed: boolean;
  busy: boolean;
}

interface OpenAppeal {
  readonly appealId: string;
  readonly firm: Firm;
  /** Some appeals are left for the department to miss, so they go overdue. */
  readonly willBeAnswered: boolean;
  answered: boolean;
}

/**
 * Makes enterprise reopening live in the embedded city: registers a few thousand
 * enterprises (idempotently: a restart reads where each one stands), then at a
 * steady rate has them declare (a few first with a measure missing, refused
 * with 409), subdistrict inspectors inspect (some rectifications, a few
 * suspensions), enterprises reopen and report their day's workforce (now and
 * then a correction), answer the survey and file appeals that departments
 * answer, or miss until they are escalated.
 */
export class ReopeningScenario {
  private readonly random = new SeededRandom(Date.now());
  private readonly tokens: ScenarioTokens;
  private readonly inspectors = new Map<string, Actor>();
  private readonly firms: Firm[] = [];
  private readonly appeals: OpenAppeal[] = [];
  private measures = new Map<string, string[]>();
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private failures = 0;

  constructor(private readonly options: ReopeningScenarioOptions) {
    this.tokens = new ScenarioTokens(options.jwtSecret);
    for (const district of DISTRICT_CODES) {
      this.inspectors.set(district, { sub: `scenario-inspector-${district}`, role: 'field-official', district, department: 'enterprise-reopening' });
    }
  }

  private get commission(): string {
    return this.tokens.of(COMMISSION);
  }

  /** Registers the enterprises (the sample one is left undeclared); those registered before resume where they stand. */
  async register(concurrency = 8): Promise<void> {
    const { client, enterprises, log } = this.options;
    const started = Date.now();
    for (const industry of INDUSTRY_CODES) {
      const guideline = (await client.get(`/industries/${industry}/guideline`, this.commission)) as { measures: { code: string }[] };
      this.measures.set(
        industry,
        guideline.measures.map((m) => m.code),
      );
    }
    let next = 0;
    const worker = async () => {
      while (next < enterprises.length) {
        const plan = enterprises[next++];
        const { willReopen: _w, ...profile } = plan;
        const { status } = await client.send('POST', '/enterprises', this.commission, profile);
        const firm: Firm = { plan, status: 'not-declared', declarationId: null, pendingItems: [], lastReport: null, surveyed: false, busy: false };
        if (status === 200) {
          const view = (await client.get(`/enterprises/${plan.creditCode}`, this.commission)) as {
            reopeningStatus: ReopeningStatus;
            declaration: { declarationId: string; pendingItems: string[] } | null;
          };
          firm.status = view.reopeningStatus;
          firm.declarationId = view.declaration?.declarationId ?? null;
          firm.pendingItems = view.declaration?.pendingItems ?? [];
        }
        if (plan.willReopen) this.firms.push(firm);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    log(`scenario: ${enterprises.length} enterprises registered in ${Math.round((Date.now() - started) / 1000)} s`);
  }

  start(): void {
    const perTick = (this.options.stepsPerSecond * TICK_MS) / 1000;
    let owed = 0;
    this.timer = setInterval(() => {
      owed += perTick;
      while (owed >= 1 && this.inFlight < MAX_IN_FLIGHT) {
        owed -= 1;
        this.inFlight++;
        void this.step()
          .catch((error: Error) => {
            if (++this.failures <= 5) this.options.log(`scenario: ${error.message}`);
          })
          .finally(() => this.inFlight--);
      }
      owed = Math.min(owed, 1);
    }, TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async step(): Promise<void> {
    if (this.appeals.length > 0 && this.random.chance(0.15)) return this.appealStep(this.random.pick(this.appeals));
    if (this.firms.length === 0) return;
    const firm = this.random.pick(this.firms);
    if (firm.busy) return;
    firm.busy = true;
    try {
      await this.advance(firm);
    } finally {
      firm.busy = false;
    }
  }

  private async advance(firm: Firm): Promise<void> {
    const { client } = this.options;
    const code = firm.plan.creditCode;
    const self = issueToken({ sub: code, role: 'enterprise' }, this.options.jwtSecret, { expiresIn: '1h' });
    const inspector = this.tokens.of(this.inspectors.get(firm.plan.districtCode) as Actor);
    const today = cityDayOf(new Date());
    switch (firm.status) {
      case 'not-declared':
      case 'suspended': {
        if (firm.status === 'suspended' && !this.random.chance(0.2)) return;
        const measures = this.measures.get(firm.plan.industryCode) ?? [];
        // One in ten forgets a measure first: the service names it and refuses (409).
        const forgot = this.random.chance(0.1) ? 1 : 0;
        const declarationId = randomUUID();
        const h = firm.plan.usualHeadcount;
        const onSite = Math.max(1, Math.round(h * (0.3 + this.random.next() * 0.5)));
        const body = {
          declarationId,
          plannedReopeningDate: today,
          checklist: measures.slice(forgot).map((measureCode) => ({ measureCode, inPlace: true })),
          workforcePlan: { onSite, rotating: Math.floor((h - onSite) / 2), remote: h - onSite - Math.floor((h - onSite) / 2) },
          returneesInObservation: this.random.int(0, Math.floor(h / 10)),
        };
        const { status } = await client.send('POST', `/enterprises/${code}/declarations`, self, body);
        if (status < 300) {
          firm.status = 'declared';
          firm.declarationId = declarationId;
        }
        return;
      }
      case 'declared':
      case 'rectification-submitted': {
        const r = this.random.next();
        const reinspection = firm.status === 'rectification-submitted';
        const outcome = r < (reinspection ? 0.92 : 0.74) ? 'passed' : r < 0.96 ? 'rectification-required' : 'suspended';
        const measures = this.measures.get(firm.plan.industryCode) ?? [];
        const items = outcome === 'rectification-required' ? [this.random.pick(measures)] : [];
        await client.expect('POST', `/enterprises/${code}/inspections`, inspector, {
          inspectionId: randomUUID(),
          declarationId: firm.declarationId,
          outcome,
          ...(outcome === 'rectification-required' ? { rectificationItems: items, rectificationDueDate: today } : {}),
        });
        firm.status = outcome === 'passed' ? 'inspection-passed' : outcome;
        firm.pendingItems = items;
        return;
      }
      case 'rectification-required':
        await client.expect('POST', `/enterprises/${code}/rectifications`, self, { declarationId: firm.declarationId, rectifiedItems: firm.pendingItems });
        firm.status = 'rectification-submitted';
        return;
      case 'inspection-passed':
        await client.expect('POST', `/enterprises/${code}/reopening`, self, {});
        firm.status = 'reopened';
        return;
      case 'reopened':
        return this.dayAtWork(firm, self, today);
    }
  }

  private async dayAtWork(firm: Firm, self: string, today: string): Promise<void> {
    const { client } = this.options;
    const code = firm.plan.creditCode;
    const h = firm.plan.usualHeadcount;
    if (firm.lastReport !== today || this.random.chance(0.05)) {
      // The day's report, or now and then its correction.
      const share = 0.4 + this.random.next() * 0.5;
      await client.expect('POST', `/enterprises/${code}/daily-reports`, self, {
        reportDate: today,
        onSiteHeadcount: Math.round(h * share),
        capacityPercent: Math.round(share * 100),
      });
      firm.lastReport = today;
    } else if (!firm.surveyed && this.random.chance(0.3)) {
      await client.expect('POST', `/enterprises/${code}/surveys`, self, {
        surveyId: SURVEY,
        difficulties: ['staff-shortage', 'supply-chain', 'cash-flow', 'prevention-supplies'].filter(() => this.random.chance(0.35)),
        staffShortfall: this.random.int(0, Math.ceil(h / 5)),
        cashFlowMonths: this.random.int(1, 12),
        preventionSuppliesDays: this.random.int(2, 30),
      });
      firm.surveyed = true;
    } else if (this.random.chance(0.08)) {
      const category = this.random.pick(['staff-shortage', 'supply-chain', 'cash-flow', 'prevention-supplies', 'rent-and-fees', 'permits'] as const);
      const appealId = randomUUID();
      await client.expect('POST', `/enterprises/${code}/appeals`, self, { appealId, category, subject: `Help needed: ${category.replace(/-/g, ' ')}` });
      this.appeals.push({ appealId, firm, willBeAnswered: this.random.chance(0.7), answered: false });
    }
  }

  private async appealStep(appeal: OpenAppeal): Promise<void> {
    const { client } = this.options;
    if (!appeal.answered) {
      if (!appeal.willBeAnswered) return;
      await client.expect('POST', `/appeals/${appeal.appealId}/answer`, this.commission, {
        answer: 'Handled by the department; see the policy notice of 12 February',
      });
      appeal.answered = true;
      return;
    }
    const self = issueToken({ sub: appeal.firm.plan.creditCode, role: 'enterprise' }, this.options.jwtSecret, { expiresIn: '1h' });
    this.appeals.splice(this.appeals.indexOf(appeal), 1);
    if (this.random.chance(0.15)) {
      await client.expect('POST', `/appeals/${appeal.appealId}/reopen`, self, { reason: 'The answer does not solve it yet' });
      this.appeals.push({ ...appeal, answered: false });
    } else {
      await client.expect('POST', `/appeals/${appeal.appealId}/close`, self, { resolved: this.random.chance(0.85) });
    }
  }
}
