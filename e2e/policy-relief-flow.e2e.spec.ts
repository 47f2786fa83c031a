import { randomUUID } from 'node:crypto';
import { issueToken, type Actor } from '@city/auth';
import { cityDayOf } from '@city/city-time';
import { startEnterpriseReopeningStack } from '@city/enterprise-reopening-service';
import { EnterpriseView, startPolicyReliefStack } from '@city/policy-relief-service';
import type { DepartmentStack, RunningService } from '@city/service-kit';
import { callJson, pollUntil } from './support/http-client';
import { sectionPoller, TestCity } from './support/test-city';

/**
 * Relief reaching a firm across the city, in stack mode: the enterprise is registered
 * and reopens in enterprise-reopening over HTTP; its facts travel on a real Kafka topic
 * into policy-relief's own view of enterprises (no call between the services); the firm
 * applies over policy-relief's HTTP API with the eligibility answer rule by rule, the
 * issuing office approves part of it without a visit and records the payment; the
 * relay publishes policy-relief's events to a topic of its own, and the operations
 * center's policy-relief figures (city and district) show the application, the grant,
 * the money paid against the measure's budget and the time to money. Topics, groups and
 * databases are this run's own.
 */

jest.setTimeout(240_000);

const SECRET = 'e2e-policy-relief-secret-0123456789abcdef';
const CHANGNING = '310105';
const FIRM = '91310105MA1FL3KX0K';
const SHOP = '91350100M000100Y43';
const commission: Actor = { sub: 'e2e-eic-desk', role: 'department', department: 'enterprise-reopening' };
const inspector: Actor = { sub: 'e2e-inspector', role: 'field-official', district: CHANGNING, subdistrict: '310105002', department: 'enterprise-reopening' };
const hrOffice: Actor = { sub: 'e2e-hr-officer', role: 'department', department: 'policy-relief', office: 'human-resources' };
const finance: Actor = { sub: 'e2e-finance-officer', role: 'department', department: 'policy-relief', office: 'finance' };
const staff: Actor = { sub: 'e2e-changning-staff', role: 'district-staff', district: CHANGNING };
const cityCenter: Actor = { sub: 'e2e-city-ops', role: 'city-center' };
const firm: Actor = { sub: FIRM, role: 'enterprise' };
const shop: Actor = { sub: SHOP, role: 'enterprise' };
const token = (actor: Actor) => issueToken(actor, SECRET);

interface Counter {
  today: number;
  total: number;
}
interface ReliefSection {
  applications: Counter;
  approvals: Counter;
  rejections: Counter;
  waiting: number;
  grantedFen: Counter;
  disbursedFen: Counter;
  daysToMoney: { paid: number; median: number | null; p90: number | null };
  byMeasure: { measureId: string; applications: number; approvals: number; rejections: number; grantedFen: number; disbursedFen: number; budgetFen: number }[];
  byArea: { area: string; applications: number; grantedFen: number; disbursedFen: number; budgetFen: number }[];
}

const city = new TestCity(SECRET);
let reopening: DepartmentStack;
let relief: DepartmentStack;
let operations: RunningService;

beforeAll(async () => {
  const er = await city.department('enterprise-reopening', startEnterpriseReopeningStack);
  reopening = er.stack;
  const pr = await city.department('policy-relief', (options) =>
    startPolicyReliefStack({ ...options, enterpriseTopic: er.topic, enterpriseConsumerGroup: city.group('e2e-policy-relief-enterprises') }),
  );
  relief = pr.stack;
  operations = await city.operationsCenter({ policyRelief: pr.topic });
}, 180_000);

afterAll(() => city.stop(), 120_000);

