import { randomUUID } from 'node:crypto';
import { issueToken, type Actor } from '@city/auth';
import { cityDayOf } from '@city/city-time';
import { startEnterpriseReopeningStack } from '@city/enterprise-reopening-service';
import { createKafka } from '@city/kafka';
import { shutdownGracefully } from '@city/observability';
import { OPERATIONS_CONTEXTS, startOperationsCenterStack } from '@city/operations-center-service';
import type { DepartmentStack, RunningService } from '@city/service-kit';
import { createTestDatabase, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';
import { callJson, pollUntil } from './support/http-client';

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

const topic = uniqueName('enterprise-reopening.events.v1.e2e');
let storeDb: TestDatabase | undefined;
let readDb: TestDatabase | undefined;
let department: DepartmentStack | undefined;
let operations: RunningService | undefined;

beforeAll(async () => {
  storeDb = await createTestDatabase('e2e_er_store');
  readDb = await createTestDatabase('e2e_er_read');
  department = await startEnterpriseReopeningStack({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: storeDb.url,
    kafkaBrokers: TEST_KAFKA_BROKERS,
    jwtSecret: SECRET,
    logLevel: 'silent',
    topic,
    handleSignals: false,
  });
  const context = OPERATIONS_CONTEXTS.find((c) => c.key === 'enterpriseReopening');
  if (!context) throw new Error('no enterprise-reopening context in the registry');
  operations = await startOperationsCenterStack({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: readDb.url,
    kafkaBrokers: TEST_KAFKA_BROKERS,
    groupId: uniqueName('e2e-er-operations-center'),
    contexts: [{ ...context.readModel(), topic }],
    jwtSecret: SECRET,
    logLevel: 'silent',
    handleSignals: false,
    swagger: false,
  });
}, 180_000);

/** A cleanup step that may not hold the others up: the databases are dropped (WITH FORCE) whatever happens. */
const bounded = (step: () => Promise<unknown>): Promise<unknown> =>
  Promise.race([step().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);

afterAll(async () => {
  await bounded(async () => operations && shutdownGracefully(operations.app));
  await bounded(async () => department?.stop());
  await bounded(async () => {
    const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: uniqueName('e2e-er-admin') }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.disconnect();
  });
  await readDb?.drop();
  await storeDb?.drop();
}, 120_000);

it('carries a declaration and the reopening from the HTTP API through Kafka to the district reopening rate', async () => {
  if (!department || !operations) throw new Error('the city did not start');
  const er = department.url;
  const overview = `${operations.url}/api/districts/${CHANGNING}/overview`;
  let lastSeen: unknown;
  const figuresWhen = (accept: (s: ReopeningSection) => boolean) =>
    pollUntil(
      async () => {
        const answer = await callJson<{ figures: { enterpriseReopening: ReopeningSection } }>('GET', overview, token(staff));
        lastSeen = answer.status === 200 ? answer.body.figures.enterpriseReopening : answer;
        return answer.status === 200 && accept(answer.body.figures.enterpriseReopening) ? answer.body.figures.enterpriseReopening : undefined;
      },
      () => JSON.stringify(lastSeen),
      90_000,
    );

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
