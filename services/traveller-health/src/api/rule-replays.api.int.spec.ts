import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { PersonalDataVault } from '../application/personal-data-vault';
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

afterAll(async () => {
  await app?.close();
  await store?.close();
  await database?.drop();
});

it('answers who would change class under a new rule set, and why, appending nothing', async () => {
  const before = await eventCount();
  const res = await http.post('/rule-sets/2020-02-20/replays').set(as(city)).send(wider).expect(200);
  expect(res.body).toMatchObject({
    ruleSetVersion: '2020-02-20',
    registrations: 6,
    replayed: 4,
    unchanged: 2,
    becomeKey: 2,
    becomeGeneral: 0,
    notReplayable: { erased: 1, notKept: 1 },
    changesListed: 2,
  });
  expect(res.body.changes).toEqual([
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
  expect(JSON.stringify(res.body)).not.toMatch(/张三|1380013/);
  expect(await eventCount()).toBe(before);
  // The history is as it was: the class each registration got stays.
  expect((await http.get(`/travellers/${ids.wenzhou}`).set(as(worker)).expect(200)).body.riskClass).toBe('general');
});

it('replays a rule set the service knows without a body; the one in force changes nobody', async () => {
  const res = await http.post('/rule-sets/2020-02-10/replays').set(as(city)).expect(200);
  expect(res.body).toMatchObject({ registrations: 6, replayed: 4, unchanged: 4, changes: [] });
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
