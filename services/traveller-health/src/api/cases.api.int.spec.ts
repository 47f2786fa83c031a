import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { PgliteDatabase } from '@city/sql';
import { createTravellerHealthApp } from '../traveller-health-app';

/**
 * The traveller-health HTTP API over real HTTP (supertest), on the real Nest app and the
 * PostgreSQL event store in-process on PGlite: a command and its retry, refusals
 * and bad input with nothing appended, and the query.
 */

const SECRET = 'traveller-health-api-spec-secret-0123456789abcdef';
const staff: Actor = { sub: 'staff-chen', role: 'district-staff', district: '310105' };
const otherStaff: Actor = { sub: 'staff-xu', role: 'district-staff', district: '310107' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });
const opening = { caseId: 'case-0001', districtCode: '310105', subdistrictCode: '310105002', subject: 'First case' };

let db: PgliteDatabase;
let store: PostgresEventStore;
let app: NestExpressApplication;
let http: ReturnType<typeof request>;
const eventCount = async () => Number(await store.headPosition());

// PGlite compiling its WASM build and the Nest app starting: seconds when idle, a minute or more on a loaded machine.
beforeAll(async () => {
  db = new PgliteDatabase();
  store = new PostgresEventStore(db);
  await store.migrate();
  app = await createTravellerHealthApp({
    eventStore: withContractValidation(store),
    jwtSecret: SECRET,
    logLevel: 'silent',
    clock: () => new Date('2020-02-12T02:00:00Z'),
  });
  await app.init();
  http = request(app.getHttpServer());
}, 180_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  await db?.close();
});

it('201 opens a case; a retry answers 200 and appends nothing; the case reads back', async () => {
  const first = await http.post('/cases').set(as(staff)).send(opening).expect(201);
  expect(first.body).toEqual({ caseId: 'case-0001', streamId: 'traveller-health.case-case-0001', version: 0, eventsAppended: 1 });
  const before = await eventCount();
  const retry = await http.post('/cases').set(as(staff)).send(opening).expect(200);
  expect(retry.body).toEqual({ ...first.body, eventsAppended: 0 });
  expect(await eventCount()).toBe(before);
  const read = await http.get('/cases/case-0001').set(as(staff)).expect(200);
  expect(read.body).toMatchObject({ status: 'open', subject: 'First case', openedAt: '2020-02-12T02:00:00.000Z', closedAt: null, version: 0 });
});

it('4xx with the reason for bad input, another district, a taken id and an unknown case; nothing appended', async () => {
  const before = await eventCount();
  const invalid = await http
    .post('/cases')
    .set(as(staff))
    .send({ ...opening, caseId: 'case-0002', districtCode: '999999' })
    .expect(400);
  expect(invalid.body.fields).toHaveProperty('districtCode');
  await http
    .post('/cases')
    .set(as(otherStaff))
    .send({ ...opening, caseId: 'case-0003' })
    .expect(403);
  const taken = await http
    .post('/cases')
    .set(as(staff))
    .send({ ...opening, subject: 'Another case' })
    .expect(409);
  expect(taken.body.rule).toBe('case-already-opened');
  await http.post('/cases/case-9999/close').set(as(staff)).expect(404);
  expect(await eventCount()).toBe(before);
});
