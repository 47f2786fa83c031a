import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { PostgresEventStore } from '@city/event-store-postgres';
import { ManualClock } from '@city/scheduler';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { keyPersonRegistration } from '../testing/registrations';
import { startTravellerHealthTestApp } from '../testing/traveller-health-test-app';

/**
 * Committee-scoped access over real HTTP on the real PostgreSQL server: a community worker
 * whose token names a residents' committee sees and acts only on the persons of that
 * committee (work list, record, name and phone with the read audited, observation steps);
 * a worker of the subdistrict without a committee keeps the subdistrict's reach.
 */

const SECRET = 'traveller-health-committee-spec-secret-0123456789abcdef';
const city: Actor = { sub: 'th-city-c', role: 'department', department: 'traveller-health' };
const base = { role: 'field-official', district: '310105', subdistrict: '310105002', department: 'traveller-health' } as const;
const committee3: Actor = { ...base, sub: 'cw-003', committee: '310105002003' };
const committee4: Actor = { ...base, sub: 'cw-004', committee: '310105002004' };
const subdistrictWorker: Actor = { ...base, sub: 'sw-002' };
const changningStaff: Actor = { sub: 'staff-chen', role: 'district-staff', district: '310105' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });
const NOW = new Date('2020-02-12T02:00:00Z'); // 10:00 in the city

let database: TestDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
let inThree: string; // a key person of committee 003
let inFour: string; // a key person of committee 004
const eventCount = async () => Number(await store.headPosition());

async function register(serial: number, committeeCode: string): Promise<string> {
  const r = keyPersonRegistration(serial);
  const res = await http
    .post('/registrations')
    .send({ ...r, destination: { ...r.destination, committeeCode } })
    .expect(201);
  return res.body.travellerId as string;
}

beforeAll(async () => {
  database = await createTestDatabase('traveller_health_committee');
  ({ app, store } = await startTravellerHealthTestApp(database.db, { secret: SECRET, city, clock: () => NOW, schedulerClock: new ManualClock(NOW) }));
  http = request(app.getHttpServer());
  inThree = await register(301, '310105002003');
  inFour = await register(302, '310105002004');
}, 180_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const idsOf = (body: { travellerId: string }[]) => body.map((e) => e.travellerId).sort();

it("lists only the committee's key persons for a committee worker, the whole subdistrict for a worker without one", async () => {
  expect(idsOf((await http.get('/work-list').set(as(committee3)).expect(200)).body)).toEqual([inThree]);
  expect(idsOf((await http.get('/work-list').set(as(committee4)).expect(200)).body)).toEqual([inFour]);
  // Asking for the subdistrict narrows to the token's committee; another committee is refused.
  expect(idsOf((await http.get('/work-list?subdistrictCode=310105002').set(as(committee3)).expect(200)).body)).toEqual([inThree]);
  const other = await http.get('/work-list?committeeCode=310105002004').set(as(committee3)).expect(403);
  expect(other.body).toMatchObject({ reason: 'other_committee' });
  expect(idsOf((await http.get('/work-list').set(as(subdistrictWorker)).expect(200)).body)).toEqual([inThree, inFour].sort());
  expect(idsOf((await http.get('/work-list?committeeCode=310105002004').set(as(subdistrictWorker)).expect(200)).body)).toEqual([inFour]);
});

it("reads only the committee's persons, name and phone included, and records each read", async () => {
  await http.get(`/travellers/${inThree}`).set(as(committee3)).expect(200);
  const hidden = await http.get(`/travellers/${inFour}`).set(as(committee3)).expect(403);
  expect(hidden.body).toMatchObject({ reason: 'other_committee' });
  await http.post(`/travellers/${inFour}/personal-data-reads`).set(as(committee3)).send({ reason: 'curious' }).expect(403);
  const read = await http.post(`/travellers/${inThree}/personal-data-reads`).set(as(committee3)).send({ reason: 'arrange home observation' }).expect(200);
  expect(read.body).toMatchObject({ name: '张三', phone: '13800138301' });
  await http.post(`/travellers/${inFour}/personal-data-reads`).set(as(subdistrictWorker)).send({ reason: 'stand in for 004' }).expect(200);
  const audit = await http.get('/districts/310105/personal-data-reads').set(as(changningStaff)).expect(200);
  expect(audit.body.map((r: { readerId: string; committeeCode: string }) => [r.readerId, r.committeeCode])).toEqual([
    ['sw-002', '310105002004'],
    ['cw-003', '310105002003'],
  ]);
  const metrics = await http.get('/metrics').expect(200);
  expect(metrics.text).toMatch(/city_auth_refusals_total\{[^}]*reason="other_committee"[^}]*\} [1-9]/);
});

