import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { creditCodeCheckCharacter, type MeasureCatalog, type ReliefMeasure } from '@city/contracts';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { initHttpApp } from '@city/service-kit';
import { PgDatabase } from '@city/sql';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { EnterpriseView } from './application/enterprise-view';
import { createPolicyReliefApp } from './policy-relief-app';

/**
 * The budget is never over-committed across replicas: two instances of the
 * service, each with its own connection pool and its own in-memory state,
 * against one real PostgreSQL database, take many concurrent approvals of one
 * measure whose budget covers only some of them. Whatever the interleaving,
 * the sum approved never exceeds the budget, every refused approval names the
 * budget rule, and a refusal only happened when the budget could not hold it.
 */

const SECRET = 'policy-relief-budget-spec-secret-0123456789abcdef';
const BUDGET = 300_000; // ¥3,000.00
const APPLICATIONS = 80;
const measure: ReliefMeasure = {
  measureId: 'M90',
  version: 1,
  title: 'A small test fund',
  titleZh: '测试专项资金',
  area: 'finance-support',
  issuer: 'finance',
  benefitKind: 'subsidy',
  amountRule: { kind: 'cap', capFen: 10_000 },
  rules: [],
  opensOn: '2020-02-08',
  closesOn: '2030-12-31',
  budgetFen: BUDGET,
};
const catalog: MeasureCatalog = { edition: 'test', measures: [measure] };
const finance: Actor = { sub: 'finance-officer-0001', role: 'department', department: 'policy-relief', office: 'finance' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });
const enterpriseId = (i: number) => {
  const first17 = `91310105MA1${String(i).padStart(6, '0')}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
};
/** Amounts from 1 fen to ¥100.00, in a fixed but uneven pattern; together about twice the budget. */
const amountOf = (i: number) => 1 + ((i * 7919) % 10_000);

let database: TestDatabase;
const replicas: { db: PgDatabase; store: PostgresEventStore; app: INestApplication; http: ReturnType<typeof request> }[] = [];

beforeAll(async () => {
  database = await createTestDatabase('policy_relief_budget');
  for (let i = 0; i < 2; i++) {
    const db = new PgDatabase(database.url);
    const store = new PostgresEventStore(db);
    await store.migrate();
    const app = await createPolicyReliefApp({ eventStore: withContractValidation(store), readModelDb: db, catalog, jwtSecret: SECRET, logLevel: 'silent' });
    await initHttpApp(app);
    replicas.push({ db, store, app, http: request(app.getHttpServer()) });
  }
  const view = replicas[0].app.get(EnterpriseView);
  for (let i = 0; i < APPLICATIONS; i++) {
    await view.record({
      enterpriseId: enterpriseId(i),
      districtCode: '310105',
      subdistrictCode: '310105002',
      size: 'small',
      industry: 'wholesale-retail',
      reopeningStatus: 'reopened',
      headcount: 5,
    });
    const applicant: Actor = { sub: enterpriseId(i), role: 'enterprise' };
    await replicas[i % 2].http
      .post('/applications')
      .set(as(applicant))
      .send({ measureId: 'M90', enterpriseId: enterpriseId(i), landlordKind: 'private', requestedFen: 10_000 })
      .expect(201);
  }
}, 240_000);

afterAll(async () => {
  for (const r of replicas) {
    await r.app.close();
    await r.store.close();
    await r.db.close();
  }
  await database?.drop();
});

it('concurrent approvals from two replicas never commit more than the budget; every refusal names budget-exceeded', async () => {
  const answers = await Promise.all(
    Array.from({ length: APPLICATIONS }, (_, i) =>
      replicas[i % 2].http
        .post(`/applications/M90-${enterpriseId(i)}/approve`)
        .set(as(finance))
        .send({ grantedFen: amountOf(i) })
        .then((res) => ({ i, status: res.status, rule: res.body.rule as string | undefined, message: res.body.message as string | undefined })),
    ),
  );
  const approved = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status !== 200);
  expect(approved.length + refused.length).toBe(APPLICATIONS);
  expect(approved.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) expect(r).toMatchObject({ status: 409, rule: 'budget-exceeded', message: expect.stringContaining('budget-exceeded') });

  // What the store holds: the approvals, and the ledger's commitments.
  const events = await replicas[0].store.readAll({ streamPrefix: 'policy-relief.' });
  const granted = events.filter((e) => e.type === 'ReliefApplicationApproved').map((e) => (e.data as { grantedFen: number }).grantedFen);
  const committed = events.filter((e) => e.type === 'ReliefBudgetCommitted').map((e) => e.data as { amountFen: number; committedFen: number });
  const sumApproved = granted.reduce((s, x) => s + x, 0);
  expect(granted).toHaveLength(approved.length);
  expect(sumApproved).toBeLessThanOrEqual(BUDGET);
  expect(sumApproved).toBe(approved.reduce((s, a) => s + amountOf(a.i), 0));
  expect(committed.reduce((s, c) => s + c.amountFen, 0)).toBe(sumApproved);
  for (const c of committed) expect(c.committedFen).toBeLessThanOrEqual(BUDGET);

  // Nothing is ever released here, so the budget left only shrank: each refusal asked for more than is left even now.
  const left = BUDGET - sumApproved;
  for (const r of refused) expect(amountOf(r.i)).toBeGreaterThan(left);
  // Both replicas read the same ledger.
  for (const r of replicas)
    expect((await r.http.get('/measures/M90').set(as(finance)).expect(200)).body).toMatchObject({ committedFen: sumApproved, remainingFen: left });
}, 120_000);
