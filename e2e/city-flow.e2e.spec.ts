import { randomUUID } from 'node:crypto';
import { issueToken, type Actor } from '@city/auth';
import { callJson, pollUntil } from './support/http-client';
import { startCityStack, type CityStack } from './support/city-stack';
import { SseClient } from '@city/testing';

/**
 * One fact across the city, in stack mode: a field official's canvass visit,
 * POSTed over HTTP to the canvass service, is appended to its PostgreSQL event
 * store, relayed to a real Kafka topic, projected by the operations center
 * into its own PostgreSQL read models, and shows up in the district overview
 * and on the live stream. Every piece is the production one; only the ports,
 * databases, topic and consumer group are this test's own.
 */

// Jest reads testTimeout only from the root config, not per project: set it here.
jest.setTimeout(120_000);

const SECRET = 'e2e-city-flow-secret-0123456789abcdef';
const CHANGNING = '310105';
const SUBDISTRICT = '310105003';
const PUTUO = '310107';

const staff: Actor = { sub: 'e2e-changning-staff', role: 'district-staff', district: CHANGNING };
const official: Actor = { sub: `e2e-official-${randomUUID().slice(0, 8)}`, role: 'field-official', district: CHANGNING, subdistrict: SUBDISTRICT };
const otherDistrict: Actor = { sub: 'e2e-putuo-staff', role: 'district-staff', district: PUTUO };
const asStaff = issueToken(staff, SECRET);
const asOfficial = issueToken(official, SECRET);
const asPutuo = issueToken(otherDistrict, SECRET);

/** The canvass section of a district overview, as far as this test reads it. */
interface CanvassSection {
  units: { active: number; canvassedToday: number; coverageToday: number | null };
  householdsRegistered: number;
  visits: { today: number; total: number };
  householdsCanvassed: { today: number; total: number };
  returnedFromOutside: { today: number; total: number };
  inHomeObservation: number;
}
interface DistrictOverviewBody {
  district: { code: string };
  live: boolean;
  figures: { canvass: CanvassSection };
}

let city: CityStack | undefined;
let sse: SseClient | undefined;

// The canvass service and the operations center started on real PostgreSQL and Kafka: seconds when
// idle, a minute or more on a loaded machine.
beforeAll(async () => {
  city = await startCityStack({ jwtSecret: SECRET });
}, 180_000);

afterAll(async () => {
  await sse?.close();
  await city?.stop();
});

