import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createTestDatabase, DedicatedKafka, eventually, uniqueName, type TestDatabase } from '@city/testing';
import { PostgresCheckpointStore } from './checkpoint-store';
import { EventRelay } from './event-relay';
import { createKafka } from './kafka-client';
import { KafkaConsumerRunner, type ConsumedBatch, type ConsumerBatchHandler } from './kafka-consumer-runner';
import { kafkaSecurityFromEnv } from './kafka-security';
import { appendCanvassEvents } from './testing/events';

// A broker of the test's own (deploy/local/kafka-up.sh with KAFKA_SCRAM_USER/PASSWORD) whose only client
// listener is SASL_PLAINTEXT with SCRAM-SHA-512 and SCRAM-SHA-256; the shared broker on 9092 is not touched.
// Budgets: waits return as soon as their condition holds; they are sized for a loaded machine.
/** Formatting the broker's storage with the SCRAM user and starting it (~10 s idle, a JVM start on a loaded machine). */
const BROKER_MS = 240_000;
/** The relay publishing the events and the consumer's group joined and reading them. */
const RELAYED_MS = 90_000;
/** Wrong credentials are refused by the broker at once (a non-retriable error), not after retries or a timeout. */
const REFUSED_MS = 15_000;

const SCRAM = { username: 'city-relay', password: `pw-${randomUUID()}` };

let broker: DedicatedKafka;
let secrets: string;
let database: TestDatabase;
let store: PostgresEventStore;
let checkpoints: PostgresCheckpointStore;

/** A client of the SCRAM broker configured as a service is: from the KAFKA_SASL_* settings, the password from a file. */
function client(clientId: string, mechanism: string, password = SCRAM.password): Kafka {
  const passwordFile = join(secrets, uniqueName('password'));
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  const security = kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: SCRAM.username, KAFKA_SASL_PASSWORD_FILE: passwordFile });
  return createKafka({ brokers: broker.brokers, clientId, ...security });
}

/** Remembers the CloudEvents ids it is given, as a read model would. */
class IdsHandler implements ConsumerBatchHandler<string> {
  readonly ids: string[] = [];
  private readonly offsets = new Map<number, string>();

  async handleBatch(batch: ConsumedBatch<string>): Promise<void> {
    for (const m of batch.messages) this.ids.push(m.value);
    this.offsets.set(batch.partition, batch.nextOffset);
  }

  async loadOffsets(): Promise<ReadonlyMap<number, string>> {
    return new Map(this.offsets);
  }

  isSaturated(): boolean {
    return false;
  }
}

beforeAll(async () => {
  secrets = mkdtempSync(join(tmpdir(), 'kafka-scram-secrets-'));
  broker = await DedicatedKafka.create({ scram: SCRAM });
  const started = broker.up(BROKER_MS);
  database = await createTestDatabase('scram_relay_test');
  store = new PostgresEventStore(database.db);
  await store.migrate();
  checkpoints = new PostgresCheckpointStore(database.db);
  await checkpoints.migrate();
  await started;
}, BROKER_MS + 60_000);

afterAll(async () => {
  // Only this test's broker is stopped (its pid file is in its own data folder).
  await broker?.stop();
  await store?.close();
  await database?.drop();
  rmSync(secrets, { recursive: true, force: true });
}, 60_000);

it(
  'relays events to a SASL/SCRAM broker (SCRAM-SHA-512, producer threads) and a consumer reads them all (SCRAM-SHA-256)',
  async () => {
    const topic = uniqueName('scram-relay');
    const ids = await appendCanvassEvents(store, 120, { streams: 6 });
    const head = await store.headPosition();
    const errors: Error[] = [];
    // The default relay sends from producer threads: the SASL settings cross to each thread's own client.
    const relay = new EventRelay({
      name: uniqueName('scram-relay'),
      store,
      checkpoints,
      kafka: client('scram-relay', 'scram-sha-512'),
      source: '/city/test',
      topicFor: () => topic,
      topicPartitions: 3,
      onError: (error) => errors.push(error),
    });
    const handler = new IdsHandler();
    const consumer = new KafkaConsumerRunner<string>({
      kafka: client('scram-reader', 'scram-sha-256'),
      groupId: uniqueName('scram-reader'),
      topics: [topic],
      decode: (message) => String(message.headers?.ce_id),
      handler,
    });
    try {
      await consumer.start();
      await relay.start();
      await eventually(async () => (relay.position === head ? true : undefined), RELAYED_MS);
      await eventually(async () => (handler.ids.length >= ids.length ? true : undefined), RELAYED_MS);
    } finally {
      await relay.stop();
      await consumer.stop();
    }
    expect([...handler.ids].sort()).toEqual([...ids].sort());
    expect(errors).toEqual([]);
  },
  2 * RELAYED_MS,
);

it(
  'refuses wrong credentials with a clear error, at once: the relay reports it and publishes nothing, a consumer does not start',
  async () => {
    const kafka = client('scram-wrong', 'scram-sha-512', 'not-the-password');
    const refusal = /SASL SCRAM SHA512 authentication failed.*invalid credentials/;

    const consumer = new KafkaConsumerRunner<string>({
      kafka,
      groupId: uniqueName('scram-wrong'),
      topics: [uniqueName('scram-wrong')],
      decode: (message) => String(message.value),
      handler: new IdsHandler(),
    });
    const started = Date.now();
    await expect(consumer.start()).rejects.toThrow(refusal);
    expect(Date.now() - started).toBeLessThan(REFUSED_MS);

    const name = uniqueName('scram-wrong-relay');
    const errors: Error[] = [];
    await appendCanvassEvents(store, 5, { streams: 1 });
    const relay = new EventRelay({
      name,
      store,
      checkpoints,
      kafka,
      source: '/city/test',
      topicFor: () => uniqueName('scram-wrong'),
      onError: (error) => errors.push(error),
    });
    await relay.start();
    try {
      await eventually(async () => (errors.length > 0 ? true : undefined), REFUSED_MS);
    } finally {
      await relay.stop();
    }
    expect(errors[0]?.message).toMatch(refusal);
    expect(errors.map((e) => e.message).join('\n')).not.toContain(SCRAM.password);
    expect(await checkpoints.load(name)).toBe(0n);
  },
  2 * REFUSED_MS + 30_000,
);
