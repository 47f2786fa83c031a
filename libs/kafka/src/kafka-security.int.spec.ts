import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createTestDatabase, DedicatedKafka, eventually, uniqueName, type TestDatabase } from '@city/testing';
import { PostgresCheckpointStore } from './checkpoint-store';
import { EventRelay } from './event-relay';
import { createKafka, type KafkaSettings } from './kafka-client';
import { KafkaConsumerRunner, type ConsumedBatch, type ConsumerBatchHandler } from './kafka-consumer-runner';
import { kafkaSecurityFromEnv, type KafkaSecurityEnv } from './kafka-security';
import { appendCanvassEvents } from './testing/events';

// A broker of the test's own (deploy/local/kafka-up.sh with KAFKA_SCRAM_USER/PASSWORD and KAFKA_TLS_PORT) whose
// client listeners are SASL_PLAINTEXT with SCRAM-SHA-512 and SCRAM-SHA-256, and SASL_SSL (SCRAM and PLAIN) with a
// certificate of a CA of its own; the shared broker on 9092 is not touched.
// Budgets: waits return as soon as their condition holds; they are sized for a loaded machine.
/** Formatting the broker's storage with the SCRAM user and starting it (~10 s idle, a JVM start on a loaded machine). */
const BROKER_MS = 240_000;
/** The relay publishing the events and the consumer's group joined and reading them. */
const RELAYED_MS = 90_000;
/** Wrong credentials are refused by the broker at once (a non-retriable error, a second or two idle), not after retries or a timeout; sized for a loaded machine. */
const REFUSED_MS = 30_000;

const SCRAM = { username: 'city-relay', password: `pw-${randomUUID()}` };

let broker: DedicatedKafka;
let secrets: string;
let database: TestDatabase;
let store: PostgresEventStore;
let checkpoints: PostgresCheckpointStore;

interface ClientOptions {
  readonly password?: string;
  /** The SASL_SSL listener, verified against the broker's CA (KAFKA_SSL_CA_FILE) unless `trustCa` is false. */
  readonly tls?: boolean;
  readonly trustCa?: boolean;
  readonly settings?: Partial<KafkaSettings>;
}

/** A client of the broker configured as a service is: from the KAFKA_SSL* and KAFKA_SASL* settings, the password from a file. */
function client(clientId: string, mechanism: string, options: ClientOptions = {}): Kafka {
  const passwordFile = join(secrets, uniqueName('password'));
  writeFileSync(passwordFile, `${options.password ?? SCRAM.password}\n`, { mode: 0o600 });
  const env: KafkaSecurityEnv = {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: SCRAM.username,
    KAFKA_SASL_PASSWORD_FILE: passwordFile,
    ...(options.tls ? { KAFKA_SSL: 'true', ...(options.trustCa === false ? {} : { KAFKA_SSL_CA_FILE: broker.caFile }) } : {}),
  };
  return createKafka({ brokers: options.tls ? broker.tlsBrokers : broker.brokers, clientId, ...options.settings, ...kafkaSecurityFromEnv(env) });
}

/** Appends `count` events, relays them on `relayKafka` (default: producer threads) and reads them back on `readerKafka`; resolves to both id lists and the relay's errors. */
async function relayAndRead(relayKafka: Kafka, readerKafka: Kafka, count: number): Promise<{ appended: string[]; read: string[]; errors: Error[] }> {
  const topic = uniqueName('scram-relay');
  const before = await store.headPosition();
  const appended = await appendCanvassEvents(store, count, { streams: 6 });
  const head = await store.headPosition();
  const errors: Error[] = [];
  const name = uniqueName('scram-relay');
  // Only this call's events: the checkpoint of a new relay name starts at 0.
  await checkpoints.save({ relay: name, store: await store.identity() }, before);
  const relay = new EventRelay({
    name,
    store,
    checkpoints,
    kafka: relayKafka,
    source: '/city/test',
    topicFor: () => topic,
    topicPartitions: 3,
    onError: (error) => errors.push(error),
  });
  const handler = new IdsHandler();
  const consumer = new KafkaConsumerRunner<string>({
    kafka: readerKafka,
    groupId: uniqueName('scram-reader'),
    topics: [topic],
    decode: (message) => String(message.headers?.ce_id),
    handler,
  });
  try {
    await consumer.start();
    await relay.start();
    await eventually(async () => (relay.position === head ? true : undefined), RELAYED_MS);
    await eventually(async () => (handler.ids.length >= appended.length ? true : undefined), RELAYED_MS);
  } finally {
    await relay.stop();
    await consumer.stop();
  }
  return { appended, read: handler.ids, errors };
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
  broker = await DedicatedKafka.create({ scram: SCRAM, tls: true });
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
    // The default relay sends from producer threads: the SASL settings cross to each thread's own client.
    const { appended, read, errors } = await relayAndRead(client('scram-relay', 'scram-sha-512'), client('scram-reader', 'scram-sha-256'), 120);
    expect([...read].sort()).toEqual([...appended].sort());
    expect(errors).toEqual([]);
  },
  2 * RELAYED_MS,
);

it(
  'refuses wrong credentials with a clear error, at once: the relay reports it and publishes nothing, a consumer does not start',
  async () => {
    const kafka = client('scram-wrong', 'scram-sha-512', { password: 'not-the-password' });
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
    expect(await checkpoints.load({ relay: name, store: await store.identity() })).toBe(0n);
  },
  2 * REFUSED_MS + 30_000,
);

it(
  'relays over TLS verified against the CA file (SASL_SSL, SCRAM-SHA-512) to a consumer using PLAIN; a client that does not trust the CA is refused',
  async () => {
    const { appended, read, errors } = await relayAndRead(
      client('tls-relay', 'scram-sha-512', { tls: true }),
      client('tls-reader', 'plain', { tls: true }),
      60,
    );
    expect([...read].sort()).toEqual([...appended].sort());
    expect(errors).toEqual([]);

    // The system's CAs do not include the broker's: the connection is refused (one retry keeps the test short; a service retries longer).
    const untrusting = client('tls-untrusting', 'scram-sha-512', { tls: true, trustCa: false, settings: { retry: { retries: 1, initialRetryTime: 100 } } });
    const admin = untrusting.admin();
    await expect(admin.connect()).rejects.toThrow(/self-signed certificate/);
    await admin.disconnect();
  },
  2 * RELAYED_MS + REFUSED_MS,
);
