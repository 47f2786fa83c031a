import { issueToken, type Actor } from '@city/auth';
import { cityDayOf } from '@city/city-time';
import { MEASURE_CATALOG, type ReliefMeasure } from '@city/contracts';
import type { CanvassClient } from './canvass-client';
import { SeededRandom } from './random';

/** An enterprise as policy-relief's view knows it (from enterprise-reopening's events). */
export interface KnownEnterprise {
  readonly enterpriseId: string;
  readonly headcount: number;
}

export interface ReliefScenarioOptions {
  /** The policy-relief API (the same HTTP client the canvass scenario uses). */
  readonly client: CanvassClient;
  readonly jwtSecret: string;
  /** Enterprises policy-relief knows and that have not applied in this run yet. */
  readonly enterprises: (limit: number) => Promise<readonly KnownEnterprise[]>;
  /** Applications per tick; ticks every 2 s. */
  readonly applicationsPerTick?: number;
  readonly log: (message: string) => void;
}

/** Measures most firms can apply to, with a request the measure allows. */
const REQUESTS: readonly { measureId: string; fen: (e: KnownEnterprise) => number }[] = [
  { measureId: 'M04', fen: (e) => Math.max(1, e.headcount) * 600_000 }, // social insurance deferred: ¥6,000 per employee
  { measureId: 'M05', fen: (e) => Math.max(1, e.headcount) * 30_000 }, // job-keeping subsidy: ¥300 per employee
  { measureId: 'M09', fen: () => 1_500_000 }, // guarantee fee cut: ¥15,000
  { measureId: 'M11', fen: (e) => Math.max(1, e.headcount) * 10_000 }, // utilities: ¥100 per employee
];
const TICK_MS = 2_000;

/**
 * Makes policy-relief live in the embedded city: enterprises that
 * enterprise-reopening registered (and that reached policy-relief's view)
 * apply to measures; the issuing offices decide without a visit (most in full,
 * some in part, a few rejected) and record the payments a little later. All
 * over HTTP with the enterprises' and the offices' own tokens.
 */
export class ReliefScenario {
  private readonly random = new SeededRandom(Date.now());
  private readonly measures = new Map<string, ReliefMeasure>(MEASURE_CATALOG.measures.map((m) => [m.measureId, m]));
  private readonly waiting: { applicationId: string; measureId: string; requestedFen: number }[] = [];
  private readonly approved: { applicationId: string; measureId: string; grantedFen: number }[] = [];
  private timer?: NodeJS.Timeout;
  private busy = false;
  private failures = 0;

  constructor(private readonly options: ReliefScenarioOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private officeToken(measureId: string): string {
    const office = this.measures.get(measureId)?.issuer ?? 'finance';
    const actor: Actor = { sub: `scenario-${office}-office`, role: 'department', department: 'policy-relief', office, name: `${office} office (scenario)` };
    return issueToken(actor, this.options.jwtSecret, { expiresIn: '1h' });
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.apply();
      await this.decide();
      await this.pay();
    } catch (error) {
      if (this.failures++ < 5) this.options.log(`relief scenario: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy = false;
    }
  }

  private async apply(): Promise<void> {
    const { client, jwtSecret } = this.options;
    for (const enterprise of await this.options.enterprises(this.options.applicationsPerTick ?? 3)) {
      const request = this.random.pick(REQUESTS);
      const token = issueToken({ sub: enterprise.enterpriseId, role: 'enterprise' }, jwtSecret, { expiresIn: '1h' });
      const requestedFen = request.fen(enterprise);
      const landlordKind = this.random.pick(['state-owned', 'private', 'collective'] as const);
      const answer = await client.send('POST', '/applications', token, {
        measureId: request.measureId,
        enterpriseId: enterprise.enterpriseId,
        landlordKind,
        requestedFen,
      });
      const body = answer.body as { applicationId?: string; application?: { status?: string } } | undefined;
      if (answer.status < 300 && body?.applicationId && body.application?.status === 'submitted') {
        this.waiting.push({ applicationId: body.applicationId, measureId: request.measureId, requestedFen });
      }
    }
  }

  /** Decides those that waited a tick: most in full, some in part, a few rejected. */
  private async decide(): Promise<void> {
    for (const a of this.waiting.splice(0, Math.max(0, this.waiting.length - 2))) {
      const token = this.officeToken(a.measureId);
      if (this.random.chance(0.1)) {
        await this.options.client.send('POST', `/applications/${a.applicationId}/reject`, token, {
          reason: 'The documents do not show the loss of business claimed',
        });
        continue;
      }
      const grantedFen = this.random.chance(0.25) ? Math.max(1, Math.floor((a.requestedFen * this.random.int(50, 90)) / 100)) : a.requestedFen;
      const answer = await this.options.client.send('POST', `/applications/${a.applicationId}/approve`, token, { grantedFen });
      if (answer.status < 300) this.approved.push({ applicationId: a.applicationId, measureId: a.measureId, grantedFen });
    }
  }

  /** Pays those approved a while ago, in one payment each. */
  private async pay(): Promise<void> {
    for (const a of this.approved.splice(0, Math.max(0, this.approved.length - 3))) {
      await this.options.client.send('POST', `/applications/${a.applicationId}/disbursements`, this.officeToken(a.measureId), {
        amountFen: a.grantedFen,
        disbursedOn: cityDayOf(new Date()),
        reference: `PAY-${a.applicationId}`,
      });
    }
  }
}
