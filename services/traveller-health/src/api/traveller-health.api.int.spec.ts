import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { CommandScheduler, ManualClock } from '@city/scheduler';
import { initHttpApp } from '@city/service-kit';
import { PgliteDatabase } from '@city/sql';
import { fireHostileBurst, hostileCasesFor, INJECTION_STRINGS, type CommandRoute, type HostileCase } from '@city/testing';
import { PersonalDataVault } from '../application/personal-data-vault';
import { ephemeralPrivacyKeys } from '../application/privacy-keys';
import { keyPersonRegistration, registration, residentId } from '../testing/registrations';
import { HONGQIAO_RAILWAY, startTravellerHealthTestApp } from '../testing/traveller-health-test-app';
import { createTravellerHealthApp } from '../traveller-health-app';

/**
 * The traveller-health HTTP API over real HTTP (supertest), on the real Nest app and the
 * PostgreSQL event store in-process on PGlite: registration and its retry, a kiosk batch
 * answered item by item, bad input refused with the field named and nothing appended, the
 * work list and personal data read with its audit trail, home observation driven by the
 * scheduler's clock, and erasure.
 */

const SECRET = 'traveller-health-api-spec-secret-0123456789abcdef';
const city: Actor = { sub: 'th-city-0001', role: 'department', department: 'traveller-health' };
const worker: Actor = { sub: 'th-worker-0001', role: 'field-official', district: '310105', subdistrict: '310105002', department: 'traveller-health' };
const otherWorker: Actor = { sub: 'th-worker-0002', role: 'field-official', district: '310105', subdistrict: '310105001', department: 'traveller-health' };
const putuoStaff: Actor = { sub: 'staff-xu', role: 'district-staff', district: '310107' };
const changningStaff: Actor = { sub: 'staff-chen', role: 'district-staff', district: '310105' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });
const NOW = new Date('2020-02-12T02:00:00Z'); // 10:00 in the city

let db: PgliteDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
const schedulerClock = new ManualClock(NOW);
const eventCount = async () => Number(await store.headPosition());
const privacy = ephemeralPrivacyKeys();
/** How a second replica on the same database is made (the first comes from the spec fixture, with the same keys and clocks). */
const replicaOptions = () => ({
  eventStore: withContractValidation(store),
  db,
  privacy,
  jwtSecret: SECRET,
  logLevel: 'silent',
  clock: () => NOW,
  schedulerClock,
  runScheduler: false,
});

beforeAll(async () => {
  db = new PgliteDatabase();
  ({ app, store } = await startTravellerHealthTestApp(db, { secret: SECRET, city, privacy, clock: () => NOW, schedulerClock }));
  http = request(app.getHttpServer());
}, 180_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  await db?.close();
});

it('lists the checkpoint the city registered; registering it again answers 200', async () => {
  const list = await http.get('/checkpoints').expect(200);
  expect(list.body).toEqual([HONGQIAO_RAILWAY]);
  await http.post('/checkpoints').set(as(city)).send(HONGQIAO_RAILWAY).expect(200);
});

it('registers a key person from a phone with the reason; a retry appends nothing; a second visit is the same traveller', async () => {
  const input = keyPersonRegistration(11);
  const first = await http.post('/registrations').send(input).expect(201);
  expect(first.body).toMatchObject({
    registrationId: input.registrationId,
    riskClass: 'key',
    ruleSetVersion: '2020-02-10',
    firedRules: [{ ruleId: 'R2', reason: 'stayed in a key area within 14 days' }],
    eventsAppended: 2,
  });
  expect(first.body.travellerId).toMatch(/^[0-9a-f]{32}$/);
  const before = await eventCount();
  const retry = await http.post('/registrations').send(input).expect(200);
  expect(retry.body).toMatchObject({ eventsAppended: 0, travellerId: first.body.travellerId });
  expect(await eventCount()).toBe(before);
  // The same id with another body: 409 naming the fields (never their values), nothing appended, nothing sealed.
  const reused = await http
    .post('/registrations')
    .send({ ...input, phone: '13800138999', trip: { ...input.trip, number: 'G9999' }, destination: { ...input.destination, committeeCode: '310105002001' } })
    .expect(409);
  expect(reused.body).toEqual({
    statusCode: 409,
    error: 'rule_violation',
    rule: 'idempotency-key-reused',
    message: `Registration ${input.registrationId} is already recorded with a different phone: resend the same body to retry, or use a new id`,
  });
  const anotherPerson = await http
    .post('/registrations')
    .send({ ...keyPersonRegistration(12), registrationId: input.registrationId })
    .expect(409);
  expect(anotherPerson.body).toMatchObject({ rule: 'idempotency-key-reused', message: expect.stringContaining('a different identity:') });
  const elsewhere = await http
    .post('/registrations')
    .send({ ...input, destination: { ...input.destination, committeeCode: '310105002001' } })
    .expect(409);
  expect(elsewhere.body.message).toContain('a different destination.committeeCode:');
  expect(await eventCount()).toBe(before);
  const again = await http
    .post('/registrations')
    .send({ ...keyPersonRegistration(11), registrationId: 'second-visit-11' })
    .expect(201);
  expect(again.body).toMatchObject({ travellerId: first.body.travellerId, eventsAppended: 1 });
  const view = await http.get(`/travellers/${first.body.travellerId}`).set(as(worker)).expect(200);
  expect(view.body).toMatchObject({ registrations: 2, riskClass: 'key', onWorkList: true });
  expect(view.body.explanation).toBe('key person: stayed in a key area within 14 days, rule R2 of rule set 2020-02-10');
  expect(JSON.stringify(view.body)).not.toContain('张三');
});

