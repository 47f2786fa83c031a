import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { ManualClock } from '@city/scheduler';
import { initHttpApp } from '@city/service-kit';
import { createTestDatabase, eventually, type TestDatabase } from '@city/testing';
import { createEnterpriseReopeningApp } from '../enterprise-reopening-app';

/**
 * The enterprise-reopening HTTP API over real HTTP (supertest), on the real Nest
 * app, the PostgreSQL event store on the real server and the durable scheduler:
 * an enterprise's whole way back to work, appeals to their escalation, and every
 * refusal (400 with the field, 403 counted, 404, 409 with the rule) with nothing appended.
 */

const SECRET = 'enterprise-reopening-api-spec-secret-0123456789abcdef';
const FIRM = '91310105MA1FL3KX0K';
const OTHER_FIRM = '91350100M000100Y43';
const actors = {
  firm: { sub: FIRM, role: 'enterprise' },
  otherFirm: { sub: OTHER_FIRM, role: 'enterprise' },
  staff: { sub: 'staff-chen', role: 'district-staff', district: '310105' },
  inspector: { sub: 'inspector-wang', role: 'field-official', district: '310105', subdistrict: '310105002', department: 'enterprise-reopening' },
  farInspector: { sub: 'inspector-zhao', role: 'field-official', district: '310107', subdistrict: '310107017', department: 'enterprise-reopening' },
  commission: { sub: 'eic-desk', role: 'department', department: 'enterprise-reopening' },
  health: { sub: 'health-desk', role: 'department', department: 'traveller-health' },
} satisfies Record<string, Actor>;
const as = (name: keyof typeof actors) => ({ Authorization: `Bearer ${issueToken(actors[name], SECRET)}` });
const profile = (creditCode: string) => ({
  creditCode,
  name: `Enterprise ${creditCode}`,
  industryCode: 'software-it-services',
  size: 'small',
  districtCode: '310105',
  subdistrictCode: '310105002',
  usualHeadcount: 86,
});

// 10:00 in the city on 12 Feb 2020.
const clock = new ManualClock('2020-02-12T02:00:00Z');
let database: TestDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
let measures: string[];
const eventCount = async () => Number(await store.headPosition());
const allInPlace = () => measures.map((measureCode) => ({ measureCode, inPlace: true }));
const declaration = (declarationId: string, checklist = allInPlace()) => ({
  declarationId,
  plannedReopeningDate: '2020-02-13',
  checklist,
  workforcePlan: { onSite: 30, rotating: 20, remote: 36 },
  returneesInObservation: 7,
});

beforeAll(async () => {
  database = await createTestDatabase('er_api');
  store = new PostgresEventStore(database.db);
  await store.migrate();
  app = await createEnterpriseReopeningApp({
    eventStore: withContractValidation(store),
    jwtSecret: SECRET,
    logLevel: 'silent',
    clock: () => clock.now(),
    db: database.db,
    scheduling: { db: database.db, clock, pollIntervalMs: 50 },
  });
  await initHttpApp(app);
  http = request(app.getHttpServer());
  measures = (await http.get('/industries/software-it-services/guideline').set(as('firm')).expect(200)).body.measures.map((m: { code: string }) => m.code);
}, 180_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  await database?.drop();
});

it('seeds a guideline of at least 12 industries, version 1 each', async () => {
  const industries = await http.get('/industries').set(as('staff')).expect(200);
  expect(industries.body.length).toBeGreaterThanOrEqual(12);
  expect(industries.body.every((i: { guidelineVersion: number }) => i.guidelineVersion === 1)).toBe(true);
  expect(measures).toEqual(expect.arrayContaining(['entry-temperature-check', 'masks', 'hand-disinfection']));
});

