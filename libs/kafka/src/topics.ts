import type { Kafka } from 'kafkajs';
import { topicSettingsOf, type TopicSettings } from '@city/contracts';
import { contextOfStream } from './cloudevents';
import type { RecordedEvent } from '@city/eventsourcing';

/** The topic of a context's events: `<context>.events.v1` (e.g. `canvass.events.v1`). */
export function topicForContext(context: string): string {
  return `${context}.events.v1`;
}

/** Default topic choice of the relay: one topic per context, the context being the stream-id prefix. */
export function defaultTopicFor(event: RecordedEvent): string {
  return topicForContext(contextOfStream(event.streamId));
}

/** Where a consumer parks the messages it cannot process. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

export interface TopicSpec {
  readonly topic: string;
  /** Default 3: enough to spread streams over a few consumers, small enough for one broker. */
  readonly numPartitions?: number;
  /** Default: the broker's default replication factor. */
  readonly replicationFactor?: number;
  readonly configEntries?: readonly { readonly name: string; readonly value: string }[];
}

/** Where the settings of a topic are found: by default the contracts' AsyncAPI documents (`topicSettingsOf`). */
export type TopicSettingsLookup = (topic: string) => TopicSettings | undefined;

/**
 * Creates the topics that do not exist yet and waits for their leaders; topics
 * that exist are left as they are, so it is safe to call at every start.
 *
 * The one place topics are created. A topic a contract describes is created
 * as its AsyncAPI document says (partitions, topic configuration, replicas,
 * capped at the brokers the cluster has), whatever the caller asked for, so
 * the relay and a consumer that start in either order make the same topic.
 * Only a topic without a contract (a test's, a dead-letter topic) takes the
 * caller's spec. Clients never let the broker create topics on their own
 * (`allowAutoTopicCreation: false`).
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly (TopicSpec | string)[],
  options: { readonly settingsOf?: TopicSettingsLookup } = {},
): Promise<void> {
  if (topics.length === 0) return;
  const settingsOf = options.settingsOf ?? topicSettingsOf;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.map((t) => (typeof t === 'string' ? { topic: t } : t)).filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    const contracts = missing.map((t) => settingsOf(t.topic));
    const brokers = contracts.some((c) => c !== undefined) ? (await admin.describeCluster()).brokers.length : 0;
    const specs = missing.map((t, i) => {
      const contract = contracts[i];
      return contract ? contractSpec(contract, brokers) : t;
    });
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: specs.map((t) => ({
          topic: t.topic,
          numPartitions: t.numPartitions ?? 3,
          ...(t.replicationFactor === undefined ? {} : { replicationFactor: t.replicationFactor }),
          ...(t.configEntries === undefined ? {} : { configEntries: [...t.configEntries] }),
        })),
      });
    } catch (error) {
      // Another process may have created them between listTopics and createTopics.
      if (!isTopicAlreadyExists(error)) throw error;
    }
  } finally {
    await admin.disconnect();
  }
}

/** A contract's settings as the spec to create; a cluster with fewer brokers than the contract's replicas gets one replica per broker. */
export function contractSpec(settings: TopicSettings, brokers: number): TopicSpec {
  return {
    topic: settings.topic,
    numPartitions: settings.partitions,
    replicationFactor: Math.max(1, Math.min(settings.replicas, brokers)),
    configEntries: Object.entries(settings.config).map(([name, value]) => ({ name, value })),
  };
}

function isTopicAlreadyExists(error: unknown): boolean {
  const e = error as { type?: string; errors?: { type?: string }[] };
  if (e.type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => x.type === 'TOPIC_ALREADY_EXISTS');
}
