import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig, LogEntry, logCreator } from 'kafkajs';
import { destination, pino, type Logger as PinoLogger } from 'pino';
import { withRedactedPassword } from './kafka-security';
// Every client this library makes gets kafkajs without its idle 1 ms timers (see the file).
import './kafkajs-idle-timer';

/**
 * Our producers are idempotent with a bounded retry (so that a broker outage
 * surfaces as an error the relay recovers from, with a fresh producer), which
 * kafkajs warns about on every producer creation. The guarantee it warns about
 * (no duplicates) is one we do not rely on: delivery is at least once.
 */
const HARMLESS_WARNINGS = ['Limiting retries for the idempotent producer may invalidate EoS guarantees'];

const PINO_LEVEL_OF: Readonly<Record<number, 'error' | 'warn' | 'info' | 'debug'>> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs' log lines through pino, like every other line of the service: JSON
 * with `time`, `level`, `service` and `msg`, plus kafkajs' own fields
 * (`namespace`, `broker`, `retryCount`, ...). kafkajs' ERROR, WARN, INFO and
 * DEBUG become pino's error, warn, info and debug.
 */
export function pinoLogCreator(logger: PinoLogger): logCreator {
  return () => (entry: LogEntry) => {
    const { message, timestamp: _timestamp, ...fields } = entry.log;
    if (HARMLESS_WARNINGS.some((w) => message.includes(w))) return;
    const level = PINO_LEVEL_OF[entry.level];
    if (!level) return;
    logger[level]({ logger: 'kafkajs', namespace: entry.namespace, ...fields }, message);
  };
}

const kafkaLoggers = new Map<string, PinoLogger>();

/**
 * The pino logger of a service's Kafka clients (one per service): its name and
 * LOG_LEVEL, on stdout as the service's other lines. Written synchronously
 * (warnings and errors only, a few lines): a producer thread that is
 * terminated, or a process that exits, loses none.
 */
function kafkaLogger(service: string): PinoLogger {
  let logger = kafkaLoggers.get(service);
  if (!logger)
    kafkaLoggers.set(
      service,
      (logger = pino({ base: { service }, messageKey: 'msg', level: process.env.LOG_LEVEL ?? 'info' }, destination({ dest: 1, sync: true }))),
    );
  return logger;
}

/**
 * A kafkajs client with the settings every service uses: warnings and errors
 * only (kafkajs logs every group join at INFO), through pino with the service
 * (the client id) on every line, and a bounded retry. TLS and SASL come from
 * the options (`...kafkaSecurityFromEnv()`, one set for all of a service's
 * clients); a SASL password is kept out of what is logged.
 */
export function createKafka(options: KafkaSettings): Kafka {
  const kafka = new Kafka({
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(kafkaLogger(options.clientId)),
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10000 },
    ...options,
    ...(options.sasl ? { sasl: withRedactedPassword(options.sasl) } : {}),
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
