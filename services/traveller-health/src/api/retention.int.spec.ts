import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { PostgresEventStore } from '@city/event-store-postgres';
import { CommandScheduler, ManualClock } from '@city/scheduler';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { PersonalDataVault } from '../application/personal-data-vault';
import { keyPersonRegistration, registration } from '../testing/registrations';
import { startTravellerHealthTestApp } from '../testing/traveller-health-test-app';

/**
 * Retention on the real PostgreSQL server, with time passed in: a traveller never put under
 * observation is erased PII_RETENTION_DAYS (28) after their last registration, a later
 * registration moves the deadline, a released person is erased 28 days after release; the
 * sealed rows become unreadable while every event other than the erasures stays as it was.
 */

const SECRET = 'traveller-health-retention-spec-secret-0123456789abcdef';
const city: Actor = { sub: 'th-city-r', role: 'department', department: 'traveller-health' };
const worker: Actor = { sub: 'th-worker-r', role: 'field-official', district: '310105', subdistrict: '310105002', department: 'traveller-health' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });

let now = new Date('2020-02-12T02:00:00Z'); // 10:00 in the city
const schedulerClock = new ManualClock(now);
let database: TestDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  database = await createTestDatabase('traveller_health_retention');
  ({ app, store } = await startTravellerHealthTestApp(database.db, { secret: SECRET, city, clock: () => now, schedulerClock, retentionDays: 28 }));
  http = request(app.getHttpServer());
}, 180_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/** Lets the clock run to `at` and the scheduler issue everything due by then. */
async function passTimeTo(at: string): Promise<void> {
  schedulerClock.set(at);
  const scheduler = app.get(CommandScheduler);
  while ((await scheduler.fireDue()) > 0);
}

const readable = async (travellerId: string) =>
  (await http.post(`/travellers/${travellerId}/personal-data-reads`).set(as(worker)).send({ reason: 'retention check' })).status;

async function eventsOf(): Promise<{ type: string; travellerId: string; erasedBy?: string }[]> {
  const events = await store.readAll({ limit: 10_000 });
  return events.map((e) => ({ type: e.type, ...(e.data as { travellerId: string; erasedBy?: string }) }));
}

it('erases travellers never observed after their last registration, the released after release, and keeps the events', async () => {
  const general = (
    await http
      .post('/registrations')
      .send(registration({ serial: 61 }))
      .expect(201)
  ).body.travellerId as string;
  const returning = (
    await http
      .post('/registrations')
      .send(registration({ serial: 62 }))
      .expect(201)
  ).body.travellerId as string;
  const key = (await http.post('/registrations').send(keyPersonRegistration(63)).expect(201)).body.travellerId as string;
  await http.post(`/travellers/${key}/observation`).set(as(worker)).expect(201);

  // Ten days later the returning traveller registers again: their deadline moves to 21 March.
  now = new Date('2020-02-22T02:00:00Z');
  await http
    .post('/registrations')
    .send({ ...registration({ serial: 62 }), trip: { mode: 'train', number: 'G7002', date: '2020-02-22' } })
    .expect(201);

  // Day 15 of the key person: released by the scheduler at 00:10 (city), erasure due 28 days later.
  await passTimeTo('2020-02-26T16:10:00Z');
  expect((await http.get(`/travellers/${key}`).set(as(worker)).expect(200)).body).toMatchObject({ observation: null, observationsCompleted: 1 });
  const before = (await eventsOf()).filter((e) => e.type !== 'PersonalDataErased');
  expect([await readable(general), await readable(returning), await readable(key)]).toEqual([200, 200, 200]);

  // 28 days and an hour after the first registrations: only the traveller seen once is due.
  await passTimeTo('2020-03-11T03:00:00Z');
  expect([await readable(general), await readable(returning), await readable(key)]).toEqual([409, 200, 200]);
  expect(await app.get(PersonalDataVault).latest(general)).toEqual({ status: 'erased' });
  const sealed = await app.get(PersonalDataVault).sealedRowsOf(general);
  expect(sealed).toHaveLength(1);
  expect(Buffer.from(sealed[0], 'base64').toString('latin1')).not.toContain('13800138061');

  await passTimeTo('2020-03-21T03:00:00Z');
  expect([await readable(returning), await readable(key)]).toEqual([409, 200]);

  await passTimeTo('2020-03-25T17:00:00Z');
  expect(await readable(key)).toBe(409);
  expect((await http.get(`/travellers/${key}`).set(as(worker)).expect(200)).body).toMatchObject({ erased: true, observationsCompleted: 1 });

  // Each person erased once, by the clock, and nothing else changed: the counts built on the events stay.
  const after = await eventsOf();
  expect(after.filter((e) => e.type === 'PersonalDataErased').map((e) => [e.travellerId, e.erasedBy])).toEqual([
    [general, 'traveller-health-scheduler'],
    [returning, 'traveller-health-scheduler'],
    [key, 'traveller-health-scheduler'],
  ]);
  expect(after.filter((e) => e.type !== 'PersonalDataErased')).toEqual(before);
  expect((await app.get(CommandScheduler).parked()).length).toBe(0);
});

it('keeps a person whose registration is in flight: the vault holds data the stream does not know yet', async () => {
  const vault = app.get(PersonalDataVault);
  const id = 'f'.repeat(32);
  await vault.store(id, 'in-flight-1', { name: '李四', documentKind: 'passport', documentNumber: 'E12345678', phone: '13900139000', address: 'Lane 1' });
  expect(await vault.eraseUnlessNewer(id, [])).toBe(false);
  expect((await vault.latest(id)).status).toBe('found');
  expect(await vault.eraseUnlessNewer(id, ['in-flight-1'])).toBe(true);
  expect(await vault.latest(id)).toEqual({ status: 'erased' });
});

it('erases again after a person registered anew, from the new registration', async () => {
  now = new Date('2020-04-01T02:00:00Z');
  const trip = { mode: 'train', number: 'G7003', date: '2020-04-01' } as const;
  const again = (
    await http
      .post('/registrations')
      .send(registration({ serial: 61, trip }))
      .expect(201)
  ).body.travellerId as string;
  expect(await readable(again)).toBe(200);
  // Data given before the erasure stays unreadable; the new registration's is readable until its own deadline.
  expect(await app.get(PersonalDataVault).sealedRowsOf(again)).toHaveLength(2);
  await passTimeTo('2020-04-28T03:00:00Z');
  expect(await readable(again)).toBe(200);
  await passTimeTo('2020-04-29T03:00:00Z');
  expect(await readable(again)).toBe(409);
});
