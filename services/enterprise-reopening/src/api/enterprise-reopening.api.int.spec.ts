import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { ManualClock } from '@city/scheduler';
import { addDays, cityDayOf } from '@city/city-time';
import { initHttpApp } from '@city/service-kit';
import {
  createTestDatabase,
  eventually,
  fireHostileBurst,
  hostileCasesFor,
  INJECTION_STRINGS,
  type CommandRoute,
  type HostileCase,
  type TestDatabase,
} from '@city/testing';
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

describe('a burst of hostile requests on every command route', () => {
  it('answers each with a 4xx naming the field or rule, never 500; appends nothing; the service stays well', async () => {
    // A suspended enterprise: it may not report itself reopened.
    // The scheduler's test moved the clock on: days are the clock's, measures the guideline's in force.
    const today = cityDayOf(clock.now());
    const tomorrow = addDays(today, 1);
    const guideline = (await http.get('/industries/software-it-services/guideline').set(as('commission')).expect(200)).body;
    const checklist = guideline.measures.map((m: { code: string }) => ({ measureCode: m.code, inPlace: true }));
    const declaring = (declarationId: string, change: object = {}) =>
      JSON.stringify({ ...declaration(declarationId, checklist), plannedReopeningDate: today, ...change });
    const SUSPENDED = '91310105MA1FL5BR2N';
    await http.post('/enterprises').set(as('commission')).send(profile(SUSPENDED)).expect(201);
    await http.post(`/enterprises/${SUSPENDED}/declarations`).set(as('commission')).set('Content-Type', 'application/json').send(declaring('d-s')).expect(201);
    await http
      .post(`/enterprises/${SUSPENDED}/inspections`)
      .set(as('inspector'))
      .send({ inspectionId: 'i-s', declarationId: 'd-s', outcome: 'suspended' })
      .expect(201);
    await http.post(`/enterprises/${FIRM}/appeals`).set(as('firm')).send({ appealId: 'a-open', category: 'cash-flow', subject: 'Rent due' }).expect(201);
    const before = await eventCount();

    const post = (path: string, actor: keyof typeof actors) => (text?: string) => {
      const req = http.post(path).set(as(actor)).set('Content-Type', 'application/json');
      return text === undefined ? req : req.send(text);
    };
    const er = `/enterprises/${FIRM}`;
    // A body each route would take: the variants are made from them, and bad ids are sent with them.
    const valid = {
      declarations: JSON.parse(declaring('d-burst')) as Record<string, unknown>,
      inspections: {
        inspectionId: 'i-burst',
        declarationId: 'd-1',
        outcome: 'rectification-required',
        rectificationItems: ['ventilation'],
        rectificationDueDate: tomorrow,
        findings: 'x',
      },
      rectifications: { declarationId: 'd-1', rectifiedItems: ['ventilation'], note: 'Fans fitted' },
      'daily-reports': { reportDate: today, onSiteHeadcount: 40, capacityPercent: 50 },
      surveys: { surveyId: 'survey-burst', difficulties: ['cash-flow'], staffShortfall: 3, cashFlowMonths: 2, preventionSuppliesDays: 10, note: 'x' },
      appeals: { appealId: 'a-burst', category: 'cash-flow', subject: 'Rent', details: 'Two months due' },
      answer: { answer: 'Apply for the rent waiver' },
      close: { resolved: true },
      reopen: { reason: 'Still refused' },
      guideline: { title: guideline.title, measures: [{ code: 'ventilation', requirement: 'Open windows', requirementZh: '开窗通风', timesPerDay: 3 }] },
    };
    const routes: CommandRoute[] = [
      { route: 'POST /enterprises', valid: { ...profile('91110108551385082Q'), officeBuildingUnitId: 'office-a' }, send: post('/enterprises', 'staff') },
      { route: 'POST declarations', valid: valid.declarations, send: post(`${er}/declarations`, 'firm') },
      { route: 'POST inspections', valid: valid.inspections, send: post(`${er}/inspections`, 'inspector') },
      { route: 'POST rectifications', valid: valid.rectifications, send: post(`${er}/rectifications`, 'firm') },
      { route: 'POST daily-reports', valid: valid['daily-reports'], send: post(`${er}/daily-reports`, 'firm') },
      { route: 'POST surveys', valid: valid.surveys, send: post(`${er}/surveys`, 'firm') },
      { route: 'POST appeals', valid: valid.appeals, send: post(`${er}/appeals`, 'firm') },
      { route: 'POST appeal answer', valid: valid.answer, send: post('/appeals/a-open/answer', 'commission') },
      { route: 'POST appeal close', valid: valid.close, send: post('/appeals/a-1/close', 'firm') },
      { route: 'POST appeal reopen', valid: valid.reopen, send: post('/appeals/a-1/reopen', 'firm') },
      { route: 'POST guideline versions', valid: valid.guideline, send: post('/industries/software-it-services/guideline/versions', 'commission') },
    ];
    const cases: HostileCase[] = routes.flatMap(hostileCasesFor);

    // Bad ids in every path, bad tokens.
    const enterpriseRoutes = ['declarations', 'inspections', 'rectifications', 'reopening', 'daily-reports', 'surveys', 'appeals'] as const;
    const body = (r: string) => (r in valid ? JSON.stringify(valid[r as keyof typeof valid]) : undefined);
    for (const s of [...INJECTION_STRINGS, FIRM.toLowerCase(), `${FIRM}0`, 'x'.repeat(2000)]) {
      for (const r of enterpriseRoutes) {
        cases.push({
          label: `POST /enterprises/${s.slice(0, 20)}/${r}`,
          send: () => post(`/enterprises/${encodeURIComponent(s)}/${r}`, 'commission')(body(r)),
          status: 400,
          field: 'creditCode',
        });
      }
      for (const r of ['answer', 'close', 'reopen']) {
        // A well-formed appeal id that names no appeal is a 404; anything else is no id at all.
        const expected = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/.test(s) ? { status: 404 } : { status: 400, field: 'appealId' };
        cases.push({
          label: `POST /appeals/${s.slice(0, 20)}/${r}`,
          send: () => post(`/appeals/${encodeURIComponent(s)}/${r}`, 'commission')(body(r)),
          ...expected,
        });
      }
      cases.push({
        label: `guideline of ${s.slice(0, 20)}`,
        send: () => post(`/industries/${encodeURIComponent(s)}/guideline/versions`, 'commission')(body('guideline')),
        status: 400,
        field: 'industryCode',
      });
      cases.push({
        label: `bearer ${s.slice(0, 20)}`,
        send: () => http.post(`${er}/reopening`).set('Authorization', `Bearer ${encodeURIComponent(s)}`),
        status: 401,
      });
    }

    // The issue's bad input, each with the field or rule it must name.
    const push = (label: string, send: () => PromiseLike<{ status: number; body: unknown }>, expected: Partial<HostileCase>) =>
      cases.push({ label, send, ...expected });
    for (const code of ['91310105MA1FL3KX0L', '91310105MA1FL3KXOK', '91310105MA1FL3KX0Z', '00000000000000000Z']) {
      push(`a credit code ${code} with a wrong check character or letter`, () => post('/enterprises', 'staff')(JSON.stringify(profile(code))), {
        status: 409,
        rule: 'invalid-credit-code',
      });
    }
    push('an unknown industry', () => post('/enterprises', 'staff')(JSON.stringify({ ...profile('91110108551385082Q'), industryCode: 'space-tourism' })), {
      status: 400,
      field: 'industryCode',
    });
    push('a usual headcount below zero', () => post('/enterprises', 'staff')(JSON.stringify({ ...profile('91110108551385082Q'), usualHeadcount: -1 })), {
      status: 400,
      field: 'usualHeadcount',
    });
    push(
      'a subdistrict outside the district',
      () => post('/enterprises', 'staff')(JSON.stringify({ ...profile('91110108551385082Q'), subdistrictCode: '310107017' })),
      {
        status: 409,
        rule: 'subdistrict-outside-district',
      },
    );
    push('an unknown district', () => post('/enterprises', 'commission')(JSON.stringify({ ...profile('91110108551385082Q'), districtCode: '999999' })), {
      status: 400,
      field: 'districtCode',
    });
    push(
      'a checklist item not in the guideline',
      () =>
        post(
          `/enterprises/${SUSPENDED}/declarations`,
          'commission',
        )(declaring('d-x', { checklist: [...checklist, { measureCode: 'lucky-charms', inPlace: true }] })),
      {
        status: 409,
        rule: 'measure-not-in-guideline',
      },
    );
    push(
      'a checklist with a measure missing',
      () => post(`/enterprises/${SUSPENDED}/declarations`, 'commission')(declaring('d-x', { checklist: checklist.slice(1) })),
      {
        status: 409,
        rule: 'checklist-incomplete',
      },
    );
    push(
      'a planned reopening in the past',
      () => post(`/enterprises/${SUSPENDED}/declarations`, 'commission')(declaring('d-x', { plannedReopeningDate: '2020-02-01' })),
      {
        status: 409,
        rule: 'day-in-the-past',
      },
    );
    push(
      'a planned reopening on a day that does not exist',
      () => post(`/enterprises/${SUSPENDED}/declarations`, 'commission')(declaring('d-x', { plannedReopeningDate: '2020-02-30' })),
      {
        status: 400,
        field: 'plannedReopeningDate',
      },
    );
    push('a workforce below zero', () => post(`${er}/declarations`, 'firm')(declaring('d-x', { workforcePlan: { onSite: -1, rotating: 0, remote: 0 } })), {
      status: 400,
      field: 'workforcePlan',
    });
    const report = (reportDate: string, onSiteHeadcount = 40) => JSON.stringify({ reportDate, onSiteHeadcount, capacityPercent: 50 });
    push('a headcount below zero', () => post(`${er}/daily-reports`, 'firm')(report(today, -3)), { status: 400, field: 'onSiteHeadcount' });
    push('a fraction of a person', () => post(`${er}/daily-reports`, 'firm')(report(today, 2.5)), { status: 400, field: 'onSiteHeadcount' });
    push('a report for a future day', () => post(`${er}/daily-reports`, 'firm')(report(tomorrow)), { status: 409, rule: 'report-for-future-day' });
    push('a report for a day far ahead', () => post(`${er}/daily-reports`, 'firm')(report('2031-02-13')), { status: 409, rule: 'report-for-future-day' });
    push('a report of an enterprise not reopened', () => post(`/enterprises/${OTHER_FIRM}/daily-reports`, 'otherFirm')(report(today)), {
      status: 409,
      rule: 'enterprise-not-reopened',
    });
    push(
      'an inspection of a declaration already decided',
      () => post(`${er}/inspections`, 'inspector')(JSON.stringify({ inspectionId: 'i-x', declarationId: 'd-1', outcome: 'suspended' })),
      {
        status: 409,
        rule: 'declaration-already-decided',
      },
    );
    push(
      'an inspection of an unknown declaration',
      () => post(`${er}/inspections`, 'inspector')(JSON.stringify({ inspectionId: 'i-x', declarationId: 'd-none', outcome: 'passed' })),
      { status: 404 },
    );
    push(
      'an inspection in another district',
      () => post(`${er}/inspections`, 'farInspector')(JSON.stringify({ inspectionId: 'i-x', declarationId: 'd-1', outcome: 'passed' })),
      { status: 403 },
    );
    push('a suspended enterprise reporting itself reopened', () => post(`/enterprises/${SUSPENDED}/reopening`, 'commission')(), {
      status: 409,
      rule: 'enterprise-suspended',
    });
    push('another enterprise reporting for this one', () => post(`${er}/daily-reports`, 'otherFirm')(report(today)), { status: 403 });
    push('an unknown enterprise', () => post('/enterprises/91110108551385082Q/reopening', 'commission')(), { status: 404 });
    push('closing an appeal not answered', () => post('/appeals/a-open/close', 'firm')(JSON.stringify({ resolved: true })), {
      status: 409,
      rule: 'appeal-not-answered',
    });
    push('answering an unknown appeal', () => post('/appeals/a-none/answer', 'commission')(JSON.stringify({ answer: 'x' })), { status: 404 });
    push(
      'an appeal to an unknown department',
      () => post(`${er}/appeals`, 'firm')(JSON.stringify({ appealId: 'a-x', category: 'cash-flow', subject: 'x', department: 'ministry-of-magic' })),
      {
        status: 400,
        field: 'department',
      },
    );
    push(
      'a guideline naming a measure twice',
      () =>
        post(
          '/industries/software-it-services/guideline/versions',
          'commission',
        )(
          JSON.stringify({
            title: 'x',
            measures: [
              { code: 'masks', requirement: 'a' },
              { code: 'masks', requirement: 'b' },
            ],
          }),
        ),
      {
        status: 409,
        rule: 'duplicate-measure',
      },
    );
    push(
      'a guideline issued by an enterprise',
      () =>
        post('/industries/software-it-services/guideline/versions', 'firm')(JSON.stringify({ title: 'x', measures: [{ code: 'masks', requirement: 'a' }] })),
      {
        status: 403,
      },
    );
    expect(cases.length).toBeGreaterThan(600);

    const burst = await fireHostileBurst(cases);
    expect(burst.problems).toEqual([]);
    expect(await eventCount()).toBe(before);
    await http.get('/health/live').expect(200);
    // Still serving: a good daily report after the burst is recorded.
    await http.post(`${er}/daily-reports`).set(as('firm')).set('Content-Type', 'application/json').send(report(today, 44)).expect(201);
  }, 300_000);
});

it('documents the credit code of an enterprise route once, with its shape, where the acceptance walk checks it', async () => {
  const doc = await http.get('/docs-json').expect(200);
  for (const route of ['declarations', 'daily-reports', 'inspections', 'reopening']) {
    const params = doc.body.paths[`/enterprises/{creditCode}/${route}`].post.parameters.filter((p: { name: string }) => p.name === 'creditCode');
    expect(params).toEqual([expect.objectContaining({ in: 'path', required: true, schema: expect.objectContaining({ pattern: expect.any(String) }) })]);
  }
});
