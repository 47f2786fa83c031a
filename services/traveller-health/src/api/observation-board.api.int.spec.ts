import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { PostgresEventStore } from '@city/event-store-postgres';
import { CommandScheduler, ManualClock } from '@city/scheduler';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import type { RegistrationInput } from '../application/registration-commands';
import { keyPersonRegistration } from '../testing/registrations';
import { startTravellerHealthTestApp } from '../testing/traveller-health-test-app';

/**
 * A community's day on real PostgreSQL: the check-ins of the people it observes (made, due,
 * overdue, missed, not asked) and the open flags, read within the reader's area only.
 */

const SECRET = 'traveller-health-board-spec-secret-0123456789abcdef';
const city: Actor = { sub: 'th-city-board', role: 'department', department: 'traveller-health' };
const worker: Actor = { sub: 'th-worker-board', role: 'field-official', district: '310105', subdistrict: '310105002', department: 'traveller-health' };
const otherWorker: Actor = { sub: 'th-worker-board-2', role: 'field-official', district: '310105', subdistrict: '310105001', department: 'traveller-health' };
const putuoStaff: Actor = { sub: 'staff-board-putuo', role: 'district-staff', district: '310107' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });
const COMMITTEE = '310105002003';

let database: TestDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
let now = new Date('2020-02-12T02:00:00Z'); // 10:00 in the city
const schedulerClock = new ManualClock(now);

function to(r: RegistrationInput, subdistrictCode: string, committeeCode: string): RegistrationInput {
  return { ...r, destination: { ...r.destination, subdistrictCode, committeeCode } };
}

async function observed(r: RegistrationInput): Promise<string> {
  const { body } = await http.post('/registrations').send(r).expect(201);
  await http.post(`/travellers/${body.travellerId}/observation`).set(as(city)).expect(201);
  return body.travellerId as string;
}

beforeAll(async () => {
  database = await createTestDatabase('traveller_health_board');
  ({ app, store } = await startTravellerHealthTestApp(database.db, { secret: SECRET, city, clock: () => now, schedulerClock }));
  http = request(app.getHttpServer());
}, 180_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  await database?.drop();
});