it('carries a canvass visit from the canvass API through Kafka to the district figures, once, and live', async () => {
  if (!city) throw new Error('the city did not start');
  const { canvassUrl, opsUrl } = city;
  const unitId = `e2e-unit-${randomUUID()}`;
  const overviewUrl = `${opsUrl}/api/districts/${CHANGNING}/overview`;
  let lastSeen: unknown;
  const figuresWhen = (accept: (c: CanvassSection) => boolean) =>
    pollUntil(
      async () => {
        const answer = await callJson<DistrictOverviewBody>('GET', overviewUrl, asStaff);
        lastSeen = answer.status === 200 ? answer.body.figures.canvass : answer;
        return answer.status === 200 && accept(answer.body.figures.canvass) ? answer.body.figures.canvass : undefined;
      },
      () => JSON.stringify(lastSeen),
      60_000, // relay, Kafka and projection between the POST and the figures: seconds when idle
    );

  expect((await fetch(`${canvassUrl}/health/ready`)).status).toBe(200);
  expect((await fetch(`${opsUrl}/health/ready`)).status).toBe(200);

  // The district registers the subdistrict and a unit of 120 households, and names its official.
  expect(
    (await callJson('POST', `${canvassUrl}/subdistricts`, asStaff, { districtCode: CHANGNING, subdistrictCode: SUBDISTRICT, name: 'Jiangsu Road Subdistrict' }))
      .status,
  ).toBe(201);
  const unit = {
    unitId,
    kind: 'residential-building-group',
    name: 'Lane 340 compound',
    address: '340 Yuyuan Road',
    districtCode: CHANGNING,
    subdistrictCode: SUBDISTRICT,
    size: { tenants: 0, shops: 2, households: 120 },
  };
  expect((await callJson('POST', `${canvassUrl}/units`, asStaff, unit)).status).toBe(201);
  expect((await callJson('PUT', `${canvassUrl}/units/${unitId}/official`, asStaff, { officialId: official.sub })).status).toBe(200);

  // The official records a visit from the phone.
  const visit = {
    visitId: randomUUID(),
    visitedAt: new Date(Date.now() - 1000).toISOString(),
    findings: {
      tenantsOpened: 0,
      tenantsClosed: 0,
      householdsCanvassed: 35,
      returnedFromOutside: 4,
      inHomeObservation: 2,
      note: 'two returnees in observation',
    },
  };
  const recorded = await callJson('POST', `${canvassUrl}/units/${unitId}/visits`, asOfficial, visit);
  expect(recorded).toMatchObject({ status: 201, body: { unitId, visitId: visit.visitId, eventsAppended: 1 } });

  // The district's staff see it in their overview once the projection has it.
  const first = await figuresWhen((c) => c.visits.total >= 1);
  expect(first).toMatchObject({
    units: { active: 1, canvassedToday: 1, coverageToday: 1 },
    householdsRegistered: 120,
    visits: { today: 1, total: 1 },
    householdsCanvassed: { today: 35, total: 35 },
    returnedFromOutside: { today: 4, total: 4 },
    inHomeObservation: 2,
  });

  // Another district's staff may not read Changning, nor the whole city.
  expect((await callJson('GET', overviewUrl, asPutuo)).status).toBe(403);
  expect((await callJson('GET', `${opsUrl}/api/city/overview`, asPutuo)).status).toBe(403);
  // Their own district they may read, and nothing of Changning's visit is in it.
  const putuo = await callJson<DistrictOverviewBody>('GET', `${opsUrl}/api/districts/${PUTUO}/overview`, asPutuo);
  expect(putuo.status).toBe(200);
  expect(putuo.body.figures.canvass.visits.total).toBe(0);

  // The live stream, opened with the token in the query string as a browser's EventSource does.
  sse = new SseClient(`${opsUrl}/api/stream?access_token=${encodeURIComponent(asStaff)}`);
  await sse.next('snapshot');

  // The phone resends the first visit: recorded once, nothing appended ...
  const resent = await callJson('POST', `${canvassUrl}/units/${unitId}/visits`, asOfficial, visit);
  expect(resent).toMatchObject({ status: 200, body: { unitId, visitId: visit.visitId, eventsAppended: 0 } });
  // ... then a second visit to the same unit. Same stream, so same Kafka partition, in order behind
  // anything the resend could have caused: once the second visit shows, a doubled first one would too.
  const second = {
    ...visit,
    visitId: randomUUID(),
    visitedAt: new Date().toISOString(),
    findings: { ...visit.findings, householdsCanvassed: 10, returnedFromOutside: 1, inHomeObservation: 3, note: 'one more returnee' },
  };
  expect((await callJson('POST', `${canvassUrl}/units/${unitId}/visits`, asOfficial, second)).status).toBe(201);

  const pushed = (await sse.next('district-overview', (d) => (d as DistrictOverviewBody).figures.canvass.visits.total >= 2, 60_000)) as DistrictOverviewBody;
  expect(pushed.district.code).toBe(CHANGNING);
  expect(pushed.live).toBe(true);
  const expected = {
    units: { active: 1, canvassedToday: 1, coverageToday: 1 }, // the same unit twice in a day covers it once
    visits: { today: 2, total: 2 },
    householdsCanvassed: { today: 45, total: 45 },
    returnedFromOutside: { today: 5, total: 5 },
    inHomeObservation: 3, // the latest visit's count, not a sum
  };
  expect(pushed.figures.canvass).toMatchObject(expected);
  // The stream carries only what this token may read.
  expect(sse.messages.filter((m) => m.event === 'district-overview').every((m) => (m.data as DistrictOverviewBody).district.code === CHANGNING)).toBe(true);
  expect(sse.messages.some((m) => m.event === 'city-figures')).toBe(false);

  // And the query API agrees with the push.
  const settled = await callJson<DistrictOverviewBody>('GET', overviewUrl, asStaff);
  expect(settled.body.figures.canvass).toMatchObject(expected);

  // Later the phone syncs two visits it recorded without signal, with the second visit sent again among them.
  const offline = [1, 2].map((k) => ({
    unitId,
    visitId: randomUUID(),
    visitedAt: new Date(Date.now() - k * 60_000).toISOString(),
    findings: { ...visit.findings, householdsCanvassed: 5, returnedFromOutside: 0, note: 'recorded offline' },
  }));
  const synced = await callJson('POST', `${canvassUrl}/visit-batches`, asOfficial, { visits: [...offline, { unitId, ...second }] });
  expect(synced).toMatchObject({ status: 200, body: { recorded: 2, alreadyRecorded: 1, refused: 0 } });
  const afterSync = await figuresWhen((c) => c.visits.total >= 4);
  expect(afterSync).toMatchObject({ visits: { total: 4 }, householdsCanvassed: { total: 55 }, returnedFromOutside: { total: 5 } });
}, 300_000); // two waits for the figures and one for the push (60 s each), the SSE snapshot and the HTTP calls