it('an enterprise goes from registration through rectification to reopening and daily reports, with corrections kept', async () => {
  await http.post('/enterprises').set(as('staff')).send(profile(FIRM)).expect(201);
  const missing = await http
    .post(`/enterprises/${FIRM}/declarations`)
    .set(as('firm'))
    .send(declaration('d-1', allInPlace().slice(2)))
    .expect(409);
  expect(missing.body).toMatchObject({ rule: 'checklist-incomplete', message: expect.stringContaining(`${measures[0]}, ${measures[1]}`) });
  await http.post(`/enterprises/${FIRM}/declarations`).set(as('firm')).send(declaration('d-1')).expect(201);
  await http.post(`/enterprises/${FIRM}/declarations`).set(as('firm')).send(declaration('d-1')).expect(200);
  await http
    .post(`/enterprises/${FIRM}/inspections`)
    .set(as('inspector'))
    .send({
      inspectionId: 'i-1',
      declarationId: 'd-1',
      outcome: 'rectification-required',
      rectificationItems: ['ventilation'],
      rectificationDueDate: '2020-02-14',
    })
    .expect(201);
  await http.post(`/enterprises/${FIRM}/reopening`).set(as('firm')).expect(409);
  await http
    .post(`/enterprises/${FIRM}/rectifications`)
    .set(as('firm'))
    .send({ declarationId: 'd-1', rectifiedItems: ['ventilation'] })
    .expect(201);
  await http.post(`/enterprises/${FIRM}/inspections`).set(as('inspector')).send({ inspectionId: 'i-2', declarationId: 'd-1', outcome: 'passed' }).expect(201);
  const decided = await http
    .post(`/enterprises/${FIRM}/inspections`)
    .set(as('inspector'))
    .send({ inspectionId: 'i-3', declarationId: 'd-1', outcome: 'suspended' })
    .expect(409);
  expect(decided.body.rule).toBe('declaration-already-decided');
  await http.post(`/enterprises/${FIRM}/reopening`).set(as('firm')).expect(200);
  await http
    .post(`/enterprises/${FIRM}/daily-reports`)
    .set(as('firm'))
    .send({ reportDate: '2020-02-12', onSiteHeadcount: 38, capacityPercent: 50 })
    .expect(201);
  await http
    .post(`/enterprises/${FIRM}/daily-reports`)
    .set(as('firm'))
    .send({ reportDate: '2020-02-12', onSiteHeadcount: 41, capacityPercent: 55 })
    .expect(201);
  const future = await http
    .post(`/enterprises/${FIRM}/daily-reports`)
    .set(as('firm'))
    .send({ reportDate: '2020-02-13', onSiteHeadcount: 41, capacityPercent: 55 })
    .expect(409);
  expect(future.body.rule).toBe('report-for-future-day');
  const read = await http.get(`/enterprises/${FIRM}`).set(as('firm')).expect(200);
  expect(read.body).toMatchObject({ reopeningStatus: 'reopened', reopenedOn: '2020-02-12', declaration: { guidelineVersion: 1, inspections: 2 } });
  expect(read.body.dailyReports[0]).toMatchObject({
    reportDate: '2020-02-12',
    onSiteHeadcount: 41,
    revision: 2,
    history: [{ onSiteHeadcount: 38 }, { onSiteHeadcount: 41 }],
  });
});

it('a new guideline version applies to declarations made after it; the earlier one keeps its version', async () => {
  const current = (await http.get('/industries/software-it-services/guideline').set(as('commission')).expect(200)).body;
  const next = {
    title: `${current.title} (2nd edition)`,
    measures: [...current.measures, { code: 'temporary-observation-room', requirement: 'A room set aside to separate anyone who falls ill at work' }],
  };
  await http.post('/industries/software-it-services/guideline/versions').set(as('commission')).send(next).expect(201);
  await http.post('/enterprises').set(as('commission')).send(profile(OTHER_FIRM)).expect(201);
  const stale = await http.post(`/enterprises/${OTHER_FIRM}/declarations`).set(as('otherFirm')).send(declaration('d-2')).expect(409);
  expect(stale.body.message).toMatch(/v2 not in place: temporary-observation-room$/);
  await http
    .post(`/enterprises/${OTHER_FIRM}/declarations`)
    .set(as('otherFirm'))
    .send(declaration('d-2', [...allInPlace(), { measureCode: 'temporary-observation-room', inPlace: true }]))
    .expect(201);
  expect((await http.get(`/enterprises/${OTHER_FIRM}`).set(as('staff')).expect(200)).body.declaration.guidelineVersion).toBe(2);
  expect((await http.get(`/enterprises/${FIRM}`).set(as('staff')).expect(200)).body.declaration.guidelineVersion).toBe(1);
});

