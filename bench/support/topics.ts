import { createKafka } from '@city/kafka';
import { TEST_KAFKA_BROKERS } from '@city/testing';

/** Deletes a run's topics (and their dead-letter topics) from the shared broker; a failure is only a leftover. */
export async function deleteTopics(topics: readonly string[]): Promise<void> {
  const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'bench-cleanup' }).admin();
  // Only those the broker has (most runs have no dead letters): kafkajs retries a missing topic for half a minute.
  await admin
    .connect()
    .then(async () => {
      const existing = new Set(await admin.listTopics());
      const doomed = topics.flatMap((t) => [t, `${t}.dlq`]).filter((t) => existing.has(t));
      if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
    })
    .catch(() => undefined);
  await admin.disconnect().catch(() => undefined);
}
