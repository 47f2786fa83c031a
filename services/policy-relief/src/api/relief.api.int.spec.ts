import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { initHttpApp } from '@city/service-kit';
import { PgliteDatabase } from '@city/sql';
import { EnterpriseView } from '../application/enterprise-view';
import type { EnterpriseProfile } from '../domain/enterprise-facts';
import { createPolicyReliefApp } from '../policy-relief-app';

/**
 * The policy-relief HTTP API over real HTTP (supertest), on the real Nest app and the
 * PostgreSQL event store in-process on PGlite: an application with its eligibility
 * answer, its retry and a second application, approval in part, payment, withdrawal,
 * refusals and bad input with nothing appended, lists by who asks, and the dry run.
 */

const SECRET = 'policy-relief-api-spec-secret-0123456789abcdef';
const CAFE = '91310105MA1FL0XQ2P';
const SHOP = '91310107MA1G8K2X3J';
const cafe: Actor = { sub: CAFE, role: 'enterprise' };
const shop: Actor = { sub: SHOP, role: 'enterprise' };
const sasac: Actor = { sub: 'sasac-officer-0007', role: 'department', department: 'policy-relief', office: 'state-assets' };
const taxOffice: Actor = { sub: 'tax-officer-0001', role: 'department', department: 'policy-relief', office: 'tax' };
const finance: Actor = { sub: 'finance-officer-0001', role: 'department', department: 'policy-relief', office: 'finance' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });
const profile = (enterpriseId: string, over: Partial<EnterpriseProfile> = {}): EnterpriseProfile => ({
  enterpriseId,
  districtCode: '310105',
  subdistrictCode: '310105002',
  size: 'small',
  industry: 'catering',
  reopeningStatus: 'reopened',
  headcount: 18,
  ...over,
});
const rentWaiver = { measureId: 'M01', enterpriseId: CAFE, landlordKind: 'state-owned', requestedFen: 9_600_000, monthlyRentFen: 4_800_000 };

let db: PgliteDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
const eventCount = async () => Number(await store.headPosition());

// PGlite compiling its WASM build and the Nest app starting: seconds when idle, a minute or more on a loaded machine.
beforeAll(async () => {
  db = new PgliteDatabase();
  store = new PostgresEventStore(db);
  await store.migrate();
  app = await createPolicyReliefApp({
    eventStore: withContractValidation(store),
    readModelDb: db,
    jwtSecret: SECRET,
    logLevel: 'silent',
    // 2 April 2020 in the city: M13 (street-shop restart grant) closed on 31 March.
    clock: () => new Date('2020-04-02T02:00:00Z'),
  });
  await initHttpApp(app);
  const view = app.get(EnterpriseView);
  await view.record(profile(CAFE));
  await view.record(profile(SHOP, { districtCode: '310107', subdistrictCode: '310107017', industry: 'wholesale-retail', size: 'micro', headcount: 4 }));
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