it('lets a committee worker run observation only for its committee; nothing is appended for the other', async () => {
  const before = await eventCount();
  const refused = [
    await http.post(`/travellers/${inFour}/observation`).set(as(committee3)),
    await http.post(`/travellers/${inFour}/check-ins`).set(as(committee3)).send({ slot: 'morning', temperatureC: 36.5, symptomatic: false }),
  ];
  expect(refused.map((r) => [r.status, r.body.reason])).toEqual([
    [403, 'other_committee'],
    [403, 'other_committee'],
  ]);
  expect(await eventCount()).toBe(before);
  await http.post(`/travellers/${inThree}/observation`).set(as(committee3)).expect(201);
  await http.post(`/travellers/${inFour}/observation`).set(as(subdistrictWorker)).expect(201);
  const fever = { slot: 'evening', temperatureC: 38.2, symptomatic: true };
  await http.post(`/travellers/${inFour}/check-ins`).set(as(committee3)).send(fever).expect(403);
  await http.post(`/travellers/${inThree}/check-ins`).set(as(committee3)).send(fever).expect(201);
  // The day's board of check-ins and open flags is the committee's own too.
  const flagsOf = async (a: Actor) => (await http.get('/open-flags').set(as(a)).expect(200)).body.map((f: { travellerId: string }) => f.travellerId);
  expect([await flagsOf(committee3), await flagsOf(committee4), await flagsOf(subdistrictWorker)]).toEqual([[inThree], [], [inThree]]);
  const checkInsOf = async (a: Actor) => idsOf((await http.get('/check-ins').set(as(a)).expect(200)).body.people);
  expect([await checkInsOf(committee3), await checkInsOf(committee4)]).toEqual([[inThree], [inFour]]);
  await http.get('/open-flags?committeeCode=310105002003').set(as(committee4)).expect(403);
  await http.post(`/travellers/${inThree}/flags/2020-02-12-evening-fever/resolve`).set(as(committee4)).expect(403);
  await http.post(`/travellers/${inThree}/referrals`).set(as(committee4)).send({ referralId: 'ref-1' }).expect(403);
  await http.post(`/travellers/${inThree}/flags/2020-02-12-evening-fever/resolve`).set(as(committee3)).expect(201);
  // A person who moves to committee 004 leaves committee 003's reach with their history.
  await http
    .post(`/travellers/${inThree}/transfer`)
    .set(as(committee3))
    .send({ districtCode: '310105', subdistrictCode: '310105002', committeeCode: '310105002004' })
    .expect(201);
  await http.get(`/travellers/${inThree}`).set(as(committee3)).expect(403);
  const moved = await http.get(`/travellers/${inThree}`).set(as(committee4)).expect(200);
  expect(moved.body.observation).toMatchObject({ place: { committeeCode: '310105002004' }, resolvedFlags: ['2020-02-12-evening-fever'] });
  expect(idsOf((await http.get('/work-list').set(as(committee4)).expect(200)).body)).toEqual([inThree, inFour].sort());
});

it('refuses a token whose committee lies outside its subdistrict, naming the claim', async () => {
  const res = await http
    .get('/work-list')
    .set(as({ ...committee3, committee: '310105001003' }))
    .expect(401);
  expect(JSON.stringify(res.body)).toContain('committee must lie in the subdistrict');
});
