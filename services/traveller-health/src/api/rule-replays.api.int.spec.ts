import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createTestDatabase, eventually, type TestDatabase } from '@city/testing';
import { PersonalDataVault } from '../application/personal-data-vault';
import { RuleReplays } from '../application/rule-replays';
import { ephemeralPrivacyKeys, travellerIdOf } from '../application/privacy-keys';
import type { RegistrationInput } from '../application/registration-commands';
import { RULE_SETS } from '../domain/rule-sets';
import { keyPersonRegistration, registration } from '../testing/registrations';
import { startTravellerHealthTestApp } from '../testing/traveller-health-test-app';

/**
 * A new rule set replayed over the whole history on real PostgreSQL: registrations are classified
 * again on the declarations sealed with them, the answer names who would change class and by
 * which rules, and nothing is appended. Only the city's health department may ask.
 */

const SECRET = 'traveller-health-replay-spec-secret-0123456789abcdef';
const city: Actor = { sub: 'th-city-replay', role: 'department', department: 'traveller-health' };
const worker: Actor = { sub: 'th-worker-replay', role: 'field-official', district: '310105', subdistrict: '310105002', department: 'traveller-health' };
const cityCenter: Actor = { sub: 'center-replay', role: 'city-center' };
const canvassDesk: Actor = { sub: 'canvass-replay', role: 'department', department: 'canvass' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });
const privacy = ephemeralPrivacyKeys();
/** Zhejiang's Wenzhou becomes a key area and fever starts at 37.0 °C. */
const current = RULE_SETS.get('2020-02-10')!;
const wider = {
  ...current,
  version: '2020-02-20',
  keyAreas: ['420000', '330300'],
  feverThresholdC: 37,
  rules: current.rules.map((r) => (r.id === 'R4' ? { ...r, reason: 'fever at the checkpoint (37.0 °C or more)' } : r)),
};

let database: TestDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
const eventCount = async () => Number(await store.headPosition());
const ids: Record<string, string> = {};

async function register(name: string, r: RegistrationInput): Promise<void> {
  ids[name] = (await http.post('/registrations').send(r).expect(201)).body.travellerId;
}

beforeAll(async () => {
  database = await createTestDatabase('traveller_health_replay');
  ({ app, store } = await startTravellerHealthTestApp(database.db, { secret: SECRET, city, privacy, clock: () => new Date('2020-02-12T02:00:00Z') }));
  http = request(app.getHttpServer());
  const general = registration({ serial: 901 });
  await register('wenzhou', { ...general, origin: { provinceCode: '330000', cityCode: '330300' } });
  await register('warm', { ...registration({ serial: 902 }), declaration: { ...general.declaration, temperatureC: 37.1 } });
  await register('healthy', registration({ serial: 903 }));
  await register('wuhan', keyPersonRegistration(904));
  await register('erased', { ...registration({ serial: 905 }), declaration: { ...general.declaration, temperatureC: 37.2 } });
  await http.post(`/travellers/${ids.erased}/erasure`).set(as(city)).expect(201);
  // A registration from before declarations were kept: its sealed row holds none.
  const old = { ...registration({ serial: 906 }), declaration: { ...general.declaration, temperatureC: 37.2 } };
  const { name, documentKind, documentNumber } = old.identity;
  await app.get(PersonalDataVault).store(travellerIdOf(privacy.travellerIdSecret, documentKind, documentNumber), old.registrationId, {
    name,
    documentKind,
    documentNumber,
    phone: old.phone,
    address: old.destination.address,
  });
  await register('old', old);
}, 180_000);

/** Starts a replay as the city (202, its place in `Location`) and reads its report once it is done. */
async function replayed(version: string, body?: object): Promise<Record<string, any>> {
  const asked = http.post(`/rule-sets/${version}/replays`).set(as(city));
  const started = await (body === undefined ? asked : asked.send(body)).expect(202);
  expect(started.body).toMatchObject({ ruleSetVersion: version, status: 'running', requestedBy: city.sub, registrationsRead: 0 });
  expect(started.headers.location).toBe(`/rule-sets/${version}/replays/${started.body.replayId}`);
  const done = await eventually(async () => {
    const res = await http.get(started.headers.location).set(as(city)).expect(200);
    return res.body.status === 'running' ? undefined : res.body;
  });
  expect(done).toMatchObject({ replayId: started.body.replayId, status: 'done', finishedAt: expect.any(String) });
  return done.report;
}

afterAll(async () => {
  await app?.close();
  await store?.close();
  await database?.drop();
});

