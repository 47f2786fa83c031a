import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { creditCodeCheckCharacter } from '@city/contracts';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { ManualClock } from '@city/scheduler';
import { initHttpApp } from '@city/service-kit';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { REOPENING_READ_MODEL } from '../application/reopening-read-model';
import { createEnterpriseReopeningApp } from '../enterprise-reopening-app';

/**
 * The inspectors' queue and an enterprise's appeals over real HTTP, from the service's read
 * model on the real PostgreSQL server: what waits where, oldest first, who may see it, and a
 * restart that reads on from the stored checkpoint instead of replaying history.
 */

const SECRET = 'enterprise-reopening-queue-spec-secret-0123456789abcdef';
const creditCode = (n: number) => {
  const first17 = `91310105MA1QQ${String(n).padStart(4, '0')}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
};
const A = creditCode(1); // Changning, Jiangsu Road: declares first
const B = creditCode(2); // Changning, another subdistrict: declares second
const C = creditCode(3); // Putuo: another district
const D = creditCode(4); // Changning: registered, never declares
const actors = {
  firmA: { sub: A, role: 'enterprise' },
  firmB: { sub: B, role: 'enterprise' },
  firmC: { sub: C, role: 'enterprise' },
  inspector: { sub: 'inspector-wang', role: 'field-official', district: '310105', subdistrict: '310105002', department: 'enterprise-reopening' },
  farInspector: { sub: 'inspector-zhao', role: 'field-official', district: '310107', subdistrict: '310107017', department: 'enterprise-reopening' },
  commission: { sub: 'eic-desk', role: 'department', department: 'enterprise-reopening' },
  health: { sub: 'health-desk', role: 'department', department: 'traveller-health' },
} satisfies Record<string, Actor>;
const as = (name: keyof typeof actors) => ({ Authorization: `Bearer ${issueToken(actors[name], SECRET)}` });
const profile = (code: string, districtCode: string, subdistrictCode: string) => ({
  creditCode: code,
  name: `Enterprise ${code.slice(-4)}`,
  industryCode: 'software-it-services',
  size: 'small',
  districtCode,
  subdistrictCode,
  usualHeadcount: 86,
});

// 10:00 in the city on 12 Feb 2020.
const clock = new ManualClock('2020-02-12T02:00:00Z');
let database: TestDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
let measures: string[];
const declaration = (declarationId: string) => ({
  declarationId,
  plannedReopeningDate: '2020-02-14',
  checklist: measures.map((measureCode) => ({ measureCode, inPlace: true })),
  workforcePlan: { onSite: 30, rotating: 20, remote: 36 },
  returneesInObservation: 0,
});
const queueOf = async (who: keyof typeof actors, query = '') => (await http.get(`/inspection-queue${query}`).set(as(who)).expect(200)).body;
const codes = (entries: { creditCode: string }[]) => entries.map((e) => e.creditCode);

async function startApp(): Promise<void> {
  app = await createEnterpriseReopeningApp({
    eventStore: withContractValidation(store),
    db: database.db,
    jwtSecret: SECRET,
    logLevel: 'silent',
    clock: () => clock.now(),
  });
  await initHttpApp(app);
  http = request(app.getHttpServer());
}

beforeAll(async () => {
  database = await createTestDatabase('er_queue');
  store = new PostgresEventStore(database.db);
  await store.migrate();
  await startApp();
  measures = (await http.get('/industries/software-it-services/guideline').set(as('commission')).expect(200)).body.measures.map(
    (m: { code: string }) => m.code,
  );
  for (const [code, district, subdistrict] of [
    [A, '310105', '310105002'],
    [B, '310105', '310105003'],
    [C, '310107', '310107017'],
    [D, '310105', '310105002'],
  ]) {
    await http
      .post('/enterprises')
      .set(as('commission'))
      .send(profile(code, district, subdistrict))
      .expect(201);
  }
  await http.post(`/enterprises/${A}/declarations`).set(as('firmA')).send(declaration('d-a')).expect(201);
  clock.advance(3600_000);
  await http.post(`/enterprises/${B}/declarations`).set(as('firmB')).send(declaration('d-b')).expect(201);
  await http.post(`/enterprises/${C}/declarations`).set(as('firmC')).send(declaration('d-c')).expect(201);
}, 180_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  await database?.drop();
});

it("shows an inspector their district's declarations, oldest first, with the measures to check", async () => {
  const queue = await queueOf('inspector');
  expect(codes(queue.toInspect)).toEqual([A, B]);
  expect(queue.toInspect[0]).toMatchObject({
    name: `Enterprise ${A.slice(-4)}`,
    reopeningStatus: 'declared',
    declarationId: 'd-a',
    plannedReopeningDate: '2020-02-14',
    guidelineVersion: 1,
    confirmedMeasures: measures,
    rounds: 0,
    waitingSince: '2020-02-12T02:00:00.000Z',
  });
  expect(queue.rectificationsDue).toEqual([]);
  expect(codes((await queueOf('inspector', '?subdistrictCode=310105003')).toInspect)).toEqual([B]);
  expect(codes((await queueOf('commission')).toInspect)).toEqual([A, B, C]);
  expect(codes((await queueOf('commission', '?districtCode=310107')).toInspect)).toEqual([C]);
});

it('moves enterprises between the lists as they are inspected, rectify and pass; rectifications due earliest first, overdue marked', async () => {
  const inspect = (code: string, body: object) => http.post(`/enterprises/${code}/inspections`).set(as('inspector')).send(body).expect(201);
  await inspect(A, {
    inspectionId: 'i-a1',
    declarationId: 'd-a',
    outcome: 'rectification-required',
    rectificationItems: ['ventilation'],
    rectificationDueDate: '2020-02-15',
  });
  await inspect(B, {
    inspectionId: 'i-b1',
    declarationId: 'd-b',
    outcome: 'rectification-required',
    rectificationItems: ['masks'],
    rectificationDueDate: '2020-02-13',
  });
  let queue = await queueOf('inspector');
  expect(queue.toInspect).toEqual([]);
  expect(codes(queue.rectificationsDue)).toEqual([B, A]);
  expect(queue.rectificationsDue[0]).toMatchObject({ rectificationItems: ['masks'], rectificationDueDate: '2020-02-13', overdue: false, rounds: 1 });

  clock.advance(2 * 86_400_000); // 14 Feb in the city: B's due day has passed
  await http
    .post(`/enterprises/${A}/rectifications`)
    .set(as('firmA'))
    .send({ declarationId: 'd-a', rectifiedItems: ['ventilation'] })
    .expect(201);
  queue = await queueOf('inspector');
  expect(queue.today).toBe('2020-02-14');
  expect(queue.toInspect).toEqual([expect.objectContaining({ creditCode: A, reopeningStatus: 'rectification-submitted', rounds: 1 })]);
  expect(queue.rectificationsDue).toEqual([expect.objectContaining({ creditCode: B, overdue: true })]);

  await inspect(A, { inspectionId: 'i-a2', declarationId: 'd-a', outcome: 'passed' });
  queue = await queueOf('inspector');
  expect(queue.toInspect).toEqual([]);
  expect(codes(queue.rectificationsDue)).toEqual([B]);
});

it('refuses the queue to an enterprise, another district and another department (403, with the reason), and bad parameters (400, field named)', async () => {
  const firm = await http.get('/inspection-queue').set(as('firmA')).expect(403);
  expect(firm.body.reason).toBe('other_district');
  const far = await http.get('/inspection-queue?districtCode=310105').set(as('farInspector')).expect(403);
  expect(far.body.reason).toBe('other_district');
  const health = await http.get('/inspection-queue').set(as('health')).expect(403);
  expect(health.body.reason).toBe('wrong_department');
  const bad = await http.get('/inspection-queue?limit=0&districtCode=31010').set(as('commission')).expect(400);
  expect(Object.keys(bad.body.fields).sort()).toEqual(['districtCode', 'limit']);
  await http.get('/inspection-queue').expect(401);
});

it("lists an enterprise's appeals with their department, due time and answer, to the enterprise and its district only", async () => {
  const filed = await http
    .post(`/enterprises/${A}/appeals`)
    .set(as('firmA'))
    .send({ appealId: 'ap-1', category: 'cash-flow', subject: 'Rent for February' })
    .expect(201);
  await http.post('/appeals/ap-1/answer').set(as('commission')).send({ answer: 'Rent relief applies to state-owned premises' }).expect(200);
  const list = (await http.get(`/enterprises/${A}/appeals`).set(as('firmA')).expect(200)).body;
  expect(list).toEqual([
    expect.objectContaining({
      appealId: 'ap-1',
      status: 'answered',
      answer: 'Rent relief applies to state-owned premises',
      department: 'finance-bureau',
      departmentName: 'Finance Bureau',
      departmentNameZh: '市财政局',
      dueAt: filed.body.dueAt,
      escalated: false,
    }),
  ]);
  expect((await http.get(`/enterprises/${A}/appeals`).set(as('inspector')).expect(200)).body).toHaveLength(1);
  expect((await http.get(`/enterprises/${B}/appeals`).set(as('firmB')).expect(200)).body).toEqual([]);
  await http.get(`/enterprises/${A}/appeals`).set(as('firmB')).expect(403);
  await http.get(`/enterprises/${A}/appeals`).set(as('farInspector')).expect(403);
  await http
    .get(`/enterprises/${creditCode(9)}/appeals`)
    .set(as('commission'))
    .expect(404);
});

it('keeps its checkpoint: a restarted service reads on from it and answers at once', async () => {
  const head = await store.headPosition();
  await queueOf('commission');
  const stored = async () =>
    (await database.db.query<{ position: string }>('SELECT position::text FROM projection_positions WHERE projection = $1', [REOPENING_READ_MODEL])).rows.map(
      (r) => BigInt(r.position),
    );
  expect(await stored()).toEqual([head]);
  await app.close();
  // The tables and the checkpoint stay; a fresh start applies only what is new.
  await startApp();
  await http.post(`/enterprises/${D}/declarations`).set(as('commission')).send(declaration('d-d')).expect(201);
  expect(codes((await queueOf('inspector')).toInspect)).toEqual([D]);
  expect(await stored()).toEqual([await store.headPosition()]);
});
