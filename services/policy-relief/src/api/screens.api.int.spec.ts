import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { PostgresEventStore } from '@city/event-store-postgres';
import { PgDatabase } from '@city/sql';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { CAFE, cafe, sasac, SHOP, shop, startReliefTestApp } from '../testing/relief-test-app';

/**
 * What the screens read, over HTTP on real PostgreSQL: an enterprise's measures
 * with the answer it would get, an issuing office's approval queue with the
 * budget left, who may read them; applying again after a withdrawal; credit
 * codes checked to their check character wherever the API takes one.
 */

const SECRET = 'policy-relief-screens-api-spec-secret-0123456789';
const UNKNOWN = '91310115MA1K4B7Y08';
const hr: Actor = { sub: 'hr-officer-0001', role: 'department', department: 'policy-relief', office: 'human-resources' };
const noOffice: Actor = { sub: 'relief-staff-0001', role: 'department', department: 'policy-relief' };
const putuoStaff: Actor = { sub: 'putuo-staff-0001', role: 'district-staff', district: '310107' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });

interface MeasureRow {
  measureId: string;
  open: boolean;
  mayApply: boolean;
  maxGrantFen: number | null;
  preview: { eligible: boolean | null; checks: { rule: string; passed: boolean | null; reason: string }[] } | null;
  application: { applicationId: string; status: string } | null;
}
interface QueueRow {
  measureId: string;
  issuer: string;
  budgetFen: number;
  remainingFen: number;
  waiting: { applicationId: string; requestedFen: number; eligibility: { checks: { reason: string }[] } }[];
  waitingCount: number;
}

let database: TestDatabase;
let db: PgDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
const eventCount = async () => Number(await store.headPosition());
const measuresOf = async (actor: Actor, enterpriseId: string, query = ''): Promise<Map<string, MeasureRow>> => {
  const res = await http.get(`/enterprises/${enterpriseId}/measures${query}`).set(as(actor)).expect(200);
  return new Map((res.body.measures as MeasureRow[]).map((m) => [m.measureId, m]));
};

beforeAll(async () => {
  database = await createTestDatabase('policy_relief_screens_api');
  db = new PgDatabase(database.url);
  ({ app, store } = await startReliefTestApp(db, { secret: SECRET }));
  http = request(app.getHttpServer());
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  await db?.close();
  await database?.drop();
});

describe('an enterprise’s measures', () => {
  it('lists every measure with whether it is open, the answer it would get rule by rule, and the most it would be granted', async () => {
    const res = await http.get(`/enterprises/${CAFE}/measures`).set(as(cafe)).expect(200);
    expect(res.body).toMatchObject({ enterpriseId: CAFE, today: '2020-04-02', enterprise: { districtCode: '310105', size: 'small' } });
    const measures = new Map((res.body.measures as MeasureRow[]).map((m) => [m.measureId, m]));
    // Before the landlord is stated, its rule is left open and the answer with it.
    expect(measures.get('M01')).toMatchObject({ open: true, mayApply: true, application: null, maxGrantFen: null, preview: { eligible: null } });
    expect(measures.get('M01')?.preview?.checks.map((c) => c.passed)).toEqual([true, null]);
    expect(measures.get('M13')).toMatchObject({ open: false, mayApply: false });
    expect(measures.get('M05')).toMatchObject({ open: true, maxGrantFen: 18 * 50_000 });

    const stated = await measuresOf(cafe, CAFE, '?landlordKind=private');
    expect(stated.get('M01')?.preview).toMatchObject({
      eligible: false,
      checks: [{ passed: true }, { passed: false, reason: 'landlord: private — fails rule L1 of measure M01 v1 (needs state-owned)' }],
    });
    expect((await measuresOf(cafe, CAFE, '?landlordKind=state-owned')).get('M01')?.preview?.eligible).toBe(true);
  });

  it('shows its own application to a measure, after which it may not apply again', async () => {
    await http
      .post('/applications')
      .set(as(cafe))
      .send({ measureId: 'M01', enterpriseId: CAFE, landlordKind: 'state-owned', requestedFen: 9_600_000, monthlyRentFen: 4_800_000 })
      .expect(201);
    expect((await measuresOf(cafe, CAFE)).get('M01')).toMatchObject({ mayApply: false, application: { applicationId: `M01-${CAFE}`, status: 'submitted' } });
  });

  it('is the enterprise’s own: another enterprise and staff of another district are refused 403; unknown enterprises may not apply yet', async () => {
    const other = await http.get(`/enterprises/${CAFE}/measures`).set(as(shop)).expect(403);
    expect(other.body.reason).toBeDefined();
    await http.get(`/enterprises/${CAFE}/measures`).set(as(putuoStaff)).expect(403);
    await http.get(`/enterprises/${SHOP}/measures`).set(as(putuoStaff)).expect(200);
    await http.get(`/enterprises/${CAFE}/measures`).set(as(sasac)).expect(200);
    await http.get(`/enterprises/${CAFE}/measures`).expect(401);
    const unknown = await http
      .get(`/enterprises/${UNKNOWN}/measures`)
      .set(as({ sub: UNKNOWN, role: 'enterprise' }))
      .expect(200);
    expect(unknown.body.enterprise).toBeNull();
    expect((unknown.body.measures as MeasureRow[]).every((m) => !m.mayApply && m.preview === null)).toBe(true);
  });

  it('400 for a credit code with a wrong check character or a landlord kind that is none', async () => {
    const bad = await http
      .get('/enterprises/91310105MA1FL0XQ2B/measures')
      .set(as({ sub: '91310105MA1FL0XQ2B', role: 'enterprise' }))
      .expect(400);
    expect(bad.body.fields.enterpriseId[0]).toContain('check character');
    const kind = await http.get(`/enterprises/${CAFE}/measures?landlordKind=castle`).set(as(cafe)).expect(400);
    expect(kind.body.fields).toHaveProperty('landlordKind');
  });
});