it("lists a committee's check-ins of the day and its open flags, as the day goes on", async () => {
  const a = await observed(keyPersonRegistration(701));
  const b = await observed(keyPersonRegistration(702));
  const elsewhere = await observed(to(keyPersonRegistration(703), '310105002', '310105002001'));
  const otherSubdistrict = await observed(to(keyPersonRegistration(704), '310105001', '310105001002'));
  await http.post(`/travellers/${a}/check-ins`).set(as(worker)).send({ slot: 'morning', temperatureC: 36.5, symptomatic: false }).expect(201);
  await http.post(`/travellers/${b}/check-ins`).set(as(worker)).send({ slot: 'evening', temperatureC: 38.2, symptomatic: true }).expect(201);

  let day = await http.get(`/check-ins?committeeCode=${COMMITTEE}`).set(as(worker)).expect(200);
  expect(day.body.day).toBe('2020-02-12');
  expect(day.body.people.map((p: { travellerId: string }) => p.travellerId).sort()).toEqual([a, b].sort());
  const byId = (id: string) => day.body.people.find((p: { travellerId: string }) => p.travellerId === id);
  expect(byId(a)).toMatchObject({
    committeeCode: COMMITTEE,
    firstDay: '2020-02-12',
    lastDay: '2020-02-25',
    dayOfObservation: 1,
    checkIns: {
      morning: { status: 'made', fever: false, deadline: '2020-02-12T04:00:00.000Z' },
      evening: { status: 'due', deadline: '2020-02-12T14:00:00.000Z' },
    },
  });
  expect(byId(b).checkIns).toMatchObject({ morning: { status: 'due' }, evening: { status: 'made', fever: true, symptomatic: true } });
  expect(day.body.counts).toEqual({ made: 2, missed: 0, due: 2, overdue: 0 });

  // The whole subdistrict by default; the other subdistrict's worker sees only theirs.
  const subdistrict = await http.get('/check-ins').set(as(worker)).expect(200);
  expect(subdistrict.body.people.map((p: { travellerId: string }) => p.travellerId).sort()).toEqual([a, b, elsewhere].sort());
  const theirs = await http.get('/check-ins').set(as(otherWorker)).expect(200);
  expect(theirs.body.people.map((p: { travellerId: string }) => p.travellerId)).toEqual([otherSubdistrict]);

  let flags = await http.get(`/open-flags?committeeCode=${COMMITTEE}`).set(as(worker)).expect(200);
  expect(flags.body).toEqual([
    expect.objectContaining({ travellerId: b, flagId: '2020-02-12-evening-fever', kind: 'fever', day: '2020-02-12', committeeCode: COMMITTEE }),
  ]);
  await http.post(`/travellers/${b}/flags/2020-02-12-evening-fever/resolve`).set(as(worker)).expect(201);
  flags = await http.get(`/open-flags?committeeCode=${COMMITTEE}`).set(as(worker)).expect(200);
  expect(flags.body).toEqual([]);

  // 12:10: B's morning window closed; overdue until the scheduler marks it missed and flags it.
  now = new Date('2020-02-12T04:10:00Z');
  day = await http.get(`/check-ins?committeeCode=${COMMITTEE}`).set(as(worker)).expect(200);
  expect(byId(b).checkIns.morning.status).toBe('overdue');
  schedulerClock.set(now);
  await app.get(CommandScheduler).fireDue();
  day = await http.get(`/check-ins?committeeCode=${COMMITTEE}`).set(as(worker)).expect(200);
  expect(byId(b).checkIns.morning).toMatchObject({ status: 'missed', at: now.toISOString() });
  expect(day.body.counts).toEqual({ made: 2, missed: 1, due: 1, overdue: 0 });
  flags = await http.get(`/open-flags?committeeCode=${COMMITTEE}`).set(as(worker)).expect(200);
  expect(flags.body).toEqual([expect.objectContaining({ travellerId: b, flagId: '2020-02-12-morning-missed', kind: 'missed-check-in' })]);

  // Started after noon: the morning was never asked of this person today.
  const late = await observed(keyPersonRegistration(705));
  day = await http.get(`/check-ins?committeeCode=${COMMITTEE}`).set(as(worker)).expect(200);
  expect(byId(late).checkIns).toMatchObject({ morning: { status: 'not-required' }, evening: { status: 'due' } });

  // Another day: day 2 of 14, both still due.
  const tomorrow = await http.get(`/check-ins?committeeCode=${COMMITTEE}&day=2020-02-13`).set(as(worker)).expect(200);
  expect(tomorrow.body.people.find((p: { travellerId: string }) => p.travellerId === a)).toMatchObject({
    dayOfObservation: 2,
    checkIns: { morning: { status: 'due' }, evening: { status: 'due' } },
  });

  // A transfer takes the person and their open flag to the new committee.
  await http
    .post(`/travellers/${b}/transfer`)
    .set(as(worker))
    .send({ districtCode: '310105', subdistrictCode: '310105002', committeeCode: '310105002001' })
    .expect(201);
  flags = await http.get('/open-flags?committeeCode=310105002001').set(as(worker)).expect(200);
  // The person already there missed their morning as well.
  expect(flags.body.map((f: { travellerId: string }) => f.travellerId).sort()).toEqual([b, elsewhere].sort());
  expect((await http.get(`/open-flags?committeeCode=${COMMITTEE}`).set(as(worker)).expect(200)).body).toEqual([]);
});

it('refuses areas beyond the reader and bad queries', async () => {
  await http.get('/check-ins?subdistrictCode=310105002').set(as(otherWorker)).expect(403);
  await http.get('/open-flags?districtCode=310105').set(as(putuoStaff)).expect(403);
  await http.get('/open-flags').expect(401);
  const bad = await http.get('/check-ins?day=2020-02-30&committeeCode=12').set(as(worker)).expect(400);
  expect(Object.keys(bad.body.fields).sort()).toEqual(['committeeCode', 'day']);
});