it('an appeal is routed with a due time, escalated by the scheduler when overdue, answered, closed and reopened', async () => {
  const filed = await http
    .post(`/enterprises/${FIRM}/appeals`)
    .set(as('firm'))
    .send({ appealId: 'a-1', category: 'staff-shortage', subject: 'Engineers stuck in Hubei' })
    .expect(201);
  expect(filed.body.dueAt).toBe('2020-02-15T02:00:00.000Z');
  clock.advance(73 * 3600_000);
  const escalated = await eventually(async () => {
    const a = await http.get('/appeals/a-1').set(as('staff')).expect(200);
    return a.body.escalated ? a.body : undefined;
  });
  expect(escalated).toMatchObject({ department: 'human-resources-social-security', status: 'open' });
  await http.post('/appeals/a-1/close').set(as('firm')).send({ resolved: true }).expect(409);
  await http.post('/appeals/a-1/answer').set(as('commission')).send({ answer: 'Remote staff count for the subsidy' }).expect(200);
  await http.post('/appeals/a-1/close').set(as('firm')).send({ resolved: false }).expect(200);
  const reopened = await http.post('/appeals/a-1/reopen').set(as('firm')).send({ reason: 'The portal refuses us' }).expect(200);
  expect(Date.parse(reopened.body.dueAt)).toBeGreaterThan(Date.parse(filed.body.dueAt));
  const history = (await http.get('/appeals/a-1').set(as('firm')).expect(200)).body.history.map((h: { type: string }) => h.type);
  expect(history).toEqual(['AppealFiled', 'AppealEscalated', 'AppealAnswered', 'AppealClosed', 'AppealReopened']);
});

it('refuses with 400 (field named), 403 (counted), 404 and 409 (rule named), appending nothing', async () => {
  const before = await eventCount();
  const bad = await http
    .post('/enterprises')
    .set(as('staff'))
    .send({ ...profile('91310105MA1FL3KX0Z'), usualHeadcount: -1, industryCode: 'space-tourism' })
    .expect(400);
  expect(Object.keys(bad.body.fields).sort()).toEqual(['industryCode', 'usualHeadcount']);
  const check = await http.post('/enterprises').set(as('staff')).send(profile('91310105MA1FL3KX0L')).expect(409);
  expect(check.body.rule).toBe('invalid-credit-code');
  const notInGuideline = await http
    .post(`/enterprises/${FIRM}/inspections`)
    .set(as('inspector'))
    .send({ inspectionId: 'i-9', declarationId: 'd-9', outcome: 'passed' })
    .expect(404);
  expect(notInGuideline.body.error).toBe('not_found');
  const negative = await http
    .post(`/enterprises/${FIRM}/daily-reports`)
    .set(as('firm'))
    .send({ reportDate: '2020-02-12', onSiteHeadcount: -3, capacityPercent: 50 })
    .expect(400);
  expect(Object.keys(negative.body.fields)).toEqual(['onSiteHeadcount']);
  await http
    .post(`/enterprises/${FIRM}/daily-reports`)
    .set(as('otherFirm'))
    .send({ reportDate: '2020-02-12', onSiteHeadcount: 3, capacityPercent: 5 })
    .expect(403);
  await http
    .post(`/enterprises/${OTHER_FIRM}/inspections`)
    .set(as('farInspector'))
    .send({ inspectionId: 'i-8', declarationId: 'd-2', outcome: 'passed' })
    .expect(403);
  await http.post('/enterprises').set(as('health')).send(profile('91110108551385082Q')).expect(403);
  await http.get('/enterprises/91110108551385082Q').set(as('staff')).expect(404);
  expect(await eventCount()).toBe(before);
  const metrics = await http.get('/metrics').expect(200);
  expect(metrics.text).toMatch(/city_auth_refusals_total\{[^}]*reason="wrong_department"[^}]*\} [1-9]/);
  expect(metrics.text).toMatch(/city_auth_refusals_total\{[^}]*reason="other_district"[^}]*\} [1-9]/);
});
