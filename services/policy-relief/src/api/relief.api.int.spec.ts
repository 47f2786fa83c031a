import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { PostgresEventStore } from '@city/event-store-postgres';
import { PgliteDatabase } from '@city/sql';
import { EnterpriseView } from '../application/enterprise-view';
import { CAFE, cafe, profile, sasac, SHOP, shop, startReliefTestApp } from '../testing/relief-test-app';
import { fireHostileBurst, hostileCasesFor, INJECTION_STRINGS, type CommandRoute, type HostileCase } from '@city/testing';

/**
 * The policy-relief HTTP API over real HTTP (supertest), on the real Nest app and the
 * PostgreSQL event store in-process on PGlite: an application with its eligibility
 * answer, its retry and a second application, approval in part, payment, withdrawal,
 * refusals and bad input with nothing appended, lists by who asks, and the dry run.
 */

const SECRET = 'policy-relief-api-spec-secret-0123456789abcdef';
const taxOffice: Actor = { sub: 'tax-officer-0001', role: 'department', department: 'policy-relief', office: 'tax' };
const finance: Actor = { sub: 'finance-officer-0001', role: 'department', department: 'policy-relief', office: 'finance' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });
const rentWaiver = { measureId: 'M01', enterpriseId: CAFE, landlordKind: 'state-owned', requestedFen: 9_600_000, monthlyRentFen: 4_800_000 };

let db: PgliteDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
const eventCount = async () => Number(await store.headPosition());

// PGlite compiling its WASM build and the Nest app starting: seconds when idle, a minute or more on a loaded machine.
beforeAll(async () => {
  db = new PgliteDatabase();
  ({ app, store } = await startReliefTestApp(db, { secret: SECRET }));
  http = request(app.getHttpServer());
}, 180_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  await db?.close();
});

it('201 applies with the eligibility answer rule by rule; a retry answers 200 and appends nothing; a second application is 409', async () => {
  const first = await http.post('/applications').set(as(cafe)).send(rentWaiver).expect(201);
  expect(first.body).toMatchObject({ applicationId: `M01-${CAFE}`, version: 0, eventsAppended: 1, application: { status: 'submitted' } });
  expect(first.body.application.submitted.eligibility.checks.map((c: { reason: string }) => c.reason)).toEqual([
    'size: small — passes rule S1 of measure M01 v1',
    'landlord: state-owned — passes rule L1 of measure M01 v1',
  ]);
  const before = await eventCount();
  await http.post('/applications').set(as(cafe)).send(rentWaiver).expect(200);
  const second = await http
    .post('/applications')
    .set(as(cafe))
    .send({ ...rentWaiver, requestedFen: 4_800_000 })
    .expect(409);
  expect(second.body.rule).toBe('already-applied');
  expect(await eventCount()).toBe(before);
});

it('an application that fails a rule is recorded ineligible with the reason, and cannot be approved', async () => {
  const res = await http
    .post('/applications')
    .set(as(shop))
    .send({ measureId: 'M14', enterpriseId: SHOP, landlordKind: 'private', requestedFen: 100_000 })
    .expect(201);
  expect(res.body.application.status).toBe('ineligible');
  expect(res.body.application.submitted.eligibility.checks[0].reason).toBe('district: 310107 — fails rule D1 of measure M14 v1 (needs 310105)');
  const approve = await http.post(`/applications/M14-${SHOP}/approve`).set(as(finance)).send({}).expect(409);
  expect(approve.body.rule).toBe('application-not-eligible');
});

