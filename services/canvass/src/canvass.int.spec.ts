import { randomUUID } from 'node:crypto';
import type { Consumer, KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { isKnownEventType } from '@city/contracts';
import { assertValidEventData } from '@city/event-schemas';
import { CE_HEADERS, createKafka, fromCloudEventKafkaMessage } from '@city/kafka';
import { createTestDatabase, eventually, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';
import { startCanvassStack, type CanvassStack } from './canvass-stack';

/**
 * Stack mode end to end inside the service: a visit POSTed over HTTP is
 * appended to the real PostgreSQL event store, and the relay publishes it to a
 * real Kafka topic with the stream id as key, CloudEvents binary-mode headers
 * and a payload that passes its JSON Schema. The topic is this test's own, so
 * nothing else in the run sees these events.
 */

const SECRET = 'canvass-int-spec-secret-0123456789abcdef';
const DISTRICT = '310105';
const SUBDISTRICT = '310105001';
const staff: Actor = { sub: 'staff-int', role: 'district-staff', district: DISTRICT };
const official: Actor = { sub: 'official-int', role: 'field-official', district: DISTRICT, subdistrict: SUBDISTRICT };

let database: TestDatabase;
let stack: CanvassStack;
let consumer: Consumer | undefined;
const topic = uniqueName('canvass.events.v1.int');
const kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: uniqueName('canvass-int-test') });

/** One replica of the service on this test's database and topic. */
const stackOptions = () => ({
  port: 0,
  host: '127.0.0.1',
  databaseUrl: database.url,
  kafkaBrokers: TEST_KAFKA_BROKERS,
  jwtSecret: SECRET,
  logLevel: 'silent',
  topic,
  handleSignals: false,
});

// A test database and a replica of the service (migrations, the Kafka producer, the leader lock):
// seconds when idle, a minute or more on a loaded machine.
beforeAll(async () => {
  database = await createTestDatabase('canvass_int');
  stack = await startCanvassStack(stackOptions());
}, 180_000);

afterAll(async () => {
  await consumer?.disconnect().catch(() => undefined);
  await stack?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  await database?.drop();
}, 60_000); // the stack stopped, the topic and the database dropped