describe('an issuing office’s approval queue', () => {
  it('holds the office’s own measures with the budget left and the applications waiting, with their eligibility reasons', async () => {
    const res = await http.get('/approval-queue').set(as(sasac)).expect(200);
    const queue = res.body as QueueRow[];
    expect(queue.length).toBeGreaterThan(0);
    expect(queue.every((m) => m.issuer === 'state-assets')).toBe(true);
    const m01 = queue.find((m) => m.measureId === 'M01') as QueueRow;
    expect(m01.remainingFen).toBe(m01.budgetFen);
    expect(m01.waiting).toHaveLength(1);
    expect(m01.waitingCount).toBe(1);
    expect(m01.waiting[0]).toMatchObject({ applicationId: `M01-${CAFE}`, requestedFen: 9_600_000 });
    expect(m01.waiting[0].eligibility.checks.map((c) => c.reason)).toEqual([
      'size: small — passes rule S1 of measure M01 v1',
      'landlord: state-owned — passes rule L1 of measure M01 v1',
    ]);

    await http.post(`/applications/M01-${CAFE}/approve`).set(as(sasac)).send({ grantedFen: 7_200_000 }).expect(200);
    const after = ((await http.get('/approval-queue').set(as(sasac)).expect(200)).body as QueueRow[]).find((m) => m.measureId === 'M01') as QueueRow;
    expect(after).toMatchObject({ remainingFen: m01.budgetFen - 7_200_000, waiting: [], waitingCount: 0 });
  });

  it('lists the oldest `limit` waiting per measure and counts them all', async () => {
    const deferral = { measureId: 'M04', landlordKind: 'private', requestedFen: 100_000 };
    await http
      .post('/applications')
      .set(as(cafe))
      .send({ ...deferral, enterpriseId: CAFE })
      .expect(201);
    await http
      .post('/applications')
      .set(as(shop))
      .send({ ...deferral, enterpriseId: SHOP })
      .expect(201);
    const head = ((await http.get('/approval-queue?limit=1').set(as(hr)).expect(200)).body as QueueRow[]).find((m) => m.measureId === 'M04') as QueueRow;
    expect(head).toMatchObject({ waitingCount: 2, waiting: [{ applicationId: `M04-${CAFE}` }] }); // the oldest first
    const whole = ((await http.get('/approval-queue').set(as(hr)).expect(200)).body as QueueRow[]).find((m) => m.measureId === 'M04') as QueueRow;
    expect(whole.waiting.map((a) => a.applicationId)).toEqual([`M04-${CAFE}`, `M04-${SHOP}`]);
    for (const limit of ['0', '501', 'x']) await http.get(`/approval-queue?limit=${limit}`).set(as(hr)).expect(400);
  });

  it('is refused 403 to enterprises, district staff and department tokens naming no office; another office sees none of it', async () => {
    const enterprise = await http.get('/approval-queue').set(as(cafe)).expect(403);
    expect(enterprise.body.reason).toBeDefined();
    await http.get('/approval-queue').set(as(putuoStaff)).expect(403);
    const none = await http.get('/approval-queue').set(as(noOffice)).expect(403);
    expect(none.body.reason).toBe('wrong_department');
    const other = (await http.get('/approval-queue').set(as(hr)).expect(200)).body as QueueRow[];
    expect(other.every((m) => m.issuer === 'human-resources' && m.measureId !== 'M01')).toBe(true);
  });
});