it.each([
  [
    'a resident ID with a wrong check character',
    { identity: { name: 'A', documentKind: 'resident-id', documentNumber: '110105194912310021' } },
    'identity.documentNumber',
  ],
  [
    'a date of birth in the future',
    { identity: { name: 'A', documentKind: 'resident-id', documentNumber: residentId(1).replace('1985', '2031') } },
    'identity.documentNumber',
  ],
  ['a temperature above 45 °C', { declaration: { temperatureC: 46, symptoms: [], contactWithCases: false, keyAreaStays: [] } }, 'declaration.temperatureC'],
  ['an unknown checkpoint', { checkpointId: 'nowhere' }, 'checkpointId'],
  [
    'an unknown district',
    { destination: { districtCode: '999999', subdistrictCode: '310105002', committeeCode: '310105002003', address: 'x' } },
    'destination.districtCode',
  ],
  ['a phone that is not a phone', { phone: '12345' }, 'phone'],
  [
    'a committee of another subdistrict',
    { destination: { districtCode: '310105', subdistrictCode: '310105002', committeeCode: '310107017001', address: 'x' } },
    'destination.committeeCode',
  ],
])('400 naming the field for %s; nothing appended', async (_what, change, field) => {
  const before = await eventCount();
  const res = await http
    .post('/registrations')
    .send({ ...registration({ serial: 2 }), ...change })
    .expect(400);
  expect(Object.keys(res.body.fields)).toContain(field);
  expect(await eventCount()).toBe(before);
});

it('answers each registration of a kiosk batch on its own', async () => {
  const good = registration({ serial: 21 });
  await http.post('/registrations').send(good).expect(201);
  const fresh = registration({ serial: 22 });
  const bad = { ...registration({ serial: 23 }), phone: 'nope' };
  const res = await http
    .post('/registration-batches')
    .set(as(city))
    .send({ registrations: [fresh, good, bad, { registrationId: 'x', junk: true }] })
    .expect(200);
  expect(res.body).toMatchObject({ recorded: 1, alreadyRecorded: 1, refused: 2 });
  expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 200, 400, 400]);
  expect(res.body.results[2].error.fields).toHaveProperty('phone');
  await http.post('/registration-batches').set(as(worker)).send({ registrations: [] }).expect(403);
  await http
    .post('/registration-batches')
    .set(as(city))
    .send({ registrations: Array.from({ length: 101 }, () => ({})) })
    .expect(400);
});

it("pushes key persons to their committee's work list; reads name and phone on request, recorded for the district", async () => {
  const { body } = await http.post('/registrations').send(keyPersonRegistration(31)).expect(201);
  const list = await http.get('/work-list').set(as(worker)).expect(200);
  const entry = list.body.find((e: { travellerId: string }) => e.travellerId === body.travellerId);
  expect(entry).toMatchObject({
    committeeCode: '310105002003',
    status: 'pushed',
    firedRules: [{ ruleId: 'R2', reason: 'stayed in a key area within 14 days' }],
  });
  expect(JSON.stringify(list.body)).not.toMatch(/张三|13800|Jiangsu Road, Room/);
  await http.get('/work-list?subdistrictCode=310105002').set(as(otherWorker)).expect(403);
  await http.post(`/travellers/${body.travellerId}/personal-data-reads`).set(as(otherWorker)).send({ reason: 'curious' }).expect(403);
  const read = await http.post(`/travellers/${body.travellerId}/personal-data-reads`).set(as(worker)).send({ reason: 'arrange home observation' }).expect(200);
  expect(read.body).toMatchObject({ name: '张三', phone: '13800138031' });
  const audit = await http.get('/districts/310105/personal-data-reads').set(as(changningStaff)).expect(200);
  expect(audit.body[0]).toMatchObject({ travellerId: body.travellerId, readerId: worker.sub, reason: 'arrange home observation' });
  await http.get('/districts/310105/personal-data-reads').set(as(putuoStaff)).expect(403);
});

