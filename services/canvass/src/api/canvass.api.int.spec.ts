import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { assertValidEventData, withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { HTTP_ADAPTERS, initHttpApp } from '@city/service-kit';
import { PgliteDatabase } from '@city/sql';
import { fireHostileBurst, hostileCasesFor, INJECTION_STRINGS, malformedJsonBodies, type HostileCase } from '@city/testing';
import { createCanvassApp } from '../canvass-app';

/**
 * The canvass HTTP API over real HTTP (supertest), on the real Nest app and the
 * real PostgreSQL event store running in-process on PGlite: every status code
 * the API promises, idempotent retries, and a burst of hostile requests.
 */

const SECRET = 'canvass-api-spec-secret-0123456789abcdef';
// 10:00 in the city on 12 Feb 2020: visits "today" are on 2020-02-12.
const NOW = new Date('2020-02-12T02:00:00Z');
const DISTRICT = '310105';
const SUBDISTRICT = '310105001';
const OTHER_SUBDISTRICT = '310105002';

const actors = {
  staff: { sub: 'staff-chen', role: 'district-staff', district: DISTRICT },
  otherStaff: { sub: 'staff-xu', role: 'district-staff', district: '310107' },
  official: { sub: 'official-wang', role: 'field-official', district: DISTRICT, subdistrict: SUBDISTRICT },
  colleague: { sub: 'official-li', role: 'field-official', district: DISTRICT, subdistrict: SUBDISTRICT },
  farOfficial: { sub: 'official-zhao', role: 'field-official', district: DISTRICT, subdistrict: OTHER_SUBDISTRICT },
  department: { sub: 'canvass-desk', role: 'department', department: 'canvass' },
  healthDepartment: { sub: 'health-desk', role: 'department', department: 'traveller-health' },
  cityCenter: { sub: 'city-ops', role: 'city-center' },
} satisfies Record<string, Actor>;

type ActorName = keyof typeof actors;
const tokens = Object.fromEntries(Object.entries(actors).map(([name, actor]) => [name, issueToken(actor, SECRET)])) as Record<ActorName, string>;

let db: PgliteDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;

const as = (name: ActorName) => ({ Authorization: `Bearer ${tokens[name]}` });
const eventCount = async () => Number(await store.headPosition());

const findings = {
  tenantsOpened: 1,
  tenantsClosed: 0,
  householdsCanvassed: 0,
  returnedFromOutside: 3,
  inHomeObservation: 2,
  problems: [{ category: 'prevention-supplies', description: 'No thermometer at the lobby' }],
  note: '1 new tenant opened in building A; shops unchanged',
};
const visit = (visitId = randomUUID(), visitedAt = '2020-02-12T09:30:00+08:00') => ({ visitId, visitedAt, findings });

async function registerUnit(unitId: string, kind = 'office-building', subdistrictCode = SUBDISTRICT): Promise<void> {
  await http
    .post('/units')
    .set(as('staff'))
    .send({
      unitId,
      kind,
      name: `Unit ${unitId}`,
      address: '1018 Changning Road',
      districtCode: DISTRICT,
      subdistrictCode,
      size: { tenants: 40, shops: 2, households: 0 },
    })
    .expect(201);
}

async function assign(unitId: string, officialId: string): Promise<void> {
  await http.put(`/units/${unitId}/official`).set(as('staff')).send({ officialId }).expect(200);
}

// The same API, status codes and bodies on both HTTP adapters the kit offers.
describe.each(HTTP_ADAPTERS)('over %s', (httpAdapter) => {
  // PGlite compiling its WASM build, the Nest app starting and the first registrations: seconds when
  // idle, a minute or more on a loaded machine.
  beforeAll(async () => {
    db = new PgliteDatabase();
    store = new PostgresEventStore(db);
    await store.migrate();
    app = await createCanvassApp({
      eventStore: withContractValidation(store),
      readModelDb: db,
      jwtSecret: SECRET,
      logLevel: process.env.SPEC_LOG_LEVEL ?? 'silent',
      clock: () => NOW,
      httpAdapter,
    });
    await initHttpApp(app);
    http = request(app.getHttpServer());
    for (const [code, name] of [
      [SUBDISTRICT, 'Huayang Road'],
      [OTHER_SUBDISTRICT, 'Jiangsu Road'],
    ]) {
      await http.post('/subdistricts').set(as('staff')).send({ districtCode: DISTRICT, subdistrictCode: code, name }).expect(201);
    }
    await registerUnit('office-a');
    await assign('office-a', actors.official.sub);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await db?.close();
  });

  describe('canvass API: commands that succeed', () => {
    it('201 registers a subdistrict; a retry answers 200 with the same version and appends nothing', async () => {
      const body = { districtCode: DISTRICT, subdistrictCode: '310105003', name: 'Xinhua Road' };
      const first = await http.post('/subdistricts').set(as('staff')).send(body).expect(201);
      const before = await eventCount();
      const retry = await http.post('/subdistricts').set(as('staff')).send(body).expect(200);
      expect(retry.body).toEqual({ ...first.body, eventsAppended: 0 });
      expect(await eventCount()).toBe(before);
      const list = await http.get(`/districts/${DISTRICT}/subdistricts`).set(as('official')).expect(200);
      expect(list.body).toContainEqual({ subdistrictCode: '310105003', name: 'Xinhua Road' });
    });

    it('201 registers a unit (server-generated id when none is given)', async () => {
      const res = await http
        .post('/units')
        .set(as('department'))
        .send({
          kind: 'market',
          name: 'Dingxi Road market',
          address: '500 Dingxi Road',
          districtCode: DISTRICT,
          subdistrictCode: SUBDISTRICT,
          size: { tenants: 0, shops: 80, households: 0 },
        })
        .expect(201);
      expect(res.body).toEqual({ unitId: expect.any(String), streamId: `canvass.unit-${res.body.unitId}`, version: 0, eventsAppended: 1 });
    });

    it('200 updates the size, assigns and reassigns, keeping the history', async () => {
      await registerUnit('office-b');
      await assign('office-b', actors.official.sub);
      const size = await http
        .patch('/units/office-b/size')
        .set(as('official'))
        .send({ size: { tenants: 41, shops: 2, households: 0 }, expectedVersion: 1 })
        .expect(200);
      expect(size.body).toMatchObject({ unitId: 'office-b', version: 2, eventsAppended: 1 });
      await assign('office-b', actors.colleague.sub);
      const unit = await http.get('/units/office-b').set(as('staff')).expect(200);
      expect(unit.body).toMatchObject({ officialId: actors.colleague.sub, size: { tenants: 41 }, version: 3, status: 'active' });
      const on = await http.get('/units/office-b/official').query({ on: '2020-02-12' }).set(as('staff')).expect(200);
      expect(on.body).toMatchObject({
        officialId: actors.colleague.sub,
        officials: [{ officialId: actors.official.sub }, { officialId: actors.colleague.sub, until: null }],
      });
      const before = await http.get('/units/office-b/official').query({ on: '2020-02-11' }).set(as('staff')).expect(200);
      expect(before.body).toEqual({ unitId: 'office-b', on: '2020-02-11', officialId: null, officials: [] });
      const history = await http.get('/units/office-b/history').set(as('staff')).expect(200);
      expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
        'UnitRegistered',
        'ResponsibleOfficialAssigned',
        'UnitSizeUpdated',
        'ResponsibleOfficialAssigned',
      ]);
      expect(history.body.events[3].data).toMatchObject({
        officialId: actors.colleague.sub,
        previousOfficialId: actors.official.sub,
        assignedBy: actors.staff.sub,
      });
    });

    it('201 records a visit; the phone resending it gets 200, the same version, and nothing is appended', async () => {
      const body = visit();
      const first = await http.post('/units/office-a/visits').set(as('official')).send(body).expect(201);
      expect(first.body).toMatchObject({ unitId: 'office-a', visitId: body.visitId, eventsAppended: 1 });
      const before = await eventCount();
      const again = await http.post('/units/office-a/visits').set(as('official')).send(body).expect(200);
      expect(again.body).toEqual({ ...first.body, eventsAppended: 0 });
      expect(await eventCount()).toBe(before);
    });

    it('records one visit when a phone fires the same visit many times at once', async () => {
      const body = visit();
      const before = await eventCount();
      const responses = await Promise.all(Array.from({ length: 10 }, () => http.post('/units/office-a/visits').set(as('official')).send(body)));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(responses.map((r) => r.body.version)).size).toBe(1);
      expect(await eventCount()).toBe(before + 1);
    });

    it('records every one of many different visits to one unit sent at once', async () => {
      const before = await eventCount();
      const responses = await Promise.all(Array.from({ length: 20 }, () => http.post('/units/office-a/visits').set(as('official')).send(visit())));
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(responses.map((r) => r.body.version)).size).toBe(20);
      expect(await eventCount()).toBe(before + 20);
    });

    it('records a colleague of the subdistrict as standing in', async () => {
      const body = visit();
      await http.post('/units/office-a/visits').set(as('colleague')).send(body).expect(201);
      const history = await http.get('/units/office-a/history').set(as('official')).expect(200);
      const recorded = history.body.events.find((e: { data: { visitId?: string } }) => e.data.visitId === body.visitId);
      expect(recorded.data).toMatchObject({ officialId: actors.official.sub, recordedBy: actors.colleague.sub, standingIn: true });
      expect(recorded).toMatchObject({ actorId: actors.colleague.sub, actorRole: 'field-official' });
    });

    it('lists my units and what is due today', async () => {
      await registerUnit('office-c');
      await assign('office-c', actors.official.sub);
      await http.post('/units/office-a/visits').set(as('official')).send(visit()).expect(201);
      const res = await http.get('/officials/me/units').set(as('official')).expect(200);
      expect(res.body.day).toBe('2020-02-12');
      const byId = Object.fromEntries(res.body.units.map((u: { unitId: string }) => [u.unitId, u]));
      expect(byId['office-a']).toMatchObject({ visitedToday: true, dueToday: false });
      expect(byId['office-c']).toMatchObject({ visitedToday: false, dueToday: true });
      expect(byId['office-b']).toBeUndefined(); // reassigned to a colleague
      expect(res.body.due).toBe(res.body.units.filter((u: { dueToday: boolean }) => u.dueToday).length);
    });

    it('201 records a doorstep service; a resend answers 200', async () => {
      const body = { serviceId: randomUUID(), kind: 'groceries', households: 2 };
      await http.post('/units/office-a/doorstep-services').set(as('official')).send(body).expect(201);
      const again = await http.post('/units/office-a/doorstep-services').set(as('official')).send(body).expect(200);
      expect(again.body.eventsAppended).toBe(0);
    });

    it('runs a gate shift: start 201, end 200, end resent 200', async () => {
      await registerUnit('compound-1', 'residential-building-group');
      const shiftId = randomUUID();
      const start = await http
        .post('/gate-shifts')
        .set(as('official'))
        .send({ shiftId, unitId: 'compound-1', gate: 'North gate', startedAt: '2020-02-12T07:00:00+08:00' })
        .expect(201);
      expect(start.body).toEqual({ shiftId, streamId: `canvass.gate-shift-${shiftId}`, version: 0, eventsAppended: 1 });
      const endBody = { endedAt: '2020-02-12T09:00:00+08:00', peopleChecked: 320, peopleRegistered: 12 };
      const end = await http.post(`/gate-shifts/${shiftId}/end`).set(as('official')).send(endBody).expect(200);
      expect(end.body).toMatchObject({ version: 1, eventsAppended: 1 });
      const again = await http.post(`/gate-shifts/${shiftId}/end`).set(as('official')).send(endBody).expect(200);
      expect(again.body).toMatchObject({ version: 1, eventsAppended: 0 });
    });

    it('200 retires a unit; retiring again changes nothing', async () => {
      await registerUnit('office-old');
      await http.post('/units/office-old/retire').set(as('staff')).send({ reason: 'demolished' }).expect(200);
      const again = await http.post('/units/office-old/retire').set(as('staff')).send({}).expect(200);
      expect(again.body.eventsAppended).toBe(0);
    });
  });

  describe('canvass API: syncing visits recorded offline', () => {
    const batchVisit = (unitId: string, visitedAt = '2020-02-12T08:15:00+08:00') => ({ unitId, ...visit(randomUUID(), visitedAt) });

    beforeAll(async () => {
      await registerUnit('sync-office');
      await assign('sync-office', actors.official.sub);
      await registerUnit('sync-far-office', 'office-building', OTHER_SUBDISTRICT);
      await assign('sync-far-office', actors.farOfficial.sub);
    });

    it('records each visit of a batch, and a resent batch records none twice', async () => {
      const visits = [batchVisit('sync-office', '2020-02-11T16:00:00+08:00'), batchVisit('office-a'), batchVisit('sync-office')];
      const before = await eventCount();
      const first = await http.post('/visit-batches').set(as('official')).send({ visits }).expect(200);
      expect(first.body).toMatchObject({ recorded: 3, alreadyRecorded: 0, refused: 0 });
      expect(first.body.results.map((r: { visitId: string; status: number }) => [r.visitId, r.status])).toEqual(visits.map((v) => [v.visitId, 201]));
      expect(first.body.results[0].receipt).toMatchObject({ unitId: 'sync-office', visitId: visits[0].visitId, eventsAppended: 1 });
      // Visits to one unit are recorded in the order sent.
      expect(first.body.results[2].receipt.version).toBe(first.body.results[0].receipt.version + 1);
      expect(await eventCount()).toBe(before + 3);

      const again = await http.post('/visit-batches').set(as('official')).send({ visits }).expect(200);
      expect(again.body).toMatchObject({ recorded: 0, alreadyRecorded: 3, refused: 0 });
      expect(again.body.results.map((r: { receipt: { version: number } }) => r.receipt.version)).toEqual(
        first.body.results.map((r: { receipt: { version: number } }) => r.receipt.version),
      );
      expect(await eventCount()).toBe(before + 3);
    });

    it('answers each refused visit with the status and reason it alone would get, and records the rest', async () => {
      const visits = [
        batchVisit('sync-office'),
        batchVisit('no-such-unit'),
        batchVisit('sync-far-office'),
        batchVisit('sync-office', '2020-02-12T18:00:00+08:00'), // later than now in the city
      ];
      const before = await eventCount();
      const res = await http.post('/visit-batches').set(as('official')).send({ visits }).expect(200);
      expect(res.body).toMatchObject({ recorded: 1, alreadyRecorded: 0, refused: 3 });
      // A unit of another subdistrict the official does not answer for is answered as unknown (access rule 5), and still counted.
      expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 404, 404, 409]);
      expect(res.body.results[1].error).toEqual({ statusCode: 404, error: 'not_found', message: 'Unknown unit no-such-unit' });
      expect(res.body.results[2].error).toEqual({ statusCode: 404, error: 'not_found', message: 'Unknown unit sync-far-office' });
      const metrics = await http.get('/metrics').expect(200);
      expect(metrics.text).toMatch(/city_auth_refusals_total\{[^}]*reason="other_subdistrict"[^}]*\} [1-9]/);
      expect(res.body.results[3].error).toMatchObject({ error: 'rule_violation', rule: 'time-in-the-future' });
      expect(await eventCount()).toBe(before + 1);
    });

    it('refuses a malformed batch whole with 400, recording nothing', async () => {
      const before = await eventCount();
      const oneBad = [batchVisit('sync-office'), { ...batchVisit('sync-office'), findings: { ...findings, householdsCanvassed: -1 } }];
      const bad = await http.post('/visit-batches').set(as('official')).send({ visits: oneBad }).expect(400);
      expect(bad.body.error).toBe('invalid');
      expect(JSON.stringify(bad.body.fields)).toContain('householdsCanvassed');
      await http.post('/visit-batches').set(as('official')).send({ visits: [] }).expect(400);
      await http
        .post('/visit-batches')
        .set(as('official'))
        .send({ visits: [{ ...batchVisit('sync-office'), unitId: undefined }] })
        .expect(400);
      const tooMany = Array.from({ length: 101 }, () => ({
        unitId: 'sync-office',
        visitId: randomUUID(),
        visitedAt: '2020-02-12T08:15:00+08:00',
        findings: { ...findings, note: undefined, problems: [] },
      }));
      await http.post('/visit-batches').set(as('official')).send({ visits: tooMany }).expect(400);
      expect(await eventCount()).toBe(before);
    });

    it('401 without a token, 403 for a role that does no field work', async () => {
      await http
        .post('/visit-batches')
        .send({ visits: [batchVisit('sync-office')] })
        .expect(401);
      await http
        .post('/visit-batches')
        .set(as('cityCenter'))
        .send({ visits: [batchVisit('sync-office')] })
        .expect(403);
    });
  });

  describe('canvass API: refusals', () => {
    it('400 names a missing field, and nothing is appended', async () => {
      const before = await eventCount();
      const res = await http.post('/units/office-a/visits').set(as('official')).send({ visitId: randomUUID(), findings }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'invalid', fields: { visitedAt: expect.any(Array) } });
      expect(await eventCount()).toBe(before);
    });

    it('400 rejects unknown fields, also nested ones', async () => {
      const top = await http
        .post('/units/office-a/visits')
        .set(as('official'))
        .send({ ...visit(), officialId: 'someone-else' })
        .expect(400);
      expect(top.body.fields).toHaveProperty('officialId');
      const nested = await http
        .post('/units/office-a/visits')
        .set(as('official'))
        .send({ ...visit(), findings: { ...findings, residentName: 'Zhang San' } })
        .expect(400);
      expect(nested.body.fields).toHaveProperty(['findings.residentName']);
    });

    it('400 for malformed JSON', async () => {
      const res = await http.post('/units').set(as('staff')).set('Content-Type', 'application/json').send('{"kind": "market",').expect(400);
      expect(res.body.statusCode).toBe(400);
    });

    it('400 for bad values: negative sizes, unknown district, bad dates, bad ids, blank text', async () => {
      const base = {
        kind: 'office-building',
        name: 'X',
        address: 'Y',
        districtCode: DISTRICT,
        subdistrictCode: SUBDISTRICT,
        size: { tenants: 1, shops: 0, households: 0 },
      };
      const cases: [object, string][] = [
        [{ ...base, size: { tenants: -1, shops: 0, households: 0 } }, 'size.tenants'],
        [{ ...base, size: { tenants: 1.5, shops: 0, households: 0 } }, 'size.tenants'],
        [{ ...base, size: { tenants: 10_000_001, shops: 0, households: 0 } }, 'size.tenants'],
        [{ ...base, size: 'big' }, 'size'],
        [{ ...base, districtCode: '310199' }, 'districtCode'],
        [{ ...base, districtCode: '110105' }, 'districtCode'],
        [{ ...base, kind: 'shopping-mall' }, 'kind'],
        [{ ...base, name: '   ' }, 'name'],
        [{ ...base, name: 'x'.repeat(201) }, 'name'],
        [{ ...base, unitId: '../../etc/passwd' }, 'unitId'],
      ];
      for (const [body, field] of cases) {
        const res = await http.post('/units').set(as('staff')).send(body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.fields).toHaveProperty([field]);
      }
      const badDate = await http.post('/units/office-a/visits').set(as('official')).send(visit(randomUUID(), '2020-02-30T09:00:00+08:00')).expect(400);
      expect(badDate.body.fields).toHaveProperty('visitedAt');
      const noOffset = await http.post('/units/office-a/visits').set(as('official')).send(visit(randomUUID(), '2020-02-12T09:00:00')).expect(400);
      expect(noOffset.body.fields).toHaveProperty('visitedAt');
      const badQuery = await http.get('/units/office-a/official').query({ on: 'yesterday' }).set(as('staff')).expect(400);
      expect(badQuery.body.fields).toHaveProperty('on');
    });

    it('400 naming unitId for a malformed unit id in the path of a visit (body invalid too) and of a unit', async () => {
      const message = 'unitId must be 1-100 letters, digits, or . _ : - (starting with a letter or digit)';
      const tooLong = 'u'.repeat(101);
      for (const send of [
        () => http.post(`/units/${tooLong}/visits`).set(as('official')).send(visit()),
        () => http.post('/units/-office-a/visits').set(as('official')).send({ visitedAt: 'not a time' }),
        () => http.get(`/units/${tooLong}`).set(as('staff')),
      ]) {
        const res = await send();
        expect({ status: res.status, body: res.body }).toEqual({
          status: 400,
          body: { statusCode: 400, error: 'invalid', message: 'Invalid request: 1 field failed validation', fields: { unitId: [message] } },
        });
      }
    });

    it('400 for a subdistrict code outside its district', async () => {
      const res = await http
        .post('/subdistricts')
        .set(as('staff'))
        .send({ districtCode: DISTRICT, subdistrictCode: '310107001', name: 'Elsewhere' })
        .expect(400);
      expect(res.body.fields).toHaveProperty('subdistrictCode');
    });

    it('401 without a token or with a forged one', async () => {
      await http.post('/units/office-a/visits').send(visit()).expect(401);
      const forged = issueToken(actors.official, 'another-secret-that-is-long-enough-0123456789');
      await http.post('/units/office-a/visits').set('Authorization', `Bearer ${forged}`).send(visit()).expect(401);
      await http.get('/officials/me/units').set('Authorization', 'Bearer not-a-jwt').expect(401);
    });

    it('403 for the wrong role, another department, another district, and someone else’s unit', async () => {
      const before = await eventCount();
      const unit = {
        kind: 'market',
        name: 'M',
        address: 'A',
        districtCode: DISTRICT,
        subdistrictCode: SUBDISTRICT,
        size: { tenants: 0, shops: 1, households: 0 },
      };
      const wrongRole = await http.post('/units').set(as('cityCenter')).send(unit).expect(403);
      expect(wrongRole.body.reason).toBe('wrong_role');
      await http.post('/units').set(as('official')).send(unit).expect(403);
      await http.post('/units').set(as('healthDepartment')).send(unit).expect(403);
      const other = await http.post('/units').set(as('otherStaff')).send(unit).expect(403);
      expect(other.body).toMatchObject({ error: 'forbidden', reason: 'other_district' });
      const colleagueResize = await http
        .patch('/units/office-a/size')
        .set(as('colleague'))
        .send({ size: { tenants: 1, shops: 1, households: 1 } })
        .expect(403);
      expect(colleagueResize.body).toMatchObject({ error: 'forbidden', reason: 'other_subdistrict' });
      await http.get('/units').query({ districtCode: '310107' }).set(as('staff')).expect(403);
      expect(await eventCount()).toBe(before);
    });

    it('404 for an unknown unit or shift', async () => {
      const res = await http.post('/units/no-such-unit/visits').set(as('official')).send(visit()).expect(404);
      expect(res.body).toMatchObject({ error: 'not_found' });
      await http.get('/units/no-such-unit').set(as('staff')).expect(404);
      await http.get('/units/no-such-unit/history').set(as('staff')).expect(404);
      await http.post(`/gate-shifts/${randomUUID()}/end`).set(as('official')).send({ peopleChecked: 1, peopleRegistered: 0 }).expect(404);
      await http
        .patch('/units/no-such-unit/size')
        .set(as('staff'))
        .send({ size: { tenants: 1, shops: 1, households: 1 } })
        .expect(404);
    });

    it('409 for an id resent with a different body, naming the fields; the same body stays 200', async () => {
      const body = visit();
      await http.post('/units/office-a/visits').set(as('official')).send(body).expect(201);
      const before = await eventCount();
      const changed = { ...body, findings: { ...findings, tenantsOpened: 7, problems: [] } };
      const res = await http.post('/units/office-a/visits').set(as('official')).send(changed).expect(409);
      expect(res.body).toEqual({
        statusCode: 409,
        error: 'rule_violation',
        rule: 'idempotency-key-reused',
        message: `Visit ${body.visitId} is already recorded with a different findings.problems, findings.tenantsOpened: resend the same body to retry, or use a new id`,
      });
      const moved = await http
        .post('/units/office-a/visits')
        .set(as('official'))
        .send({ ...body, visitedAt: '2020-02-12T08:00:00+08:00' })
        .expect(409);
      expect(moved.body.message).toMatch(/different visitedAt/);
      const batch = await http
        .post('/visit-batches')
        .set(as('official'))
        .send({ visits: [{ unitId: 'office-a', ...changed }] })
        .expect(200);
      expect(batch.body.results[0]).toMatchObject({ status: 409, error: { rule: 'idempotency-key-reused' } });
      await http.post('/units/office-a/visits').set(as('official')).send(body).expect(200);

      const service = { serviceId: randomUUID(), kind: 'groceries', households: 2, deliveredAt: '2020-02-12T09:00:00+08:00' };
      await http.post('/units/office-a/doorstep-services').set(as('official')).send(service).expect(201);
      const otherService = await http
        .post('/units/office-a/doorstep-services')
        .set(as('official'))
        .send({ ...service, households: 3 })
        .expect(409);
      expect(otherService.body).toMatchObject({ rule: 'idempotency-key-reused', message: expect.stringContaining('different households') });
      await http.post('/units/office-a/doorstep-services').set(as('official')).send(service).expect(200);
      const { deliveredAt: _, ...withoutTime } = service;
      await http.post('/units/office-a/doorstep-services').set(as('official')).send(withoutTime).expect(200);
      expect(await eventCount()).toBe(before + 1);
    });

    it('409 for a stale expectedVersion, naming the conflict', async () => {
      const before = await eventCount();
      const res = await http
        .patch('/units/office-a/size')
        .set(as('staff'))
        .send({ size: { tenants: 99, shops: 0, households: 0 }, expectedVersion: 0 })
        .expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'version_conflict' });
      expect(await eventCount()).toBe(before);
    });

    it('409 for broken rules, naming them, with nothing appended', async () => {
      await registerUnit('office-retired');
      await assign('office-retired', actors.official.sub);
      await http.post('/units/office-retired/retire').set(as('staff')).send({}).expect(200);
      const before = await eventCount();
      const retired = await http.post('/units/office-retired/visits').set(as('official')).send(visit()).expect(409);
      expect(retired.body).toMatchObject({ error: 'rule_violation', rule: 'unit-retired' });
      const unknownSubdistrict = await http
        .post('/units')
        .set(as('staff'))
        .send({ kind: 'market', name: 'M', address: 'A', districtCode: DISTRICT, subdistrictCode: '310105099', size: { tenants: 0, shops: 1, households: 0 } })
        .expect(409);
      expect(unknownSubdistrict.body.rule).toBe('unknown-subdistrict');
      const future = await http.post('/units/office-a/visits').set(as('official')).send(visit(randomUUID(), '2020-02-12T18:00:00+08:00')).expect(409);
      expect(future.body.rule).toBe('time-in-the-future');
      expect(await eventCount()).toBe(before);
    });

    it('409 for gate shifts that overlap or end before they start', async () => {
      await registerUnit('compound-2', 'residential-building-group');
      const shiftId = randomUUID();
      await http
        .post('/gate-shifts')
        .set(as('colleague'))
        .send({ shiftId, unitId: 'compound-2', gate: 'South gate', startedAt: '2020-02-12T06:00:00+08:00' })
        .expect(201);
      const overlap = await http
        .post('/gate-shifts')
        .set(as('colleague'))
        .send({ unitId: 'compound-2', gate: 'East gate', startedAt: '2020-02-12T06:30:00+08:00' })
        .expect(409);
      expect(overlap.body.rule).toBe('shift-overlaps-another-shift');
      const early = await http
        .post(`/gate-shifts/${shiftId}/end`)
        .set(as('colleague'))
        .send({ endedAt: '2020-02-12T05:00:00+08:00', peopleChecked: 1, peopleRegistered: 0 })
        .expect(409);
      expect(early.body.rule).toBe('shift-ends-before-start');
      const office = await http.post('/gate-shifts').set(as('official')).send({ unitId: 'office-a', gate: 'Lobby' }).expect(409);
      expect(office.body.rule).toBe('gate-duty-needs-a-compound');
    });

    it('413 for an oversized body, and nothing is appended', async () => {
      const before = await eventCount();
      const res = await http
        .post('/units/office-a/visits')
        .set(as('official'))
        .send({ ...visit(), findings: { ...findings, note: 'x'.repeat(100_000) } });
      expect(res.status).toBe(413);
      expect(await eventCount()).toBe(before);
    });

    it('survives a burst of malformed, oversized and injection requests: each a 4xx naming its reason, never 500, nothing appended', async () => {
      const before = await eventCount();
      const cases: HostileCase[] = [];
      const add = (label: string, send: () => request.Test) => cases.push({ label, send });
      for (const s of INJECTION_STRINGS) {
        add(`visit to unit ${s}`, () =>
          http
            .post(`/units/${encodeURIComponent(s)}/visits`)
            .set(as('official'))
            .send(visit()),
        );
        add(`visitId ${s}`, () =>
          http
            .post('/units/office-a/visits')
            .set(as('official'))
            .send({ ...visit(), visitId: s }),
        );
        add(`note and problem category ${s}`, () =>
          http
            .post('/units/office-a/visits')
            .set(as('official'))
            .send({ ...visit(), findings: { ...findings, note: s, problems: [{ category: s }] } }),
        );
        add(`unit of ${s}`, () =>
          http
            .post('/units')
            .set(as('staff'))
            .send({ kind: s, name: s, address: s, districtCode: s, subdistrictCode: s, size: { tenants: s, shops: [], households: {} } }),
        );
        add(`subdistrict ${s}`, () => http.post('/subdistricts').set(as('staff')).send({ districtCode: DISTRICT, subdistrictCode: s, name: s }));
        add(`official on ${s}`, () => http.get('/units/office-a/official').query({ on: s }).set(as('staff')));
        add(`units of ${s}`, () => http.get('/units').query({ districtCode: s, limit: s, includeRetired: s }).set(as('staff')));
        add(`gate shift ${s}`, () => http.post('/gate-shifts').set(as('official')).send({ unitId: s, gate: s, startedAt: s }));
        add(`bearer ${s}`, () =>
          http
            .post('/units/office-a/visits')
            .set('Authorization', `Bearer ${encodeURIComponent(s)}`)
            .send(visit()),
        );
        add(`official ${s}`, () => http.put('/units/office-a/official').set(as('staff')).send({ officialId: s, expectedVersion: s }));
      }
      for (const body of [...malformedJsonBodies(), ...deeplyNested()]) {
        add(`visit body ${body.slice(0, 20)}`, () =>
          http.post('/units/office-a/visits').set(as('official')).set('Content-Type', 'application/json').send(body),
        );
        add(`unit body ${body.slice(0, 20)}`, () => http.post('/units').set(as('staff')).set('Content-Type', 'application/json').send(body));
      }
      for (let i = 0; i < 80; i++) {
        add(`tenantsOpened ${i}`, () =>
          http
            .post('/units/office-a/visits')
            .set(as('official'))
            .send({ ...visit(), findings: { ...findings, tenantsOpened: [i, 'x', null][i % 3], problems: 'none' } }),
        );
      }
      add('a visitId of 70,000 characters', () =>
        http
          .post('/units/office-a/visits')
          .set(as('official'))
          .send({ visitId: 'x'.repeat(70_000) }),
      );
      add('a visit as text/plain', () => http.post('/units/office-a/visits').set(as('official')).set('Content-Type', 'text/plain').send('visit'));
      // Every field of a visit and of a unit: values of the wrong type, oversized, unknown fields beside them.
      const json = (path: string, actor: ActorName) => (text: string) => http.post(path).set(as(actor)).set('Content-Type', 'application/json').send(text);
      cases.push(...hostileCasesFor({ route: 'POST /units/office-a/visits', valid: visit(), send: json('/units/office-a/visits', 'official') }));
      const unit = {
        unitId: 'burst-unit',
        kind: 'office-building',
        name: 'Burst',
        address: '1 Burst Road',
        districtCode: DISTRICT,
        subdistrictCode: SUBDISTRICT,
        size: { tenants: 1, shops: 1, households: 0 },
      };
      cases.push(...hostileCasesFor({ route: 'POST /units', valid: unit, send: json('/units', 'staff') }));
      expect(cases.length).toBeGreaterThanOrEqual(300);

      const burst = await fireHostileBurst(cases);
      expect(burst.problems).toEqual([]);
      expect(await eventCount()).toBe(before);
      await http.get('/health/live').expect(200);
    });
  });

  /** Bodies about 3,500 levels deep (about 24 KB, under the body limit): as objects, as arrays, inside `findings`. */
  function deeplyNested(levels = 3500): string[] {
    return [
      '{"a":'.repeat(levels) + '1' + '}'.repeat(levels),
      '['.repeat(levels) + ']'.repeat(levels),
      JSON.stringify({ ...visit(), findings: { ...findings, problems: [] } }).replace('"problems":[]', `"problems":${'['.repeat(levels)}${']'.repeat(levels)}`),
      JSON.stringify(visit()).replace('"note":', `"deep":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)},"note":`),
    ];
  }

  describe('canvass API: bodies nested too deeply', () => {
    const routes: [string, string][] = [
      ['post', '/subdistricts'],
      ['post', '/units'],
      ['patch', '/units/office-a/size'],
      ['post', '/units/office-a/retire'],
      ['put', '/units/office-a/official'],
      ['post', '/units/office-a/visits'],
      ['post', '/visit-batches'],
      ['post', '/units/office-a/doorstep-services'],
      ['post', '/gate-shifts'],
      [`post`, `/gate-shifts/${randomUUID()}/end`],
    ];

    it.each(routes)('%s %s answers 400 too_deeply_nested, never 500, and records nothing', async (method, path) => {
      const before = await eventCount();
      for (const body of deeplyNested()) {
        expect(body.length).toBeLessThan(64 * 1024);
        const res = await (http as unknown as Record<string, (p: string) => request.Test>)
          [method](path)
          .set(as('department'))
          .set('Content-Type', 'application/json')
          .send(body);
        expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'too_deeply_nested' });
      }
      expect(await eventCount()).toBe(before);
    });
  });

  describe('canvass API: access model (services/canvass/README.md)', () => {
    /** A 404 body with the unit id taken out, to compare the answers for two ids. */
    const shape = (res: { status: number; body: { message?: string } }, id: string) => ({
      status: res.status,
      body: { ...res.body, message: res.body.message?.replace(id, '<id>') },
    });
    const size = { size: { tenants: 1, shops: 1, households: 1 } };

    it('rule 5: answers another district’s existing units exactly as unknown ones, on every route', async () => {
      const before = await eventCount();
      const probes: [ActorName, (id: string) => request.Test][] = [
        ['otherStaff', (id) => http.get(`/units/${id}`)],
        ['otherStaff', (id) => http.get(`/units/${id}/history`)],
        ['otherStaff', (id) => http.get(`/units/${id}/official`).query({ on: '2020-02-12' })],
        ['otherStaff', (id) => http.post(`/units/${id}/visits`).send(visit())],
        ['otherStaff', (id) => http.patch(`/units/${id}/size`).send(size)],
        ['otherStaff', (id) => http.put(`/units/${id}/official`).send({ officialId: 'official-x' })],
        ['otherStaff', (id) => http.post(`/units/${id}/retire`).send({})],
        ['farOfficial', (id) => http.get(`/units/${id}`)],
        ['farOfficial', (id) => http.post(`/units/${id}/visits`).send(visit())],
        ['healthDepartment', (id) => http.get(`/units/${id}`)],
      ];
      for (const [actor, probe] of probes) {
        const existing = await probe('office-a').set(as(actor));
        const unknown = await probe('no-such-unit').set(as(actor));
        expect(shape(existing, 'office-a')).toEqual(shape(unknown, 'no-such-unit'));
        expect(existing.status).toBe(404);
      }
      expect(await eventCount()).toBe(before);
      const metrics = await http.get('/metrics').expect(200);
      expect(metrics.text).toMatch(/city_auth_refusals_total\{[^}]*reason="other_district"[^}]*\} [1-9]/);
    });

    it('rule 5: the same for gate shifts and compounds the official may not open', async () => {
      await registerUnit('compound-hidden', 'residential-building-group');
      const shiftId = randomUUID();
      const shift = { shiftId, unitId: 'compound-hidden', gate: 'East gate', startedAt: '2020-02-12T06:00:00+08:00' };
      await http.post('/gate-shifts').set(as('official')).send(shift).expect(201);
      const end = { endedAt: '2020-02-12T06:30:00+08:00', peopleChecked: 3, peopleRegistered: 0 };
      const existing = await http.post(`/gate-shifts/${shiftId}/end`).set(as('otherStaff')).send(end);
      const unknownId = randomUUID();
      const unknown = await http.post(`/gate-shifts/${unknownId}/end`).set(as('otherStaff')).send(end);
      expect(shape(existing, shiftId)).toEqual(shape(unknown, unknownId));
      expect(existing.status).toBe(404);
      await http.post(`/gate-shifts/${shiftId}/end`).set(as('official')).send(end).expect(200);
      const compound = await http
        .post('/gate-shifts')
        .set(as('farOfficial'))
        .send({ ...shift, shiftId: randomUUID() });
      const nowhere = await http
        .post('/gate-shifts')
        .set(as('farOfficial'))
        .send({ ...shift, shiftId: randomUUID(), unitId: 'no-such-compound' });
      expect(shape(compound, 'compound-hidden')).toEqual(shape(nowhere, 'no-such-compound'));
      expect(compound.status).toBe(404);
    });

    it('rule 6: a field official lists only the units they may open', async () => {
      await registerUnit('listed-far-1', 'office-building', OTHER_SUBDISTRICT);
      await registerUnit('listed-far-2', 'office-building', OTHER_SUBDISTRICT);
      await assign('listed-far-2', actors.official.sub);
      const other = await http.get('/units').query({ districtCode: DISTRICT, subdistrictCode: OTHER_SUBDISTRICT }).set(as('official')).expect(200);
      expect(other.body.map((u: { unitId: string }) => u.unitId)).toEqual(['listed-far-2']);
      const district = await http.get('/units').query({ districtCode: DISTRICT, limit: 1000 }).set(as('official')).expect(200);
      const staffView = await http.get('/units').query({ districtCode: DISTRICT, limit: 1000 }).set(as('staff')).expect(200);
      expect(staffView.body.length).toBeGreaterThan(district.body.length);
      for (const unit of district.body as { unitId: string; subdistrictCode: string; officialId: string | null }[]) {
        expect(unit.subdistrictCode === SUBDISTRICT || unit.officialId === actors.official.sub).toBe(true);
        await http.get(`/units/${unit.unitId}`).set(as('official')).expect(200);
      }
      // Everything the staff see that the official may open is listed for the official too.
      const opened = [];
      for (const unit of staffView.body as { unitId: string }[]) {
        if ((await http.get(`/units/${unit.unitId}`).set(as('official'))).status === 200) opened.push(unit.unitId);
      }
      expect(district.body.map((u: { unitId: string }) => u.unitId).sort()).toEqual(opened.sort());
      await http.get('/units').query({ districtCode: '310107' }).set(as('official')).expect(403);
    });

    it('rule 7: a field official cannot end another official’s gate shift', async () => {
      await registerUnit('compound-duty', 'residential-building-group');
      const shiftId = randomUUID();
      await http
        .post('/gate-shifts')
        .set(as('official'))
        .send({ shiftId, unitId: 'compound-duty', gate: 'West gate', startedAt: '2020-02-12T05:00:00+08:00' })
        .expect(201);
      const before = await eventCount();
      const end = { endedAt: '2020-02-12T05:30:00+08:00', peopleChecked: 99999, peopleRegistered: 0 };
      const res = await http.post(`/gate-shifts/${shiftId}/end`).set(as('colleague')).send(end).expect(403);
      expect(res.body).toMatchObject({ error: 'forbidden', reason: 'wrong_role', message: 'Field official official-li may record only their own gate duty' });
      expect(await eventCount()).toBe(before);
      await http
        .post(`/gate-shifts/${shiftId}/end`)
        .set(as('staff'))
        .send({ ...end, peopleChecked: 5 })
        .expect(200);
    });
  });

  describe('canvass API: operability', () => {
    it('serves OpenAPI at /docs, health and metrics without a token', async () => {
      const doc = await http.get('/docs-json').expect(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/subdistricts',
          '/units',
          '/units/{unitId}/visits',
          '/visit-batches',
          '/gate-shifts',
          '/gate-shifts/{shiftId}/end',
          '/officials/me/units',
          '/units/{unitId}/history',
        ]),
      );
      await http.get('/health/live').expect(200);
      await http.get('/health/ready').expect(200);
      const metrics = await http.get('/metrics').expect(200);
      expect(metrics.text).toMatch(/city_commands_total\{[^}]*command="RecordCanvassVisit"[^}]*outcome="accepted"/);
      expect(metrics.text).toMatch(/city_events_appended_total\{[^}]*type="CanvassVisitRecorded"/);
      expect(metrics.text).toMatch(/city_commands_total\{[^}]*outcome="rejected_rule"/);
      // Refusals for another subdistrict (the tests above), those answered as 404 included (access rule 5).
      expect(metrics.text).toMatch(/city_auth_refusals_total\{[^}]*reason="other_subdistrict"[^}]*\} [1-9]/);
    });
  });

  describe('canvass API: contracts', () => {
    it('wrote only events that pass their JSON Schema, with the district in the metadata', async () => {
      const events = await store.readAll({ limit: 10_000 });
      expect(events.length).toBeGreaterThan(20);
      expect(new Set(events.map((e) => e.type))).toEqual(
        new Set([
          'SubdistrictRegistered',
          'UnitRegistered',
          'UnitSizeUpdated',
          'UnitRetired',
          'ResponsibleOfficialAssigned',
          'CanvassVisitRecorded',
          'DoorstepServiceDelivered',
          'GateShiftStarted',
          'GateShiftEnded',
        ]),
      );
      for (const event of events) {
        expect(() => assertValidEventData(event.type, event.schemaVersion, event.data)).not.toThrow();
        expect(event.metadata).toMatchObject({ district: DISTRICT, actorId: expect.any(String), correlationId: expect.any(String) });
      }
    });
  });
});
