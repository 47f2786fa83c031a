import { issueToken, type Actor } from '@city/auth';
import { cityDayOf } from '@city/city-time';
import type { DepartmentStack, RunningService } from '@city/service-kit';
import { uniqueName } from '@city/testing';
import { ephemeralPrivacyKeys, startTravellerHealthStack } from '@city/traveller-health-service';
import { callJson, pollUntil } from './support/http-client';
import { TestCity } from './support/test-city';

/**
 * Traveller health across the city, in stack mode: registrations POSTed over HTTP to the
 * traveller-health service are appended to its PostgreSQL event store, relayed to a real Kafka
 * topic and projected by the operations center into the Changning figures; an erasure then makes
 * the person's personal data unreadable while every figure stays as it was, and no figure or
 * answer of the operations center holds the person's name or phone.
 */

jest.setTimeout(180_000);

const SECRET = 'e2e-traveller-health-secret-0123456789abcdef';
const CHANGNING = '310105';
const city: Actor = { sub: 'e2e-th-city', role: 'department', department: 'traveller-health' };
const worker: Actor = { sub: 'e2e-th-worker', role: 'field-official', district: CHANGNING, subdistrict: '310105002', department: 'traveller-health' };
const staff: Actor = { sub: 'e2e-th-staff', role: 'district-staff', district: CHANGNING };
const asCity = issueToken(city, SECRET);
const asWorker = issueToken(worker, SECRET);
const asStaff = issueToken(staff, SECRET);

interface TravellerHealthSection {
  registrations: { today: number; total: number; byCheckpointKind: Record<string, { total: number }> };
  keyPersonsPushed: { total: number };
  underObservation: number;
}

const testCity = new TestCity(SECRET);
let service: DepartmentStack | undefined;
let operations: RunningService | undefined;

beforeAll(async () => {
  const th = await testCity.department('traveller-health', (options) => startTravellerHealthStack({ ...options, privacy: ephemeralPrivacyKeys() }));
  service = th.stack;
  operations = await testCity.operationsCenter({ travellerHealth: th.topic });
}, 180_000);

afterAll(() => testCity.stop(), 120_000);

function arrival(serial: number, keyAreaStays: string[]) {
  const first17 = `31010519850615${String(serial).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const check = '10X98765432'[[...first17].reduce((sum, d, i) => sum + Number(d) * weights[i], 0) % 11];
  return {
    registrationId: uniqueName('e2e-registration'),
    checkpointId: 'pudong-airport',
    identity: { name: `端到端${serial}`, documentKind: 'resident-id', documentNumber: first17 + check },
    phone: `1391234${String(serial).padStart(4, '0')}`,
    origin: { provinceCode: '440000', cityCode: '440100' },
    trip: { mode: 'flight', number: 'MU5301', date: cityDayOf(new Date()) },
    destination: { districtCode: CHANGNING, subdistrictCode: '310105002', committeeCode: '310105002003', address: `E2E Lane ${serial}` },
    declaration: { temperatureC: 36.5, symptoms: [], contactWithCases: false, keyAreaStays },
  };
}

it('carries registrations from the traveller-health API through Kafka to the Changning figures; erasure leaves every figure as it was', async () => {
  if (!service || !operations) throw new Error('the city did not start');
  const thUrl = service.url;
  const overviewUrl = `${operations.url}/api/districts/${CHANGNING}/overview`;
  let lastSeen: unknown;
  const figuresWhen = (accept: (f: TravellerHealthSection) => boolean) =>
    pollUntil(
      async () => {
        const answer = await callJson<{ figures: { travellerHealth: TravellerHealthSection } }>('GET', overviewUrl, asStaff);
        lastSeen = answer.status === 200 ? answer.body.figures.travellerHealth : answer;
        return answer.status === 200 && accept(answer.body.figures.travellerHealth) ? answer.body : undefined;
      },
      () => JSON.stringify(lastSeen),
      90_000,
    );

  expect(
    (
      await callJson('POST', `${thUrl}/checkpoints`, asCity, {
        checkpointId: 'pudong-airport',
        name: 'Pudong Airport',
        kind: 'airport',
        districtCode: '310115',
      })
    ).status,
  ).toBe(201);
  const key = await callJson<{ travellerId: string; riskClass: string }>('POST', `${thUrl}/registrations`, asCity, arrival(901, ['420100']));
  expect(key).toMatchObject({ status: 201, body: { riskClass: 'key' } });
  const general = await callJson<{ travellerId: string }>('POST', `${thUrl}/registrations`, asCity, arrival(902, []));
  expect(general.status).toBe(201);
  expect((await callJson('POST', `${thUrl}/travellers/${key.body.travellerId}/observation`, asWorker)).status).toBe(201);

  const settled = (f: TravellerHealthSection) => f.registrations.total === 2 && f.keyPersonsPushed.total === 1 && f.underObservation === 1;
  const before = await figuresWhen(settled);
  expect(before.figures.travellerHealth.registrations.byCheckpointKind).toEqual({ airport: { today: 2, total: 2 } });

  // Erasure: the key is destroyed, the fact goes through Kafka, the figures stay.
  expect((await callJson('POST', `${thUrl}/travellers/${general.body.travellerId}/erasure`, asCity)).status).toBe(201);
  const read = await callJson<{ rule: string }>('POST', `${thUrl}/travellers/${general.body.travellerId}/personal-data-reads`, asWorker, { reason: 'check' });
  expect(read).toMatchObject({ status: 409, body: { rule: 'personal-data-erased' } });
  const head = await service.store.headPosition();
  await pollUntil(
    async () => (service && service.relay.position >= head ? true : undefined),
    () => 'relay behind',
    60_000,
  );
  // The operations center has applied the erasure (it counts the events it applies by type).
  const metricsUrl = `${operations.url}/metrics`;
  await pollUntil(
    async () => (/city_projection_events_total\{[^}]*type="PersonalDataErased"[^}]*\} [1-9]/.test(await (await fetch(metricsUrl)).text()) ? true : undefined),
    () => 'PersonalDataErased not applied yet',
    60_000,
  );
  const after = await figuresWhen(settled);
  expect(after.figures.travellerHealth).toEqual(before.figures.travellerHealth);
  expect(JSON.stringify(after)).not.toMatch(/端到端|1391234|E2E Lane/);
});