it('runs home observation: fever flags, refusals, missed check-ins and release on day 15 by the scheduler', async () => {
  const { body } = await http.post('/registrations').send(keyPersonRegistration(41)).expect(201);
  const t = body.travellerId as string;
  const general = (
    await http
      .post('/registrations')
      .send(registration({ serial: 42 }))
      .expect(201)
  ).body.travellerId as string;
  await http.post(`/travellers/${general}/check-ins`).set(as(worker)).send({ slot: 'morning', temperatureC: 36.5, symptomatic: false }).expect(409);
  await http.post(`/travellers/${t}/observation`).set(as(worker)).expect(201);
  await http.post(`/travellers/${t}/observation`).set(as(worker)).expect(200);
  const before = await eventCount();
  const bad = await http.post(`/travellers/${t}/check-ins`).set(as(worker)).send({ slot: 'noon', temperatureC: 50, symptomatic: false }).expect(400);
  expect(Object.keys(bad.body.fields).sort()).toEqual(['slot', 'temperatureC']);
  const early = await http.post(`/travellers/${t}/release`).set(as(worker)).expect(409);
  expect(early.body.rule).toBe('release-before-day-15');
  expect(await eventCount()).toBe(before);
  const fever = await http.post(`/travellers/${t}/check-ins`).set(as(worker)).send({ slot: 'evening', temperatureC: 38.1, symptomatic: true }).expect(201);
  expect(fever.body.eventsAppended).toBe(2);
  let view = await http.get(`/travellers/${t}`).set(as(worker)).expect(200);
  expect(view.body.observation.openFlags).toEqual({ '2020-02-12-evening-fever': 'fever' });
  await http.post(`/travellers/${t}/flags/2020-02-12-evening-fever/resolve`).set(as(worker)).expect(201);

  const scheduler = app.get(CommandScheduler);
  schedulerClock.set('2020-02-26T16:10:00Z'); // 00:10 on day 15 in the city
  expect(await scheduler.fireDue()).toBeGreaterThan(0);
  view = await http.get(`/travellers/${t}`).set(as(worker)).expect(200);
  expect(view.body).toMatchObject({ observation: null, observationsCompleted: 1 });
  const list = await http.get('/work-list?status=released').set(as(worker)).expect(200);
  const entry = list.body.find((e: { travellerId: string }) => e.travellerId === t);
  // 14 days x 2 check-ins, less the evening of day 1 made: 27 missed, each flagged
  expect(entry).toMatchObject({ status: 'released', checkInsMissed: 27, openFlags: 27 });
});

it('erases: the personal data cannot be read any more, the sealed rows stay unreadable, the events stay', async () => {
  const { body } = await http
    .post('/registrations')
    .send(registration({ serial: 51 }))
    .expect(201);
  const t = body.travellerId as string;
  const before = await eventCount();
  await http.post(`/travellers/${t}/erasure`).set(as(worker)).expect(403);
  await http.post(`/travellers/${t}/erasure`).set(as(city)).expect(201);
  await http.post(`/travellers/${t}/erasure`).set(as(city)).expect(200);
  expect(await eventCount()).toBe(before + 1);
  const read = await http.post(`/travellers/${t}/personal-data-reads`).set(as(worker)).send({ reason: 'check' }).expect(409);
  expect(read.body.rule).toBe('personal-data-erased');
  const vault = app.get(PersonalDataVault);
  expect(await vault.latest(t)).toEqual({ status: 'erased' });
  const sealed = await vault.sealedRowsOf(t);
  expect(sealed).toHaveLength(1);
  expect(Buffer.from(sealed[0], 'base64').toString('latin1')).not.toContain('1380013');
});

