import { randomUUID } from 'node:crypto';
import { Partitioners, type KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { ENTERPRISE_REOPENING_EVENT_SAMPLES, type EnterpriseReopeningEvent } from '@city/contracts';
import { createKafka, deadLetterTopicOf, DLQ_HEADERS, ensureTopics, toCloudEventKafkaMessage } from '@city/kafka';
import { createTestDatabase, eventually, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';
import type { DepartmentStack } from '@city/service-kit';
import { startPolicyReliefStack } from './policy-relief-stack';

/**
 * Policy-relief in stack mode on real PostgreSQL and Kafka: its view of
 * enterprises is fed from enterprise-reopening's events on the bus (the
 * contracts' own samples), a malformed event goes to the dead-letter topic and
 * the partition moves on, and an enterprise the view knows applies while one it
 * does not know yet is refused with the reason.
 */

// A broker group join, retries with backoff, a stack starting: a minute or more on a loaded machine.
jest.setTimeout(120_000);

const SECRET = 'policy-relief-int-spec-secret-0123456789abcdef';
const registered = ENTERPRISE_REOPENING_EVENT_SAMPLES.EnterpriseRegistered;
const FIRM = registered.data.creditCode;
const OTHER = '91310107MA1G8K2X3J';
const topic = uniqueName('enterprise-reopening.events.v1.int');
const kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: uniqueName('policy-relief-int-test') });
let database: TestDatabase;
let stack: DepartmentStack;
let version = 0;

async function publish(events: readonly { event: EnterpriseReopeningEvent; creditCode: string }[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic,
    messages: events.map(({ event, creditCode }) =>
      toCloudEventKafkaMessage(
        {
          eventId: randomUUID(),
          streamId: `enterprise-reopening.enterprise-${creditCode}`,
          streamVersion: version++,
          globalPosition: BigInt(version),
          recordedAt: new Date().toISOString(),
          type: event.type,
          schemaVersion: 1,
          data: event.data,
          metadata: { correlationId: randomUUID(), causationId: randomUUID() },
        },
        { source: '/city/enterprise-reopening' },
      ),
    ),
  });
  await producer.disconnect();
}

beforeAll(async () => {
  database = await createTestDatabase('policy_relief_int');
  await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
  stack = await startPolicyReliefStack({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    kafkaBrokers: TEST_KAFKA_BROKERS,
    jwtSecret: SECRET,
    logLevel: 'silent',
    topic: uniqueName('policy-relief.events.v1.int'),
    enterpriseTopic: topic,
    enterpriseConsumerGroup: uniqueName('policy-relief-enterprises'),
    handleSignals: false,
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, deadLetterTopicOf(topic)] }).catch(() => undefined);
  await admin.disconnect();
  await database?.drop();
}, 60_000);

it('keeps its view of enterprises from the bus, dead-letters a malformed event and moves on, and refuses an enterprise it does not know yet', async () => {
  const http = request(stack.app.getHttpServer());
  const firm: Actor = { sub: FIRM, role: 'enterprise' };
  const other: Actor = { sub: OTHER, role: 'enterprise' };
  const application = { measureId: 'M09', landlordKind: 'private', requestedFen: 100_000 };

  // Before the view has heard of the firm: refused with the reason, never a 500.
  const early = await http
    .post('/applications')
    .set({ Authorization: `Bearer ${issueToken(firm, SECRET)}` })
    .send({ ...application, enterpriseId: FIRM })
    .expect(409);
  expect(early.body.rule).toBe('enterprise-not-known-yet');

  // A registration with its facts broken (no credit code, a negative headcount), then a valid one behind it on the same partition.
  const { creditCode: _dropped, ...withoutCode } = registered.data;
  const malformed = { type: 'EnterpriseRegistered', data: { ...withoutCode, usualHeadcount: -1 } } as unknown as EnterpriseReopeningEvent;
  await publish([
    { event: malformed, creditCode: OTHER },
    { event: registered, creditCode: FIRM },
    { event: ENTERPRISE_REOPENING_EVENT_SAMPLES.EnterpriseReopened, creditCode: FIRM },
  ]);

  const view = async () =>
    (await database.db.query<{ reopening_status: string }>('SELECT reopening_status FROM policy_relief_enterprises WHERE enterprise_id = $1', [FIRM])).rows[0];
  const row = await eventually(async () => ((await view())?.reopening_status === 'reopened' ? await view() : undefined), 90_000);
  expect(row.reopening_status).toBe('reopened');

  const deadLetters: KafkaMessage[] = [];
  const reader = kafka.consumer({ groupId: uniqueName('dlq-reader') });
  await reader.connect();
  await reader.subscribe({ topics: [deadLetterTopicOf(topic)], fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  await eventually(async () => (deadLetters.length >= 1 ? true : undefined), 90_000);
  await reader.disconnect();
  expect(deadLetters).toHaveLength(1);
  expect(String(deadLetters[0].headers?.[DLQ_HEADERS.error])).toMatch(/creditCode|usualHeadcount/);

  // The firm now applies, decided on the facts from the bus; the enterprise of the malformed event stays unknown.
  const applied = await http
    .post('/applications')
    .set({ Authorization: `Bearer ${issueToken(firm, SECRET)}` })
    .send({ ...application, enterpriseId: FIRM })
    .expect(201);
  expect(applied.body.application.submitted).toMatchObject({
    districtCode: registered.data.districtCode,
    facts: { size: 'small', industry: 'software-it-services', reopeningStatus: 'reopened', headcount: registered.data.usualHeadcount },
    eligibility: { eligible: true },
  });
  const refused = await http
    .post('/applications')
    .set({ Authorization: `Bearer ${issueToken(other, SECRET)}` })
    .send({ ...application, enterpriseId: OTHER })
    .expect(409);
  expect(refused.body.rule).toBe('enterprise-not-known-yet');
});
