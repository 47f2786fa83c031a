/**
 * A Kafka projection runner in a process of its own, for tests that kill it with SIGKILL.
 * Env: DATABASE_URL, RUNNER_TOPIC, RUNNER_GROUP, PROJECTION_NAME, PROJECTION_TABLE, KAFKA_BROKERS.
 */
import { createKafka } from '@city/kafka';
import { acceptAnyEventData } from '@city/kafka/testing';
import { PgDatabase } from '@city/sql';
import { TEST_KAFKA_BROKERS } from '@city/testing';
import { ProjectionRunner } from '../projection-runner';
import { CountingProjection } from './counting-projection';

async function main(): Promise<void> {
  const db = new PgDatabase(process.env.DATABASE_URL ?? '');
  const runner = new ProjectionRunner({
    kafka: createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'projection-process' }),
    db,
    projections: [new CountingProjection(process.env.PROJECTION_NAME ?? 'counting', process.env.PROJECTION_TABLE ?? 'counting')],
    topics: [process.env.RUNNER_TOPIC ?? ''],
    groupId: process.env.RUNNER_GROUP ?? '',
    validate: acceptAnyEventData,
    // Small batches so the test can kill it half-way; the shortest session the broker allows.
    consumer: { consumerConfig: { maxBytesPerPartition: 16 * 1024, sessionTimeout: 6000, heartbeatInterval: 1000 } },
  });
  await runner.start();
  process.stdout.write('started\n');
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
