import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig, LogEntry, logCreator } from 'kafkajs';

/**
 * Our producers are idempotent with a bounded retry (so that a broker outage
 * surfaces as an error the relay recovers from, with a fresh producer), which
 * kafkajs warns about on every producer creation. The guarantee it warns about
 * (no duplicates) is one we do not rely on: delivery is at least once.
 */
const HARMLESS_WARNINGS = ['Limiting retries for the idempotent producer may invalidate EoS guarantees'];

const jsonLines: logCreator = () => (entry: LogEntry) => {
  if (HARMLESS_WARNINGS.some((w) => entry.log.message.includes(w))) return;
  const line = JSON.stringify({ level: entry.label, logger: 'kafkajs', namespace: entry.namespace, ...entry.log });
  process.stderr.write(`${line}\n`);
};

/**
 * A kafkajs client with the settings every service uses: warnings and errors
 * only (kafkajs logs every group join at INFO), as JSON lines on stderr, and a
 * bounded retry.
 */
export function createKafka(options: KafkaSettings): Kafka {
  const kafka = new Kafka({
    logLevel: logLevel.WARN,
    logCreator: jsonLines,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10000 },
    ...options,
    brokers: [...options.brokers],
  });
  settings.set(kafka, options);
  return kafka;
}

/** Options of createKafka. */
export type KafkaSettings = { readonly brokers: readonly string[]; readonly clientId: string } & Partial<Omit<KafkaConfig, 'brokers' | 'clientId'>>;

/** A kafkajs client cannot cross threads; its settings can, to build the same client in a worker thread. */
const settings = new WeakMap<Kafka, KafkaSettings>();

/** The settings a client was made with by createKafka, if it was. */
export function kafkaSettingsOf(kafka: Kafka): KafkaSettings | undefined {
  return settings.get(kafka);
}
