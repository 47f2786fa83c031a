import type { Consumer, KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { cityDayOf } from '@city/city-time';
import { isKnownEventType } from '@city/contracts';
import { assertValidEventData } from '@city/event-schemas';
import { createKafka, fromCloudEventKafkaMessage } from '@city/kafka';
import type { DepartmentStack } from '@city/service-kit';
import { createTestDatabase, eventually, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';
import { ephemeralPrivacyKeys } from './application/privacy-keys';
import type { RegistrationInput } from './application/registration-commands';
import { keyPersonRegistration, registration } from './testing/registrations';
import { startTravellerHealthStack } from './traveller-health-stack';

/**
 * Decision 7, proven on the real broker: the service in stack mode (PostgreSQL event store,
 * relay to a Kafka topic of this test's own) records registrations, home observation and an
 * erasure; a consumer then reads every message of the topic and finds none of the personal
 * data the travellers gave (names, document numbers, phones, street addresses) in the key,
 * the payload or any header, while every payload validates against its contract.
 */

const SECRET = 'traveller-health-int-spec-secret-0123456789abcdef';
const city: Actor = { sub: 'th-city-int', role: 'department', department: 'traveller-health' };
const worker: Actor = { sub: 'th-worker-int', role: 'field-official', district: '310105', subdistrict: '310105002', department: 'traveller-health' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });

let database: TestDatabase;
let stack: DepartmentStack;
let consumer: Consumer | undefined;
const topic = uniqueName('traveller-health.events.v1.int');
const kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: uniqueName('traveller-health-int-test') });

beforeAll(async () => {
  database = await createTestDatabase('traveller_health_int');
  stack = await startTravellerHealthStack({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    kafkaBrokers: TEST_KAFKA_BROKERS,
    jwtSecret: SECRET,
    logLevel: 'silent',
    topic,
    handleSignals: false,
    privacy: ephemeralPrivacyKeys(),
  });
}, 180_000);

afterAll(async () => {
  await consumer?.disconnect().catch(() => undefined);
  await stack?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  await database?.drop();
}, 60_000);

/** Distinctive personal data, so that a match anywhere on the bus can only be a leak; travelling today (the service runs on the real clock). */
function withPersonalData(r: RegistrationInput, i: number): RegistrationInput {
  return {
    ...r,
    trip: { ...r.trip, date: cityDayOf(new Date()) },
    identity: { ...r.identity, name: `欧阳测试${i}号` },
    destination: { ...r.destination, address: `Secret Lane ${7700 + i}, Jiangsu Road` },
  };
}

it('publishes every traveller-health event with no name, document number, phone or street address in key, payload or headers', async () => {
  const http = request(stack.app.getHttpServer());
  await http.get('/health/ready').expect(200);
  await http
    .post('/checkpoints')
    .set(as(city))
    .send({ checkpointId: 'hongqiao-railway', name: 'Hongqiao Railway Station', kind: 'railway', districtCode: '310112' })
    .expect(201);

  const travellers = [
    withPersonalData(keyPersonRegistration(601), 1),
    withPersonalData(registration({ serial: 602 }), 2),
    withPersonalData({ ...registration({ serial: 603 }), identity: { name: 'x', documentKind: 'passport', documentNumber: 'E98765432' } }, 3),
  ];
  const ids: string[] = [];
  for (const t of travellers) ids.push((await http.post('/registrations').send(t).expect(201)).body.travellerId);
  await http
    .post('/registration-batches')
    .set(as(city))
    .send({ registrations: [withPersonalData(registration({ serial: 604 }), 4)] })
    .expect(200);
  const key = ids[0];
  await http.post(`/travellers/${key}/observation`).set(as(worker)).expect(201);
  await http.post(`/travellers/${key}/check-ins`).set(as(worker)).send({ slot: 'evening', temperatureC: 38.2, symptomatic: true }).expect(201);
  await http.post(`/travellers/${key}/referrals`).set(as(worker)).send({ referralId: 'ref-int-1' }).expect(201);
  await http.post(`/travellers/${key}/referrals/ref-int-1/outcome`).set(as(worker)).send({ outcome: 'cleared' }).expect(201);
  await http.post(`/travellers/${key}/personal-data-reads`).set(as(worker)).send({ reason: 'call about the fever' }).expect(200);
  await http
    .post(`/travellers/${key}/transfer`)
    .set(as(worker))
    .send({ districtCode: '310107', subdistrictCode: '310107017', committeeCode: '310107017001' })
    .expect(201);
  await http.post(`/travellers/${ids[1]}/erasure`).set(as(city)).expect(201);

  const head = await stack.store.headPosition();
  await eventually(async () => (stack.relay.position >= head ? true : undefined), 60_000);
  const received: KafkaMessage[] = [];
  consumer = kafka.consumer({ groupId: uniqueName('traveller-health-int-group') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
  await eventually(async () => (BigInt(received.length) >= head ? true : undefined), 60_000);

  const types = new Set<string>();
  for (const message of received) {
    const event = fromCloudEventKafkaMessage(message, { isKnownType: isKnownEventType });
    expect(() => assertValidEventData(event.type, event.schemaVersion, event.data)).not.toThrow();
    types.add(event.type);
  }
  expect([...types].sort()).toEqual(
    [
      'CheckInRecorded',
      'CheckpointRegistered',
      'FeverClinicReferred',
      'HomeObservationStarted',
      'HomeObservationTransferred',
      'KeyPersonPushed',
      'ObservationFlagRaised',
      'PersonalDataErased',
      'ReferralOutcomeRecorded',
      'TravellerRegistered',
    ].sort(),
  );

  const all = [...travellers, withPersonalData(registration({ serial: 604 }), 4)];
  const secrets = all.flatMap((t) => [
    t.identity.name,
    t.identity.documentNumber,
    t.identity.documentNumber.slice(-8),
    t.phone,
    t.phone.slice(-8),
    t.destination.address,
    'Secret Lane',
  ]);
  for (const message of received) {
    const texts = [
      message.key?.toString() ?? '',
      message.value?.toString() ?? '',
      ...Object.entries(message.headers ?? {}).flatMap(([k, v]) => [k, String(v)]),
    ];
    for (const text of texts) for (const secret of secrets) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
  }
}, 240_000);