it('4xx with the field or rule named for bad input, closed or unknown measures, unknown enterprises and other enterprises; nothing appended', async () => {
  const before = await eventCount();
  const fraction = await http
    .post('/applications')
    .set(as(shop))
    .send({ ...rentWaiver, enterpriseId: SHOP, requestedFen: 100.5 })
    .expect(400);
  expect(fraction.body.fields).toHaveProperty('requestedFen');
  await http
    .post('/applications')
    .set(as(shop))
    .send({ ...rentWaiver, enterpriseId: SHOP, extra: 1 })
    .expect(400);
  await http
    .post('/applications')
    .set(as(shop))
    .send({ ...rentWaiver, enterpriseId: SHOP, measureId: 'M99' })
    .expect(404);
  const closed = await http
    .post('/applications')
    .set(as(shop))
    .send({ measureId: 'M13', enterpriseId: SHOP, landlordKind: 'private', requestedFen: 100 })
    .expect(409);
  expect(closed.body.rule).toBe('measure-closed');
  const unknown: Actor = { sub: '91310115MA1K4B7Y08', role: 'enterprise' };
  const notKnown = await http
    .post('/applications')
    .set(as(unknown))
    .send({ ...rentWaiver, enterpriseId: unknown.sub })
    .expect(409);
  expect(notKnown.body).toMatchObject({ rule: 'enterprise-not-known-yet', message: expect.stringContaining('not known to policy-relief yet') });
  const forOther = await http
    .post('/applications')
    .set(as(shop))
    .send({ ...rentWaiver, measureId: 'M03' })
    .expect(403);
  expect(forOther.body.reason).toBeDefined();
  const aboveLimit = await http
    .post('/applications')
    .set(as(shop))
    .send({ measureId: 'M05', enterpriseId: SHOP, landlordKind: 'private', requestedFen: 200_001 })
    .expect(409);
  expect(aboveLimit.body.rule).toBe('amount-above-limit');
  expect(await eventCount()).toBe(before);
});

it('the issuing office approves in part without a visit, records the payment once per reference; other offices are refused 403', async () => {
  const applicationId = `M01-${CAFE}`;
  const refused = await http.post(`/applications/${applicationId}/approve`).set(as(taxOffice)).send({ grantedFen: 7_200_000 }).expect(403);
  expect(refused.body.reason).toBe('wrong_department');
  await http.post(`/applications/${applicationId}/approve`).set(as(cafe)).send({ grantedFen: 7_200_000 }).expect(403);
  const approved = await http
    .post(`/applications/${applicationId}/approve`)
    .set(as(sasac))
    .send({ grantedFen: 7_200_000, note: 'Reopened on 20 February' })
    .expect(200);
  expect(approved.body.eventsAppended).toBe(1);
  const measure = await http.get('/measures/M01').set(as(cafe)).expect(200);
  expect(measure.body).toMatchObject({ committedFen: 7_200_000, remainingFen: 80_000_000_000 - 7_200_000 });
  const payment = { amountFen: 7_200_000, disbursedOn: '2020-04-01', reference: 'RENT-WAIVER-2020-000731' };
  await http.post(`/applications/${applicationId}/disbursements`).set(as(sasac)).send(payment).expect(201);
  await http.post(`/applications/${applicationId}/disbursements`).set(as(sasac)).send(payment).expect(200);
  const over = await http
    .post(`/applications/${applicationId}/disbursements`)
    .set(as(sasac))
    .send({ ...payment, amountFen: 1, reference: 'RENT-WAIVER-2020-000999' })
    .expect(409);
  expect(over.body.rule).toBe('disbursement-above-grant');
  const read = await http.get(`/applications/${applicationId}`).set(as(cafe)).expect(200);
  expect(read.body).toMatchObject({ status: 'approved', disbursedFen: 7_200_000, approved: { grantedFen: 7_200_000, partial: true } });
  await http.get(`/applications/${applicationId}`).set(as(shop)).expect(403);
});

it('the enterprise withdraws before a decision; an approval of a withdrawn application is 409 and commits no money', async () => {
  await http.post('/applications').set(as(shop)).send({ measureId: 'M05', enterpriseId: SHOP, landlordKind: 'private', requestedFen: 200_000 }).expect(201);
  await http.post(`/applications/M05-${SHOP}/withdraw`).set(as(shop)).send({ reason: 'Closed for good' }).expect(200);
  const hr: Actor = { sub: 'hr-officer-0001', role: 'department', department: 'policy-relief', office: 'human-resources' };
  const res = await http.post(`/applications/M05-${SHOP}/approve`).set(as(hr)).send({}).expect(409);
  expect(res.body.rule).toBe('application-withdrawn');
  expect((await http.get('/measures/M05').set(as(hr)).expect(200)).body.committedFen).toBe(0);
});

