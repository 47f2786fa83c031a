import { randomUUID } from 'node:crypto';
import { issueToken, type Actor } from '@city/auth';
import { cityDayOf } from '@city/city-time';
import { startEnterpriseReopeningStack } from '@city/enterprise-reopening-service';
import type { DepartmentStack, RunningService } from '@city/service-kit';
import { callJson } from './support/http-client';
import { sectionPoller, TestCity } from './support/test-city';

/**
 * An enterprise's reopening across the city, in stack mode: registered,
 * declared over HTTP to the enterprise-reopening service (PostgreSQL event
 * store), inspected and reported reopened; the relay publishes to a real Kafka
 * topic; the operations center projects it into its PostgreSQL read models,
 * and the district's reopening rate, by industry, moves. Topic, group and
 * databases are this run's own.
 */

jest.setTimeout(180_000);

const SECRET = 'e2e-enterprise-reopening-secret-0123456789abcdef';
const CHANGNING = '310105';
const FIRM = '91310105MA1FL3KX0K';
const commission: Actor = { sub: 'e2e-eic-desk', role: 'department', department: 'enterprise-reopening' };
const inspector: Actor = { sub: 'e2e-inspector', role: 'field-official', district: CHANGNING, subdistrict: '310105002', department: 'enterprise-reopening' };
const staff: Actor = { sub: 'e2e-changning-staff', role: 'district-staff', district: CHANGNING };
const firm: Actor = { sub: FIRM, role: 'enterprise' };
const token = (actor: Actor) => issueToken(actor, SECRET);

interface ReopeningSection {
  registered: number;
  reopened: number;
  reopeningRate: number | null;
  byIndustry: Record<string, { registered: number; reopened: number; reopeningRate: number | null }>;
  declarations: { today: number; total: number };
  inspections: { total: number };
}

const city = new TestCity(SECRET);
let department: DepartmentStack | undefined;
let operations: RunningService | undefined;

beforeAll(async () => {
  const er = await city.department('enterprise-reopening', startEnterpriseReopeningStack);
  department = er.stack;
  operations = await city.operationsCenter({ enterpriseReopening: er.topic });
}, 180_000);

afterAll(() => city.stop(), 120_000);

it('carries a declaration and the reopening from the HTTP API through Kafka to the district reopening rate', async () => {
  if (!department || !operations) throw new Error('the city did not start');
  const er = department.url;
  const figuresWhen = sectionPoller<ReopeningSection>(`${operations.url}/api/districts/${CHANGNING}/overview`, token(staff), 'enterpriseReopening');

  const profile = (creditCode: string, industryCode: string) => ({
    creditCode,
    name: `Enterprise ${creditCode}`,
    industryCode,
    size: 'small',
    districtCode: CHANGNING,
    subdistrictCode: '310105002',
    usualHeadcount: 40,
  });
  expect((await callJson('POST', `${er}/enterprises`, token(commission), profile(FIRM, 'software-it-services'))).status).toBe(201);
  expect((await callJson('POST', `${er}/enterprises`, token(commission), profile('91350100M000100Y43', 'catering'))).status).toBe(201);
  const registered = await figuresWhen((s) => s.registered === 2);
  expect(registered).toMatchObject({ reopened: 0, reopeningRate: 0 });

  const guideline = await callJson<{ measures: { code: string }[] }>('GET', `${er}/industries/software-it-services/guideline`, token(firm));
  const declarationId = randomUUID();
  const declared = await callJson('POST', `${er}/enterprises/${FIRM}/declarations`, token(firm), {
    declarationId,
    plannedReopeningDate: cityDayOf(new Date()),
    checklist: guideline.body.measures.map((m) => ({ measureCode: m.code, inPlace: true })),
    workforcePlan: { onSite: 20, rotating: 10, remote: 10 },
    returneesInObservation: 2,
  });
  expect(declared).toMatchObject({ status: 201, body: { eventsAppended: 1 } });
  expect(
    (await callJson('POST', `${er}/enterprises/${FIRM}/inspections`, token(inspector), { inspectionId: randomUUID(), declarationId, outcome: 'passed' }))
      .status,
  ).toBe(201);
  expect((await callJson('POST', `${er}/enterprises/${FIRM}/reopening`, token(firm))).status).toBe(200);

  const reopened = await figuresWhen((s) => s.reopened === 1);
  expect(reopened).toMatchObject({ registered: 2, reopened: 1, reopeningRate: 0.5, declarations: { today: 1, total: 1 }, inspections: { total: 1 } });
  expect(reopened.byIndustry['software-it-services']).toEqual({ registered: 1, reopened: 1, reopeningRate: 1 });
  expect(reopened.byIndustry.catering).toEqual({ registered: 1, reopened: 0, reopeningRate: 0 });
});