describe('applying again', () => {
  const subsidy = { measureId: 'M05', enterpriseId: SHOP, landlordKind: 'private', requestedFen: 200_000 };

  it('after a withdrawal, applies anew; while waiting or once approved, 409 already-applied with nothing appended', async () => {
    await http.post('/applications').set(as(shop)).send(subsidy).expect(201);
    const open = await http
      .post('/applications')
      .set(as(shop))
      .send({ ...subsidy, requestedFen: 100_000 })
      .expect(409);
    expect(open.body.rule).toBe('already-applied');
    await http.post(`/applications/M05-${SHOP}/withdraw`).set(as(shop)).send({ reason: 'Wrong amount' }).expect(200);
    expect((await measuresOf(shop, SHOP)).get('M05')).toMatchObject({ mayApply: true, application: { status: 'withdrawn' } });

    const again = await http
      .post('/applications')
      .set(as(shop))
      .send({ ...subsidy, requestedFen: 150_000 })
      .expect(201);
    expect(again.body).toMatchObject({ eventsAppended: 1, application: { status: 'submitted', submitted: { requestedFen: 150_000 } } });
    const listed = (await http.get('/applications?measureId=M05').set(as(shop)).expect(200)).body;
    expect(listed).toMatchObject([{ applicationId: `M05-${SHOP}`, status: 'submitted', requestedFen: 150_000 }]);
    // A retry of the new application is still a retry.
    await http
      .post('/applications')
      .set(as(shop))
      .send({ ...subsidy, requestedFen: 150_000 })
      .expect(200);

    await http.post(`/applications/M05-${SHOP}/approve`).set(as(hr)).send({}).expect(200);
    const before = await eventCount();
    const approved = await http.post('/applications').set(as(shop)).send(subsidy).expect(409);
    expect(approved.body).toMatchObject({ rule: 'already-applied', message: expect.stringContaining('approved') });
    expect(await eventCount()).toBe(before);
  });
});

describe('applying again after an ineligible answer', () => {
  it('answers anew when something it was answered on changed; the same application on the same facts is a retry', async () => {
    const rentRelief = { measureId: 'M03', enterpriseId: CAFE, landlordKind: 'state-owned', requestedFen: 4_800_000, monthlyRentFen: 4_800_000 };
    const first = await http.post('/applications').set(as(cafe)).send(rentRelief).expect(201);
    expect(first.body.application.status).toBe('ineligible');
    expect((await measuresOf(cafe, CAFE)).get('M03')).toMatchObject({ mayApply: true, application: { status: 'ineligible' } });
    const before = await eventCount();
    await http.post('/applications').set(as(cafe)).send(rentRelief).expect(200);
    expect(await eventCount()).toBe(before);

    const again = await http
      .post('/applications')
      .set(as(cafe))
      .send({ ...rentRelief, landlordKind: 'private' })
      .expect(201);
    expect(again.body.application).toMatchObject({ status: 'submitted', submitted: { facts: { landlordKind: 'private' } } });
    expect((await http.get('/applications?measureId=M03').set(as(cafe)).expect(200)).body).toMatchObject([{ status: 'submitted' }]);
  });
});

describe('credit codes', () => {
  it('400 naming the check character wherever the API takes a code, with nothing appended', async () => {
    const wrong = '91310105MA1FL0XQ2B';
    const before = await eventCount();
    const submit = await http
      .post('/applications')
      .set(as({ sub: wrong, role: 'enterprise' }))
      .send({ measureId: 'M05', enterpriseId: wrong, landlordKind: 'private', requestedFen: 100 })
      .expect(400);
    expect(submit.body.fields.enterpriseId[0]).toContain('check character');
    const get = await http.get(`/applications/M05-${wrong}`).set(as(sasac)).expect(400);
    expect(get.body.fields.applicationId[0]).toContain('check character');
    await http.post(`/applications/M05-${wrong}/approve`).set(as(hr)).send({}).expect(400);
    const list = await http.get(`/applications?enterpriseId=${wrong}`).set(as(sasac)).expect(400);
    expect(list.body.fields).toHaveProperty('enterpriseId');
    const shape = await http.get('/applications/M05-not-a-code').set(as(sasac)).expect(400);
    expect(shape.body.fields.applicationId[0]).toContain('<measureId>-<unified social credit code>');
    expect(await eventCount()).toBe(before);
  });
});