it('lists what each may see: an enterprise its own, an issuing office its measures’, finance all', async () => {
  const own = await http.get('/applications').set(as(cafe)).expect(200);
  expect(own.body.map((a: { enterpriseId: string }) => a.enterpriseId)).toEqual([CAFE]);
  const queue = await http.get('/applications').set(as(sasac)).expect(200);
  expect(queue.body.map((a: { measureId: string }) => a.measureId)).toEqual(['M01']);
  const all = await http.get('/applications').set(as(finance)).expect(200);
  expect(all.body).toHaveLength(3);
  await http.get('/applications?status=bogus').set(as(finance)).expect(400);
});

it('a dry run of a new rule version says who would change and why, and writes nothing', async () => {
  const before = await eventCount();
  const res = await http
    .post('/measures/M14/rule-replays')
    .set(as(finance))
    .send({ version: 2, rules: [{ id: 'D1', field: 'district', oneOf: ['310105', '310107'] }] })
    .expect(200);
  expect(res.body).toMatchObject({ measureId: 'M14', version: 2, applications: 1, becomeEligible: 1, becomeIneligible: 0 });
  expect(res.body.changes[0]).toMatchObject({
    applicationId: `M14-${SHOP}`,
    change: 'becomes-eligible',
    reasons: ['district: 310107 — passes rule D1 of measure M14 v2'],
  });
  await http.post('/measures/M14/rule-replays').set(as(taxOffice)).send({ version: 2, rules: [] }).expect(403);
  await http
    .post('/measures/M14/rule-replays')
    .set(as(finance))
    .send({ version: 2, rules: [{ id: 'x', field: 'colour', oneOf: [] }] })
    .expect(400);
  expect(await eventCount()).toBe(before);
});

