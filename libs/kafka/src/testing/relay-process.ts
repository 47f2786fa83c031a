/**
 * A relay in a process of its own, for tests that kill it with SIGKILL.
 * Env: DATABASE_URL, RELAY_TOPIC, RELAY_NAME, RELAY_BATCH_SIZE, KAFKA_BROKERS.
 */
import { PostgresEventStore } from '@city/event-store-postgres';
import { PgDatabase } from '@city/sql';
import { TEST_KAFKA_BROKERS } from '@city/testing';
import { PostgresCheckpointStore } from '../checkpoint-store';
import { EventRelay } from '../event-relay';
import { createKafka } from '../kafka-client';

async function main(): Promise<void> {
  const db = new PgDatabase(process.env.DATABASE_URL ?? '');
  const store = new PostgresEventStore(db);
  const topic = process.env.RELAY_TOPIC ?? '';
  const relay = new EventRelay({
    name: process.env.RELAY_NAME ?? 'relay',
    store,
    checkpoints: new PostgresCheckpointStore(db),
    kafka: createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'relay-process' }),
    source: '/city/test',
    topicFor: () => topic,
    batchSize: Number(process.env.RELAY_BATCH_SIZE ?? 50),
  });
  await relay.start();
  process.stdout.write('started\n');
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
