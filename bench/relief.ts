/**
 * Benchmark: concurrent approvals against one measure's budget.
 *
 *   node -r @swc-node/register bench/relief.ts
 *
 * 64 callers approve applications to one measure as fast as they can, through
 * policy-relief's command layer (the budget ledger's commitment, then the
 * approval on the application's stream), against the PostgreSQL event store at
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), every event
 * checked against its contract as in the service. The budget covers about 80%
 * of what is asked, so the last approvals are refused. It creates and drops a
 * database of its own; the applications are submitted first, untimed.
 * BENCH_REPLICAS=2 splits the callers over two instances with their own
 * connection pools and state (two replicas on one database). Prints one JSON
 * line: approvals/s, p50/p99 per approval, and whether the budget held (the
 * sum committed and approved never above the budget, every refusal naming
 * `budget-exceeded`).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { creditCodeCheckCharacter, type MeasureCatalog, type ReliefMeasure } from '@city/contracts';
import { withContractValidation } from '@city/event-schemas';
import { RuleViolationError } from '@city/eventsourcing';
import { PostgresEventStore } from '@city/event-store-postgres';
import { PgDatabase } from '@city/sql';
import { ReliefCommands, type EnterpriseFacts, type EnterpriseProfile, type RequestContext } from '@city/policy-relief-service';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 1);
const CAP = 10_000;
/** Amounts from 1 fen to ¥100.00, uneven; the budget covers about 80% of their sum. */
const amountOf = (i: number) => 1 + ((i * 7919) % CAP);
const BUDGET = Math.floor(0.8 * Array.from({ length: APPROVALS }, (_, i) => amountOf(i)).reduce((s, x) => s + x, 0));

const measure: ReliefMeasure = {
  measureId: 'M99',
  version: 1,
  title: 'Benchmark fund',
  titleZh: '基准测试资金',
  area: 'finance-support',
  issuer: 'finance',
  benefitKind: 'subsidy',
  amountRule: { kind: 'cap', capFen: CAP },
  rules: [{ id: 'S1', field: 'size', oneOf: ['micro', 'small'] }],
  opensOn: '2020-01-01',
  closesOn: '2099-12-31',
  budgetFen: BUDGET,
};
const catalog: MeasureCatalog = { edition: 'bench', measures: [measure] };
const enterpriseId = (i: number) => withCheckCharacter(`91310105MA${String(i).padStart(7, '0')}`);
const withCheckCharacter = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;
const enterprises: EnterpriseFacts = {
  enterpriseOf: async (id): Promise<EnterpriseProfile> => ({
    enterpriseId: id,
    districtCode: '310105',
    subdistrictCode: '310105002',
    size: 'small',
    industry: 'catering',
    reopeningStatus: 'reopened',
    headcount: 10,
  }),
};
const finance: RequestContext = { actor: { sub: 'finance-bench', role: 'department', department: 'policy-relief', office: 'finance' }, correlationId: 'bench' };

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Runs `work(i)` for i in [0, total) from `concurrency` callers. */
async function concurrently(total: number, concurrency: number, work: (i: number, caller: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, caller) => {
      while (next < total) await work(next++, caller);
    }),
  );
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const name = `bench_relief_${randomBytes(4).toString('hex')}`;
  await withAdmin((a) => a.query(`CREATE DATABASE ${name}`));
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const replicas: { db: PgDatabase; store: PostgresEventStore; commands: ReliefCommands }[] = [];
  try {
    for (let r = 0; r < REPLICAS; r++) {
      const db = new PgDatabase(url.toString());
      const store = new PostgresEventStore(db);
      await store.migrate();
      replicas.push({ db, store, commands: new ReliefCommands({ store: withContractValidation(store), catalog, enterprises }) });
    }
    await concurrently(APPROVALS, CONCURRENCY, async (i, caller) => {
      const applicant: RequestContext = { actor: { sub: enterpriseId(i), role: 'enterprise' }, correlationId: `submit-${i}` };
      await replicas[caller % REPLICAS].commands.submit(applicant, {
        measureId: 'M99',
        enterpriseId: enterpriseId(i),
        landlordKind: 'private',
        requestedFen: CAP,
      });
    });

    const latencies: number[] = [];
    const approved: number[] = [];
    let refused = 0;
    let refusedOtherwise = 0;
    const started = process.hrtime.bigint();
    await concurrently(APPROVALS, CONCURRENCY, async (i, caller) => {
      const t0 = process.hrtime.bigint();
      try {
        await replicas[caller % REPLICAS].commands.approve(finance, `M99-${enterpriseId(i)}`, amountOf(i));
        approved.push(amountOf(i));
      } catch (error) {
        if (error instanceof RuleViolationError && error.rule === 'budget-exceeded') refused++;
        else refusedOtherwise++;
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const events = await replicas[0].store.readAll({ streamPrefix: 'policy-relief.', limit: 10 * APPROVALS });
    const granted = events.filter((e) => e.type === 'ReliefApplicationApproved').reduce((s, e) => s + (e.data as { grantedFen: number }).grantedFen, 0);
    const committed = events.filter((e) => e.type === 'ReliefBudgetCommitted').reduce((s, e) => s + (e.data as { amountFen: number }).amountFen, 0);
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        benchmark: 'relief',
        replicas: REPLICAS,
        callers: CONCURRENCY,
        approvalsAttempted: APPROVALS,
        approved: approved.length,
        refusedBudgetExceeded: refused,
        refusedOtherwise,
        approvalsPerSec: Math.round(APPROVALS / seconds),
        p50Ms: Number(percentile(sorted, 0.5).toFixed(1)),
        p99Ms: Number(percentile(sorted, 0.99).toFixed(1)),
        budgetFen: BUDGET,
        committedFen: committed,
        approvedFen: granted,
        budgetHeld: committed <= BUDGET && granted === committed && refusedOtherwise === 0 && granted === approved.reduce((s, x) => s + x, 0),
      }),
    );
  } finally {
    for (const r of replicas) {
      await r.store.close();
      await r.db.close();
    }
    await withAdmin((a) => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