it('carries an enterprise from enterprise-reopening through Kafka into policy-relief, to an approved and paid application on the operations center', async () => {
  const er = reopening.url;
  const pr = relief.url;
  const today = cityDayOf(new Date());
  const profile = (creditCode: string, industryCode: string, size: string) => ({
    creditCode,
    name: `Enterprise ${creditCode}`,
    industryCode,
    size,
    districtCode: CHANGNING,
    subdistrictCode: '310105002',
    usualHeadcount: 40,
  });

  // Registered and reopened in enterprise-reopening, over its HTTP API.
  expect((await callJson('POST', `${er}/enterprises`, token(commission), profile(FIRM, 'software-it-services', 'small'))).status).toBe(201);
  expect((await callJson('POST', `${er}/enterprises`, token(commission), profile(SHOP, 'catering', 'micro'))).status).toBe(201);
  const guideline = await callJson<{ measures: { code: string }[] }>('GET', `${er}/industries/software-it-services/guideline`, token(firm));
  const declarationId = randomUUID();
  const declared = await callJson('POST', `${er}/enterprises/${FIRM}/declarations`, token(firm), {
    declarationId,
    plannedReopeningDate: today,
    checklist: guideline.body.measures.map((m) => ({ measureCode: m.code, inPlace: true })),
    workforcePlan: { onSite: 20, rotating: 10, remote: 10 },
    returneesInObservation: 2,
  });
  expect(declared.status).toBe(201);
  expect(
    (await callJson('POST', `${er}/enterprises/${FIRM}/inspections`, token(inspector), { inspectionId: randomUUID(), declarationId, outcome: 'passed' }))
      .status,
  ).toBe(201);
  expect((await callJson('POST', `${er}/enterprises/${FIRM}/reopening`, token(firm))).status).toBe(200);

  // Policy-relief's own view learns the facts from the topic: size, industry, district, reopening status.
  const view = relief.app.get(EnterpriseView);
  const known = await pollUntil(
    async () => {
      const facts = await view.enterpriseOf(FIRM);
      return facts?.reopeningStatus === 'reopened' && (await view.enterpriseOf(SHOP)) ? facts : undefined;
    },
    () => 'the view of enterprises has not caught up',
    90_000,
  );
  expect(known).toMatchObject({ enterpriseId: FIRM, districtCode: CHANGNING, subdistrictCode: '310105002', size: 'small', industry: 'software-it-services' });

  // M05 (job-keeping subsidy, human resources) needs an enterprise in operation: the reopening came over Kafka.
  const applied = await callJson<{ applicationId: string; application: { status: string; submitted: { eligibility: { checks: { reason: string }[] } } } }>(
    'POST',
    `${pr}/applications`,
    token(firm),
    { measureId: 'M05', enterpriseId: FIRM, landlordKind: 'private', requestedFen: 1_500_000 },
  );
  expect(applied).toMatchObject({ status: 201, body: { applicationId: `M05-${FIRM}`, application: { status: 'submitted' } } });
  expect(applied.body.application.submitted.eligibility.checks.map((c) => c.reason)).toEqual([
    expect.stringMatching(/^reopening: reopened — passes rule R1 of measure M05 v1/),
  ]);
  const approved = await callJson('POST', `${pr}/applications/M05-${FIRM}/approve`, token(hrOffice), {
    grantedFen: 1_200_000,
    note: 'Staff on site from the reopening day',
  });
  expect(approved).toMatchObject({ status: 200, body: { eventsAppended: 1 } });
  const paid = await callJson('POST', `${pr}/applications/M05-${FIRM}/disbursements`, token(hrOffice), {
    amountFen: 1_200_000,
    disbursedOn: today,
    reference: 'E2E-JOBS-0001',
  });
  expect(paid.status).toBe(201);

  // A second firm's application, rejected by the finance office with a reason.
  const second = await callJson('POST', `${pr}/applications`, token(shop), {
    measureId: 'M09',
    enterpriseId: SHOP,
    landlordKind: 'private',
    requestedFen: 300_000,
  });
  expect(second.status).toBe(201);
  expect((await callJson('POST', `${pr}/applications/M09-${SHOP}/reject`, token(finance), { reason: 'No guaranteed loan this quarter' })).status).toBe(200);

  // Through policy-relief's relay and topic into the operations center's figures.
  const district = await sectionPoller<ReliefSection>(
    `${operations.url}/api/districts/${CHANGNING}/overview`,
    token(staff),
    'policyRelief',
  )((s) => s.disbursedFen.total === 1_200_000 && s.rejections.total === 1);
  expect(district).toMatchObject({
    applications: { today: 2, total: 2 },
    approvals: { today: 1, total: 1 },
    rejections: { today: 1, total: 1 },
    waiting: 0,
    grantedFen: { today: 1_200_000, total: 1_200_000 },
    disbursedFen: { today: 1_200_000, total: 1_200_000 },
    daysToMoney: { paid: 1, median: 0, p90: 0 },
  });
  const m05 = district.byMeasure.find((m) => m.measureId === 'M05');
  expect(m05).toMatchObject({ applications: 1, approvals: 1, rejections: 0, grantedFen: 1_200_000, disbursedFen: 1_200_000 });
  expect(m05?.budgetFen).toBeGreaterThan(1_200_000);
  expect(district.byMeasure.find((m) => m.measureId === 'M09')).toMatchObject({ applications: 1, approvals: 0, rejections: 1, grantedFen: 0 });

  const cityWide = await sectionPoller<ReliefSection>(
    `${operations.url}/api/city/overview`,
    token(cityCenter),
    'policyRelief',
  )((s) => s.disbursedFen.total === 1_200_000);
  expect(cityWide).toMatchObject({ applications: { total: 2 }, approvals: { total: 1 }, grantedFen: { total: 1_200_000 } });
  // What the measure has left is the catalog's budget less the grant, on policy-relief's own API.
  const measure = await callJson<{ committedFen: number; remainingFen: number; budgetFen: number }>('GET', `${pr}/measures/M05`, token(hrOffice));
  expect(measure.body).toMatchObject({ committedFen: 1_200_000, remainingFen: (m05?.budgetFen ?? 0) - 1_200_000 });
});
