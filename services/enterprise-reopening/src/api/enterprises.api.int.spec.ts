import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { initHttpApp } from '@city/service-kit';
import { PgliteDatabase } from '@city/sql';
import { createEnterpriseReopeningApp } from '../enterprise-reopening-app';

/**
 * The enterprise registration API over real HTTP (supertest), on the real Nest app and the
 * PostgreSQL event store in-process on PGlite: a registration and its retry, refusals
 * and bad input with nothing appended, and the query.
 */

const SECRET = 'enterprise-reopening-api-spec-secret-0123456789abcdef';
const staff: Actor = { sub: 'staff-chen', role: 'district-staff', district: '310105' };
const otherStaff: Actor = { sub: 'staff-xu', role: 'district-staff', district: '310107' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });
const firm = {
  creditCode: '91310105MA1FL3KX0K',
  name: 'Shanghai Yuyuan Software Co., Ltd.',
  industryCode: 'software-it-services',
  size: 'small',
  districtCode: '310105',
  subdistrictCode: '310105002',
  usualHeadcount: 86,
};

let db: PgliteDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
const eventCount = async () => Number(await store.headPosition());

beforeAll(async () => {
  db = new PgliteDatabase();
  store = new PostgresEventStore(db);
  await store.migrate();
  app = await createEnterpriseReopeningApp({
    eventStore: withContractValidation(store),
    jwtSecret: SECRET,
    logLevel: 'silent',
    clock: () => new Date('2020-02-12T02:00:00Z'),
  });
  await initHttpApp(app);
  http = request(app.getHttpServer());
}, 180_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  await db?.close();
});

it('201 registers an enterprise; a retry answers 200 and appends nothing; it reads back not yet declared', async () => {
  const first = await http.post('/enterprises').set(as(staff)).send(firm).expect(201);
  expect(first.body).toEqual({ creditCode: firm.creditCode, streamId: `enterprise-reopening.enterprise-${firm.creditCode}`, version: 0, eventsAppended: 1 });
  const before = await eventCount();
  const retry = await http.post('/enterprises').set(as(staff)).send(firm).expect(200);
  expect(retry.body).toEqual({ ...first.body, eventsAppended: 0 });
  expect(await eventCount()).toBe(before);
  const read = await http.get(`/enterprises/${firm.creditCode}`).set(as(staff)).expect(200);
  expect(read.body).toMatchObject({ reopeningStatus: 'not-declared', size: 'small', usualHeadcount: 86, officeBuildingUnitId: null, version: 0 });
});

it('4xx with the field or rule named for bad input, another district, a wrong check character, a second enterprise; nothing appended', async () => {
  const before = await eventCount();
  const invalid = await http
    .post('/enterprises')
    .set(as(staff))
    .send({ ...firm, usualHeadcount: -1, industryCode: 'space-tourism' })
    .expect(400);
  expect(Object.keys(invalid.body.fields).sort()).toEqual(['industryCode', 'usualHeadcount']);
  await http.post('/enterprises').set(as(otherStaff)).send(firm).expect(403);
  const check = await http
    .post('/enterprises')
    .set(as(staff))
    .send({ ...firm, creditCode: '91310105MA1FL3KX0L' })
    .expect(409);
  expect(check.body.rule).toBe('invalid-credit-code');
  const taken = await http
    .post('/enterprises')
    .set(as(staff))
    .send({ ...firm, name: 'Another Co.' })
    .expect(409);
  expect(taken.body.rule).toBe('enterprise-already-registered');
  await http.get('/enterprises/91350100M000100Y43').set(as(staff)).expect(404);
  expect(await eventCount()).toBe(before);
});