it('appends a visit posted over HTTP to PostgreSQL and publishes it to Kafka as a valid CloudEvent', async () => {
  const http = request(stack.app.getHttpServer());
  const asStaff = { Authorization: `Bearer ${issueToken(staff, SECRET)}` };
  const asOfficial = { Authorization: `Bearer ${issueToken(official, SECRET)}` };
  const unitId = `int-${randomUUID()}`;
  const visitId = randomUUID();
  const correlationId = `int-${randomUUID()}`;

  await http.get('/health/ready').expect(200);
  await http.post('/subdistricts').set(asStaff).send({ districtCode: DISTRICT, subdistrictCode: SUBDISTRICT, name: 'Huayang Road' }).expect(201);
  await http
    .post('/units')
    .set(asStaff)
    .send({
      unitId,
      kind: 'office-building',
      name: 'Building A',
      address: '1018 Changning Road',
      districtCode: DISTRICT,
      subdistrictCode: SUBDISTRICT,
      size: { tenants: 40, shops: 0, households: 0 },
    })
    .expect(201);
  await http.put(`/units/${unitId}/official`).set(asStaff).send({ officialId: official.sub }).expect(200);
  const visitedAt = new Date(Date.now() - 60_000).toISOString();
  const findings = {
    tenantsOpened: 1,
    tenantsClosed: 0,
    householdsCanvassed: 0,
    returnedFromOutside: 2,
    inHomeObservation: 1,
    problems: [],
    note: 'shops unchanged',
  };
  await http.post(`/units/${unitId}/visits`).set(asOfficial).set('x-correlation-id', correlationId).send({ visitId, visitedAt, findings }).expect(201);
  // The phone resends: still one visit in the store, and so on the topic.
  await http.post(`/units/${unitId}/visits`).set(asOfficial).send({ visitId, visitedAt, findings }).expect(200);

  const stored = await stack.store.readStream(`canvass.unit-${unitId}`);
  expect(stored.map((e) => e.type)).toEqual(['UnitRegistered', 'ResponsibleOfficialAssigned', 'CanvassVisitRecorded']);
  const storedVisit = stored[2];

  // The relay has acknowledged everything the store holds.
  const head = await stack.store.headPosition();
  await eventually(async () => (stack.relay.position >= head ? true : undefined), 60_000);

  const received: KafkaMessage[] = [];
  consumer = kafka.consumer({ groupId: uniqueName('canvass-int-group') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
  await eventually(async () => (received.length >= 4 ? true : undefined), 60_000);

  // Every event the service published validates against its contract.
  for (const message of received) {
    const event = fromCloudEventKafkaMessage(message, { isKnownType: isKnownEventType });
    expect(() => assertValidEventData(event.type, event.schemaVersion, event.data)).not.toThrow();
  }

  const visits = received.filter((m) => m.headers?.[CE_HEADERS.type]?.toString() === 'city.canvass.CanvassVisitRecorded.v1');
  expect(visits).toHaveLength(1);
  const [message] = visits;
  const header = (name: string) => message.headers?.[name]?.toString();
  expect(message.key?.toString()).toBe(`canvass.unit-${unitId}`);
  expect(header(CE_HEADERS.specversion)).toBe('1.0');
  expect(header(CE_HEADERS.id)).toBe(storedVisit.eventId);
  expect(header(CE_HEADERS.source)).toBe('/city/canvass');
  expect(header(CE_HEADERS.subject)).toBe(`canvass.unit-${unitId}`);
  expect(new Date(header(CE_HEADERS.time) ?? '').toISOString()).toBe(new Date(storedVisit.recordedAt).toISOString());
  expect(header(CE_HEADERS.district)).toBe(DISTRICT);
  expect(header(CE_HEADERS.correlationId)).toBe(correlationId);
  expect(header(CE_HEADERS.causationId)).toBe(correlationId);
  expect(header(CE_HEADERS.actorId)).toBe(official.sub);
  expect(header(CE_HEADERS.streamVersion)).toBe('2');
  expect(header(CE_HEADERS.contentType)).toMatch(/^application\/json/);

  const payload = JSON.parse(message.value?.toString() ?? '{}');
  expect(() => assertValidEventData('CanvassVisitRecorded', 1, payload)).not.toThrow();
  expect(payload).toEqual({
    districtCode: DISTRICT,
    subdistrictCode: SUBDISTRICT,
    visitId,
    unitId,
    kind: 'office-building',
    officialId: official.sub,
    recordedBy: official.sub,
    standingIn: false,
    visitedAt,
    findings,
  });

  const metrics = await http.get('/metrics').expect(200);
  expect(metrics.text).toMatch(new RegExp(`city_relay_published_total\\{[^}]*topic="${topic.replace(/\./g, '\\.')}"[^}]*\\} [1-9]`));
}, 240_000); // the HTTP calls, the relay catching up (60 s) and a consumer group reading the events back (60 s)

it('with two replicas on one database, accepts one of two overlapping gate shifts of an official sent to both at once', async () => {
  // A second replica of the service: same database, same topic; the first keeps the relay.
  const replica = await startCanvassStack(stackOptions());
  try {
    const [first, second] = [request(stack.app.getHttpServer()), request(replica.app.getHttpServer())];
    const asStaff = { Authorization: `Bearer ${issueToken(staff, SECRET)}` };
    const registered = await first.post('/subdistricts').set(asStaff).send({ districtCode: DISTRICT, subdistrictCode: SUBDISTRICT, name: 'Huayang Road' });
    expect([200, 201]).toContain(registered.status);
    const compound = `int-compound-${randomUUID()}`;
    await first
      .post('/units')
      .set(asStaff)
      .send({
        unitId: compound,
        kind: 'residential-building-group',
        name: 'Compound C',
        address: '8 Huayang Road',
        districtCode: DISTRICT,
        subdistrictCode: SUBDISTRICT,
        size: { tenants: 0, shops: 2, households: 300 },
      })
      .expect(201);

    for (let round = 0; round < 5; round++) {
      const guard: Actor = { sub: `official-gate-${randomUUID()}`, role: 'field-official', district: DISTRICT, subdistrict: SUBDISTRICT };
      const asGuard = { Authorization: `Bearer ${issueToken(guard, SECRET)}` };
      const startedAt = new Date(Date.now() - 3_600_000).toISOString();
      const answers = await Promise.all([
        first.post('/gate-shifts').set(asGuard).send({ unitId: compound, gate: 'North gate', startedAt }),
        second.post('/gate-shifts').set(asGuard).send({ unitId: compound, gate: 'South gate', startedAt }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      expect(answers.find((a) => a.status === 409)?.body.rule).toBe('shift-overlaps-another-shift');
    }
  } finally {
    await replica.stop();
  }
}, 240_000); // a second replica starting, five rounds of concurrent requests, and its stop