it('answers who would change class under a new rule set, and why, appending nothing', async () => {
  const before = await eventCount();
  const report = await replayed('2020-02-20', wider);
  expect(report).toMatchObject({
    ruleSetVersion: '2020-02-20',
    registrations: 6,
    replayed: 4,
    unchanged: 2,
    becomeKey: 2,
    becomeGeneral: 0,
    notReplayable: { erased: 1, notKept: 1 },
    changesListed: 2,
  });
  expect(report.changes).toEqual([
    expect.objectContaining({
      travellerId: ids.wenzhou,
      change: 'becomes-key',
      classBefore: 'general',
      ruleSetVersionBefore: '2020-02-10',
      firedBefore: [],
      firedRules: [{ ruleId: 'R1', reason: 'came from a key area' }],
    }),
    expect.objectContaining({
      travellerId: ids.warm,
      change: 'becomes-key',
      firedRules: [{ ruleId: 'R4', reason: 'fever at the checkpoint (37.0 °C or more)' }],
    }),
  ]);
  expect(JSON.stringify(report)).not.toMatch(/张三|1380013/);
  expect(await eventCount()).toBe(before);
  // The history is as it was: the class each registration got stays.
  expect((await http.get(`/travellers/${ids.wenzhou}`).set(as(worker)).expect(200)).body.riskClass).toBe('general');
});

it('replays a rule set the service knows without a body; the one in force changes nobody', async () => {
  expect(await replayed('2020-02-10')).toMatchObject({ registrations: 6, replayed: 4, unchanged: 4, changes: [] });
  const listed = await http.get('/rule-sets').set(as(worker)).expect(200);
  expect(listed.body.current).toBe('2020-02-10');
  expect(listed.body.ruleSets.map((r: { version: string }) => r.version)).toContain('2020-02-10');
});

it('refuses other readers, unknown versions and rule sets that break the schema, naming the field', async () => {
  for (const actor of [worker, cityCenter, canvassDesk]) await http.post('/rule-sets/2020-02-20/replays').set(as(actor)).send(wider).expect(403);
  await http.post('/rule-sets/2020-02-20/replays').send(wider).expect(401);
  await http.post('/rule-sets/2099-01-01/replays').set(as(city)).expect(404);
  const mismatch = await http.post('/rule-sets/2020-02-21/replays').set(as(city)).send(wider).expect(400);
  expect(Object.keys(mismatch.body.fields)).toEqual(['version']);
  const bad = await http
    .post('/rule-sets/2020-02-20/replays')
    .set(as(city))
    .send({ ...wider, feverThresholdC: 50, rules: [{ ...wider.rules[0], when: { sneezing: true } }] })
    .expect(400);
  expect(Object.keys(bad.body.fields).sort()).toEqual(['feverThresholdC', 'rules.0.when']);
  await http.post('/rule-sets/x y/replays').set(as(city)).send(wider).expect(400);
});

it("shows a replay only to the city's health department, and under its own version", async () => {
  const started = await http.post('/rule-sets/2020-02-10/replays').set(as(city)).expect(202);
  const id = started.body.replayId as string;
  for (const actor of [worker, cityCenter, canvassDesk]) await http.get(`/rule-sets/2020-02-10/replays/${id}`).set(as(actor)).expect(403);
  await http.get(`/rule-sets/2020-02-20/replays/${id}`).set(as(city)).expect(404);
  await http.get('/rule-sets/2020-02-10/replays/not-a-uuid').set(as(city)).expect(400);
  await eventually(async () => ((await http.get(`/rule-sets/2020-02-10/replays/${id}`).set(as(city))).body.status === 'done' ? true : undefined));
});

it('a replay stopped by its replica says interrupted; one left running by a replica that vanished reads as interrupted', async () => {
  const db = database.db;
  // A replica that vanished mid-replay: its row still says running, and nothing has written to it for minutes.
  const vanished = '00000000-0000-4000-8000-000000000001';
  await db.query(
    `INSERT INTO th_rule_replays (replay_id, rule_set_version, rule_set, change_limit, status, requested_by, requested_at, heartbeat_at)
     VALUES ($1, '2020-02-10', '{}', 10, 'running', $2, now() - interval '10 minutes', now() - interval '10 minutes')`,
    [vanished, city.sub],
  );
  expect((await http.get(`/rule-sets/2020-02-10/replays/${vanished}`).set(as(city)).expect(200)).body.status).toBe('interrupted');
  // A replica told to stop ends its replays at their next page.
  const other = new RuleReplays(store, app.get(PersonalDataVault), db, RULE_SETS, { pageSize: 1 });
  const job = await other.start(city, '2020-02-10', undefined, 10);
  await other.stop();
  expect((await http.get(`/rule-sets/2020-02-10/replays/${job.replayId}`).set(as(city)).expect(200)).body).toMatchObject({ status: 'interrupted' });
});

it('documents the replay, the rule sets and the community reads in the OpenAPI document, and serves no screen there', async () => {
  const doc = await http.get('/docs-json').expect(200);
  expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/rule-sets', '/rule-sets/{version}/replays', '/check-ins', '/open-flags']));
  expect(doc.body.paths['/rule-sets/{version}/replays'].post.requestBody.content['application/json'].schema.required).toEqual([
    'version',
    'keyAreas',
    'feverThresholdC',
    'rules',
  ]);
  expect(Object.keys(doc.body.paths).some((p) => p.startsWith('/screens'))).toBe(false);
});
