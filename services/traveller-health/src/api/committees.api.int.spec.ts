import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { startTravellerHealthTestApp } from '../testing/traveller-health-test-app';

/**
 * The residents' committees as reference data over real HTTP on the real PostgreSQL server:
 * a district registers its list (again: nothing new; under other names: renamed), only its own
 * district's; anyone lists a district's subdistricts and a subdistrict's committees by name,
 * as the registration page does; bad lists are 400 naming the field, with nothing appended.
 */

const SECRET = 'traveller-health-committees-spec-secret-0123456789abcdef';
const city: Actor = { sub: 'th-city-cm', role: 'department', department: 'traveller-health' };
const changningStaff: Actor = { sub: 'staff-changning-cm', role: 'district-staff', district: '310105' };
const xuhuiStaff: Actor = { sub: 'staff-xuhui-cm', role: 'district-staff', district: '310104' };
const worker: Actor = { sub: 'cw-cm', role: 'field-official', district: '310105', subdistrict: '310105002', department: 'traveller-health' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });

const committee = (sd: number, n: number, name = `No. ${n} Residents' Committee`) => ({
  subdistrictCode: `310105${String(sd).padStart(3, '0')}`,
  subdistrictName: sd === 2 ? 'Jiangsu Road 江苏路街道' : 'Huayang Road 华阳路街道',
  committeeCode: `310105${String(sd).padStart(3, '0')}${String(n).padStart(3, '0')}`,
  name,
});
const LIST = [committee(2, 3), committee(2, 1), committee(1, 7), committee(2, 2)];

let database: TestDatabase;
let store: PostgresEventStore;
let app: INestApplication;
let http: ReturnType<typeof request>;
const eventCount = async () => Number(await store.headPosition());

beforeAll(async () => {
  database = await createTestDatabase('traveller_health_committees');
  ({ app, store } = await startTravellerHealthTestApp(database.db, { secret: SECRET, city }));
  http = request(app.getHttpServer());
}, 180_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

it("registers a district's committees once, lists them by name to anyone, and renames one registered again", async () => {
  const first = await http.post('/districts/310105/committees').set(as(changningStaff)).send({ committees: LIST }).expect(201);
  expect(first.body).toMatchObject({ districtCode: '310105', streamId: 'traveller-health.committees-310105', eventsAppended: 4 });
  const again = await http.post('/districts/310105/committees').set(as(changningStaff)).send({ committees: LIST }).expect(200);
  expect(again.body.eventsAppended).toBe(0);

  // No token: the registration page asks.
  expect((await http.get('/districts/310105/subdistricts').expect(200)).body).toEqual([
    { subdistrictCode: '310105001', name: 'Huayang Road 华阳路街道', committees: 1 },
    { subdistrictCode: '310105002', name: 'Jiangsu Road 江苏路街道', committees: 3 },
  ]);
  expect((await http.get('/subdistricts/310105002/committees').expect(200)).body).toEqual([
    { committeeCode: '310105002001', name: "No. 1 Residents' Committee" },
    { committeeCode: '310105002002', name: "No. 2 Residents' Committee" },
    { committeeCode: '310105002003', name: "No. 3 Residents' Committee" },
  ]);
  expect((await http.get('/districts/310104/subdistricts').expect(200)).body).toEqual([]);

  // The city renames one; a catalog that had read the district takes the change at its next read.
  await http
    .post('/districts/310105/committees')
    .set(as(city))
    .send({ committees: [committee(2, 2, 'Yuyuan No. 2 Residents’ Committee 愚园第二居委会')] })
    .expect(201);
  expect((await http.get('/subdistricts/310105002/committees').expect(200)).body[1]).toEqual({
    committeeCode: '310105002002',
    name: 'Yuyuan No. 2 Residents’ Committee 愚园第二居委会',
  });
});

it("refuses another district's staff and community workers, and bad lists with the field named, appending nothing", async () => {
  const before = await eventCount();
  await http.post('/districts/310105/committees').set(as(xuhuiStaff)).send({ committees: LIST }).expect(403);
  await http.post('/districts/310105/committees').set(as(worker)).send({ committees: LIST }).expect(403);
  await http.post('/districts/310105/committees').send({ committees: LIST }).expect(401);

  const outside = await http
    .post('/districts/310105/committees')
    .set(as(changningStaff))
    .send({ committees: [committee(2, 5), { ...committee(2, 6), committeeCode: '310105003006' }] })
    .expect(400);
  expect(outside.body.fields).toEqual({ 'committees.1.committeeCode': ['committees.1.committeeCode is not in subdistrict 310105002'] });
  const shapes = await http
    .post('/districts/310105/committees')
    .set(as(changningStaff))
    .send({
      committees: [
        { ...committee(2, 5), committeeCode: '31010500200' },
        { ...committee(2, 6), name: '' },
      ],
    })
    .expect(400);
  expect(Object.keys(shapes.body.fields).sort()).toEqual(['committees.0.committeeCode', 'committees.1.name']);
  await http.post('/districts/310105/committees').set(as(changningStaff)).send({ committees: [] }).expect(400);
  await http.post('/districts/319999/committees').set(as(city)).send({ committees: LIST }).expect(400);
  expect(await eventCount()).toBe(before);

  await http.get('/districts/319999/subdistricts').expect(400);
  const unknown = await http.get('/subdistricts/319999001/committees').expect(400);
  expect(unknown.body.fields).toEqual({ code: ["code is not in one of the city's 16 districts (319999)"] });
  await http.get('/subdistricts/3101050/committees').expect(400);
});