describe('a burst of hostile requests on every command route', () => {
  it('answers each with a 4xx naming the field or rule, never 500; appends nothing; the service stays well', async () => {
    // An enterprise of its own with an application withdrawn, one approved and paid, one waiting.
    const FIRM = '91310105MA1FL7CD4L';
    const firm: Actor = { sub: FIRM, role: 'enterprise' };
    const hr: Actor = { sub: 'hr-officer-0002', role: 'department', department: 'policy-relief', office: 'human-resources' };
    await app.get(EnterpriseView).record(profile(FIRM));
    const apply = (body: object) =>
      http
        .post('/applications')
        .set(as(firm))
        .send({ enterpriseId: FIRM, landlordKind: 'state-owned', ...body });
    await apply({ measureId: 'M05', requestedFen: 200_000 }).expect(201);
    await http.post(`/applications/M05-${FIRM}/withdraw`).set(as(firm)).send({ reason: 'Not needed' }).expect(200);
    await apply({ measureId: 'M01', requestedFen: 9_600_000, monthlyRentFen: 4_800_000 }).expect(201);
    await http.post(`/applications/M01-${FIRM}/approve`).set(as(sasac)).send({ grantedFen: 4_800_000 }).expect(200);
    const paid = { amountFen: 4_800_000, disbursedOn: '2020-04-01', reference: 'BURST-RENT-0001' };
    await http.post(`/applications/M01-${FIRM}/disbursements`).set(as(sasac)).send(paid).expect(201);
    await apply({ measureId: 'M09', landlordKind: 'private', requestedFen: 1_500_000 }).expect(201);
    const before = await eventCount();

    const post = (path: string, actor: Actor) => (text?: string) => {
      const req = http.post(path).set(as(actor)).set('Content-Type', 'application/json');
      return text === undefined ? req : req.send(text);
    };
    const routes: CommandRoute[] = [
      {
        route: 'POST /applications',
        valid: { measureId: 'M01', enterpriseId: FIRM, landlordKind: 'state-owned', requestedFen: 9_600_000, monthlyRentFen: 4_800_000 },
        send: post('/applications', firm),
      },
      { route: 'POST withdraw', valid: { reason: 'The landlord waived the rent directly' }, send: post(`/applications/M09-${FIRM}/withdraw`, firm) },
      { route: 'POST approve', valid: { grantedFen: 1_000_000, note: 'Part of the fee' }, send: post(`/applications/M09-${FIRM}/approve`, finance) },
      { route: 'POST reject', valid: { reason: 'The guarantee was not taken up' }, send: post(`/applications/M09-${FIRM}/reject`, finance) },
      {
        route: 'POST disbursements',
        valid: { amountFen: 100, disbursedOn: '2020-04-01', reference: 'BURST-RENT-0002' },
        send: post(`/applications/M01-${FIRM}/disbursements`, sasac),
      },
      {
        route: 'POST rule-replays',
        valid: { version: 2, rules: [{ id: 'D1', field: 'district', oneOf: ['310105'] }] },
        send: post('/measures/M14/rule-replays', finance),
      },
    ];
    const cases: HostileCase[] = routes.flatMap(hostileCasesFor);

    // Bad ids in every path (with a body the route would take), bad tokens.
    const applicationRoutes: [string, Actor, object][] = [
      ['withdraw', firm, { reason: 'x' }],
      ['approve', finance, {}],
      ['reject', finance, { reason: 'x' }],
      ['disbursements', finance, { amountFen: 1, disbursedOn: '2020-04-01', reference: 'R-1' }],
    ];
    const wrongCheck = `M01-${FIRM.slice(0, 17)}${FIRM.endsWith('0') ? '1' : '0'}`;
    for (const s of [...INJECTION_STRINGS, `m01-${FIRM}`, `M01-${FIRM.toLowerCase()}`, `M01-${FIRM}0`, wrongCheck, 'x'.repeat(2000)]) {
      for (const [r, actor, body] of applicationRoutes) {
        cases.push({
          label: `POST /applications/${s.slice(0, 24)}/${r}`,
          send: () => post(`/applications/${encodeURIComponent(s)}/${r}`, actor)(JSON.stringify(body)),
          status: 400,
          field: 'applicationId',
        });
      }
      cases.push({
        label: `rule replay of ${s.slice(0, 20)}`,
        send: () => post(`/measures/${encodeURIComponent(s)}/rule-replays`, finance)(JSON.stringify({ version: 2, rules: [] })),
        status: 400,
        field: 'measureId',
      });
      cases.push({
        label: `GET /applications?enterpriseId=${s.slice(0, 20)}`,
        send: () => http.get('/applications').query({ enterpriseId: s, measureId: s }).set(as(finance)),
        status: 400,
      });
      cases.push({
        label: `bearer ${s.slice(0, 20)}`,
        send: () => post(`/applications/M09-${FIRM}/approve`, finance)('{}').set('Authorization', `Bearer ${encodeURIComponent(s)}`),
        status: 401,
      });
    }

    // The issue's bad input, each with the field or rule it must name.
    const push = (label: string, send: () => PromiseLike<{ status: number; body: unknown }>, expected: Partial<HostileCase>) =>
      cases.push({ label, send, ...expected });
    const application = (change: object) => JSON.stringify({ measureId: 'M02', enterpriseId: FIRM, landlordKind: 'private', requestedFen: 100_000, ...change });
    push('an unknown measure', () => post('/applications', firm)(application({ measureId: 'M99' })), { status: 404 });
    push('an application after the closing date', () => post('/applications', firm)(application({ measureId: 'M13' })), {
      status: 409,
      rule: 'measure-closed',
    });
    push('a second application to the same measure', () => post('/applications', firm)(application({ measureId: 'M09', requestedFen: 100 })), {
      status: 409,
      rule: 'already-applied',
    });
    // M11 pays ¥200 a head: ¥3,600.00 for 18.
    push('an amount above the measure’s limit', () => post('/applications', firm)(application({ measureId: 'M11', requestedFen: 360_001 })), {
      status: 409,
      rule: 'amount-above-limit',
    });
    for (const requestedFen of [100.5, 0.01, 1e-9, -1, Number.MAX_SAFE_INTEGER + 2]) {
      push(`a request of ${requestedFen} fen`, () => post('/applications', firm)(application({ requestedFen })), { status: 400, field: 'requestedFen' });
    }
    push('a monthly rent with a fraction of a fen', () => post('/applications', firm)(application({ monthlyRentFen: 4_800_000.5 })), {
      status: 400,
      field: 'monthlyRentFen',
    });
    push('an amount written as yuan', () => post('/applications', firm)(application({ requestedFen: '1,000.00' })), { status: 400, field: 'requestedFen' });
    for (const enterpriseId of [FIRM.slice(0, 17) + (FIRM.endsWith('0') ? '1' : '0'), FIRM.replace('M', 'I'), FIRM.toLowerCase(), FIRM.slice(1)]) {
      push(`a credit code ${enterpriseId}`, () => post('/applications', firm)(application({ enterpriseId })), { status: 400, field: 'enterpriseId' });
    }
    push('an application for another enterprise', () => post('/applications', firm)(application({ enterpriseId: CAFE })), { status: 403 });
    push(
      'an enterprise the view does not know',
      () => post('/applications', { sub: '91310115MA1K4B7Y08', role: 'enterprise' })(application({ enterpriseId: '91310115MA1K4B7Y08' })),
      {
        status: 409,
        rule: 'enterprise-not-known-yet',
      },
    );
    push('an unknown landlord kind', () => post('/applications', firm)(application({ landlordKind: 'the-moon' })), { status: 400, field: 'landlordKind' });
    push('an approval of a withdrawn application', () => post(`/applications/M05-${FIRM}/approve`, hr)('{}'), { status: 409, rule: 'application-withdrawn' });
    push('an approval of an approved application', () => post(`/applications/M01-${FIRM}/approve`, sasac)('{}'), {
      status: 409,
      rule: 'application-already-decided',
    });
    push('an approval above the request', () => post(`/applications/M09-${FIRM}/approve`, finance)(JSON.stringify({ grantedFen: 1_500_001 })), {
      status: 409,
      rule: 'grant-above-request',
    });
    push('an approval with a fraction of a fen', () => post(`/applications/M09-${FIRM}/approve`, finance)(JSON.stringify({ grantedFen: 1000.5 })), {
      status: 400,
      field: 'grantedFen',
    });
    push('an approval by another office', () => post(`/applications/M09-${FIRM}/approve`, taxOffice)('{}'), { status: 403 });
    push('an approval by the enterprise itself', () => post(`/applications/M09-${FIRM}/approve`, firm)('{}'), { status: 403 });
    push('an approval of an unknown application', () => post(`/applications/M02-${FIRM}/approve`, finance)('{}'), { status: 404 });
    push('a rejection without a reason', () => post(`/applications/M09-${FIRM}/reject`, finance)('{}'), { status: 400, field: 'reason' });
    push('a withdrawal of a decided application', () => post(`/applications/M01-${FIRM}/withdraw`, firm)('{}'), {
      status: 409,
      rule: 'application-already-decided',
    });
    const disburse = (change: object) => JSON.stringify({ ...paid, reference: 'BURST-RENT-0003', ...change });
    push('a payment above the grant', () => post(`/applications/M01-${FIRM}/disbursements`, sasac)(disburse({ amountFen: 1 })), {
      status: 409,
      rule: 'disbursement-above-grant',
    });
    push('a payment with a fraction of a fen', () => post(`/applications/M01-${FIRM}/disbursements`, sasac)(disburse({ amountFen: 0.5 })), {
      status: 400,
      field: 'amountFen',
    });
    push('a payment on a future day', () => post(`/applications/M01-${FIRM}/disbursements`, sasac)(disburse({ disbursedOn: '2031-04-01' })), {
      status: 409,
      rule: 'day-in-the-future',
    });
    push('a payment on a day that does not exist', () => post(`/applications/M01-${FIRM}/disbursements`, sasac)(disburse({ disbursedOn: '2020-02-30' })), {
      status: 400,
      field: 'disbursedOn',
    });
    push('a payment of an application not approved', () => post(`/applications/M09-${FIRM}/disbursements`, finance)(disburse({ amountFen: 1 })), {
      status: 409,
      rule: 'application-not-approved',
    });
    push(
      'a payment reference used again for another amount',
      () => post(`/applications/M01-${FIRM}/disbursements`, sasac)(disburse({ reference: paid.reference, amountFen: 1 })),
      {
        status: 409,
      },
    );
    push(
      'a rule on an unknown fact',
      () => post('/measures/M14/rule-replays', finance)(JSON.stringify({ version: 2, rules: [{ id: 'X1', field: 'colour', oneOf: ['red'] }] })),
      { status: 400 },
    );
    expect(cases.length).toBeGreaterThan(300);

    const burst = await fireHostileBurst(cases);
    expect(burst.problems).toEqual([]);
    expect(await eventCount()).toBe(before);
    await http.get('/health/live').expect(200);
    // Still serving: the waiting application is approved after the burst.
    await http.post(`/applications/M09-${FIRM}/approve`).set(as(finance)).send({ grantedFen: 1_200_000 }).expect(200);
  }, 300_000);
});
