import { createKafka } from '@city/kafka';
import { TEST_KAFKA_BROKERS } from '@city/testing';

/** Deletes a run's topics (and their dead-letter topics) from the shared broker; a failure is only a leftover. */
export async function deleteTopics(topics: readonly string[]): Promise<void> {
  const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'bench-cleanup' }).admin();
  // One call per topic: the broker refuses a whole request that names a topic it does not have (most runs have no dead letters).
  const connected = await admin.connect().then(
    () => true,
    () => false,
  );
  if (connected) for (const topic of topics.flatMap((t) => [t, `${t}.dlq`])) await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect().catch(() => undefined);
}