it('an erased person registering again at another replica is the same traveller, decided on their stream (a new data key is no sign of a new stream)', async () => {
  const first = await http
    .post('/registrations')
    .send(registration({ serial: 777 }))
    .expect(201);
  const t = first.body.travellerId as string;
  await http.post(`/travellers/${t}/erasure`).set(as(city)).expect(201);
  // Another replica on the same database: nothing of this traveller in its memory.
  const replica = await createTravellerHealthApp(replicaOptions());
  await initHttpApp(replica);
  try {
    const again = await request(replica.getHttpServer())
      .post('/registrations')
      .send(registration({ serial: 777 }))
      .expect(201);
    expect(again.body).toMatchObject({ travellerId: t, version: first.body.version + 2, eventsAppended: 1 });
    const events = await store.readStream(first.body.streamId as string);
    expect(events.map((e) => e.type)).toEqual(['TravellerRegistered', 'PersonalDataErased', 'TravellerRegistered']);
    expect(events[2].data).toMatchObject({ registrationCount: 2 });
    expect(await replica.get(PersonalDataVault).latest(t)).toMatchObject({ status: 'found', registrationId: again.body.registrationId });
  } finally {
    await replica.close();
  }
});

describe('a burst of hostile requests on every command route', () => {
  it('answers each with a 4xx naming the field or rule, never 500; appends nothing; the service stays well', async () => {
    // A person under observation since today, one who is not, and a checkpoint: the targets of the burst.
    const observed = (await http.post('/registrations').send(keyPersonRegistration(61)).expect(201)).body.travellerId as string;
    await http.post(`/travellers/${observed}/observation`).set(as(worker)).expect(201);
    const general = (
      await http
        .post('/registrations')
        .send(registration({ serial: 62 }))
        .expect(201)
    ).body.travellerId as string;
    const unknown = 'f'.repeat(32);
    const before = await eventCount();

    const post = (path: string, actor?: Actor) => (text?: string) => {
      const req = http.post(path).set('Content-Type', 'application/json');
      if (actor) req.set(as(actor));
      return text === undefined ? req : req.send(text);
    };
    const routes: CommandRoute[] = [
      { route: 'POST /registrations', valid: { ...registration({ serial: 63 }) }, send: post('/registrations') },
      {
        route: 'POST /registration-batches',
        valid: { registrations: [registration({ serial: 64 })] },
        send: post('/registration-batches', city),
        items: (body) => (body as { results: { status: number; error?: unknown }[] }).results,
      },
      {
        route: 'POST /checkpoints',
        valid: { checkpointId: 'burst-road', name: 'G60 toll gate', kind: 'road', districtCode: '310117' },
        send: post('/checkpoints', city),
      },
      {
        route: 'POST personal-data-reads',
        valid: { reason: 'call about a missed check-in' },
        send: post(`/travellers/${observed}/personal-data-reads`, worker),
      },
      { route: 'POST check-ins', valid: { slot: 'morning', temperatureC: 36.5, symptomatic: false }, send: post(`/travellers/${observed}/check-ins`, worker) },
      { route: 'POST referrals', valid: { referralId: 'burst-referral' }, send: post(`/travellers/${observed}/referrals`, worker) },
      { route: 'POST referral outcome', valid: { outcome: 'cleared' }, send: post(`/travellers/${observed}/referrals/burst-referral/outcome`, worker) },
      {
        route: 'POST transfer',
        valid: { districtCode: '310107', subdistrictCode: '310107017', committeeCode: '310107017001' },
        send: post(`/travellers/${observed}/transfer`, worker),
      },
    ];
    const cases: HostileCase[] = routes.flatMap(hostileCasesFor);

    // Bad ids in every path (with a body the route would take), bad tokens on every route that needs one.
    const travellerRoutes: [string, object | undefined][] = [
      ['personal-data-reads', { reason: 'call about a missed check-in' }],
      ['observation', undefined],
      ['check-ins', { slot: 'morning', temperatureC: 36.5, symptomatic: false }],
      ['flags/x/resolve', undefined],
      ['referrals', { referralId: 'burst-referral' }],
      ['referrals/x/outcome', { outcome: 'cleared' }],
      ['release', undefined],
      ['transfer', { districtCode: '310107', subdistrictCode: '310107017', committeeCode: '310107017001' }],
      ['erasure', undefined],
    ];
    for (const s of [...INJECTION_STRINGS, 'F'.repeat(32), 'f'.repeat(33), 'x'.repeat(2000)]) {
      for (const [r, body] of travellerRoutes) {
        cases.push({
          label: `POST /travellers/${s.slice(0, 20)}/${r}`,
          send: () => post(`/travellers/${encodeURIComponent(s)}/${r}`, r === 'erasure' ? city : worker)(body && JSON.stringify(body)),
          status: 400,
          field: 'travellerId',
        });
      }
      // A hex string is a well-formed flag or referral id that names none (409); the others are no ids at all (400).
      const notAnId = /^[0-9a-f]+$/i.test(s) ? {} : { status: 400 };
      cases.push({
        label: `resolve flag ${s.slice(0, 20)}`,
        send: () => post(`/travellers/${observed}/flags/${encodeURIComponent(s)}/resolve`, worker)(),
        field: 'flagId',
        ...notAnId,
      });
      cases.push({
        label: `outcome of referral ${s.slice(0, 20)}`,
        send: () => post(`/travellers/${observed}/referrals/${encodeURIComponent(s)}/outcome`, worker)(JSON.stringify({ outcome: 'cleared' })),
        field: 'referralId',
        ...notAnId,
      });
      cases.push({
        label: `GET /work-list?committeeCode=${s.slice(0, 20)}`,
        send: () => http.get('/work-list').query({ committeeCode: s, limit: s }).set(as(worker)),
        status: 400,
      });
      cases.push({
        label: `bearer ${s.slice(0, 20)}`,
        send: () => post(`/travellers/${observed}/observation`)().set('Authorization', `Bearer ${encodeURIComponent(s)}`),
        status: 401,
      });
    }

    // The issue's bad input, each with the field or rule it must name.
    const registering = (label: string, change: object, field: string) =>
      cases.push({
        label: `registration with ${label}`,
        send: () => post('/registrations')(JSON.stringify({ ...registration({ serial: 65 }), ...change })),
        status: 400,
        field,
      });
    const identity = (documentNumber: string) => ({ identity: { name: '李四', documentKind: 'resident-id', documentNumber } });
    const declaring = (temperatureC: number) => ({ declaration: { temperatureC, symptoms: [], contactWithCases: false, keyAreaStays: [] } });
    registering('a wrong check character', identity(residentId(65).slice(0, 17) + (residentId(65).endsWith('0') ? '1' : '0')), 'identity.documentNumber');
    registering('a date of birth in the future', identity(residentId(65).replace('1985', '2031')), 'identity.documentNumber');
    registering('a date of birth that does not exist', identity('310105198502301234'), 'identity.documentNumber');
    registering('an ID of 17 characters', identity(residentId(65).slice(0, 17)), 'identity.documentNumber');
    for (const t of [29.9, 45.1, -273, 1e308]) registering(`a temperature of ${t} °C`, declaring(t), 'declaration.temperatureC');
    registering('an unknown checkpoint', { checkpointId: 'nowhere' }, 'checkpointId');
    const place = { subdistrictCode: '310105002', committeeCode: '310105002003', address: 'x' };
    registering('an unknown district', { destination: { ...place, districtCode: '999999' } }, 'destination.districtCode');
    registering('a district outside the city', { destination: { ...place, districtCode: '110105' } }, 'destination.districtCode');
    for (const phone of ['12345', '1380013800', '23800138000', '+86 138 0013 8000 1', '☎️']) registering(`the phone ${phone}`, { phone }, 'phone');
    registering('a trip in the future', { trip: { mode: 'train', number: 'G1', date: '2031-02-12' } }, 'trip.date');
    registering('a trip on a day that does not exist', { trip: { mode: 'train', number: 'G1', date: '2020-02-30' } }, 'trip.date');
    registering('a city outside its province', { origin: { provinceCode: '420000', cityCode: '320100' } }, 'origin.cityCode');
    registering(
      'an unknown symptom',
      { declaration: { temperatureC: 36.6, symptoms: ['sneezing'], contactWithCases: false, keyAreaStays: [] } },
      'declaration.symptoms',
    );
    cases.push({
      label: 'a kiosk batch of 101',
      send: () => post('/registration-batches', city)(JSON.stringify({ registrations: Array.from({ length: 101 }, (_, i) => ({ registrationId: `r${i}` })) })),
      status: 400,
      field: 'registrations',
    });
    cases.push({
      label: 'a kiosk batch of bad registrations',
      send: () =>
        post(
          '/registration-batches',
          city,
        )(JSON.stringify({ registrations: [{ ...registration({ serial: 66 }), phone: '1' }, { ...registration(), ...declaring(50) }, null, 7] })),
      items: (body) => (body as { results: { status: number; error?: unknown }[] }).results,
    });
    const checkIn = (t: number) => JSON.stringify({ slot: 'evening', temperatureC: t, symptomatic: false });
    for (const t of [29.9, 45.1])
      cases.push({
        label: `a check-in at ${t} °C`,
        send: () => post(`/travellers/${observed}/check-ins`, worker)(checkIn(t)),
        status: 400,
        field: 'temperatureC',
      });
    const rule = (label: string, path: string, text: string | undefined, status: number, ruleName?: string) =>
      cases.push({ label, send: () => post(path, worker)(text), status, ...(ruleName ? { rule: ruleName } : {}) });
    rule('a check-in for a person not under observation', `/travellers/${general}/check-ins`, checkIn(36.5), 409, 'not-under-observation');
    rule('a check-in for an unknown person', `/travellers/${unknown}/check-ins`, checkIn(36.5), 404);
    rule('a release before day 15', `/travellers/${observed}/release`, undefined, 409, 'release-before-day-15');
    rule('a release of a person not under observation', `/travellers/${general}/release`, undefined, 409, 'not-under-observation');
    rule('an observation started twice on two days', `/travellers/${unknown}/observation`, undefined, 404);
    rule('a flag that was never raised', `/travellers/${observed}/flags/2020-02-12-morning-fever/resolve`, undefined, 409, 'unknown-flag');
    rule(
      'an outcome of a referral never made',
      `/travellers/${observed}/referrals/never-made/outcome`,
      JSON.stringify({ outcome: 'cleared' }),
      409,
      'unknown-referral',
    );
    rule(
      'a transfer of a person not under observation',
      `/travellers/${general}/transfer`,
      JSON.stringify({ districtCode: '310107', subdistrictCode: '310107017', committeeCode: '310107017001' }),
      409,
      'not-under-observation',
    );
    rule(
      'a transfer to a committee of another subdistrict',
      `/travellers/${observed}/transfer`,
      JSON.stringify({ districtCode: '310107', subdistrictCode: '310107017', committeeCode: '310105002003' }),
      400,
    );
    rule(
      'a transfer to a subdistrict of another district',
      `/travellers/${observed}/transfer`,
      JSON.stringify({ districtCode: '310107', subdistrictCode: '310105002', committeeCode: '310105002003' }),
      400,
    );
    cases.push({
      label: 'an erasure during observation',
      send: () => post(`/travellers/${observed}/erasure`, city)(),
      status: 409,
      rule: 'erasure-during-observation',
    });
    cases.push({
      label: 'a checkpoint in an unknown district',
      send: () => post('/checkpoints', city)(JSON.stringify({ checkpointId: 'burst-x', name: 'X', kind: 'road', districtCode: '999999' })),
      status: 400,
      field: 'districtCode',
    });
    cases.push({
      label: 'a checkpoint of an unknown kind',
      send: () => post('/checkpoints', city)(JSON.stringify({ checkpointId: 'burst-x', name: 'X', kind: 'helipad', districtCode: '310117' })),
      status: 400,
      field: 'kind',
    });
    const committee = { subdistrictCode: '310117001', subdistrictName: 'Yueyang', committeeCode: '310117001001', name: 'No. 1' };
    cases.push({
      label: 'a committee outside its subdistrict',
      send: () => post('/districts/310117/committees', city)(JSON.stringify({ committees: [{ ...committee, committeeCode: '310117002001' }] })),
      status: 400,
      field: 'committees.0.committeeCode',
    });
    cases.push({
      label: 'committees of an unknown district',
      send: () => post('/districts/999999/committees', city)(JSON.stringify({ committees: [committee] })),
      status: 400,
      field: 'code',
    });
    cases.push({
      label: 'committees that are not a list',
      send: () => post('/districts/310117/committees', city)(JSON.stringify({ committees: committee })),
      status: 400,
      field: 'committees',
    });
    expect(cases.length).toBeGreaterThan(600);

    const report = await fireHostileBurst(cases);
    expect(report.problems).toEqual([]);
    expect(await eventCount()).toBe(before);
    await http.get('/health/live').expect(200);
    // Still serving: a good registration after the burst is recorded.
    await http
      .post('/registrations')
      .send(registration({ serial: 67 }))
      .expect(201);
  }, 300_000);
});
