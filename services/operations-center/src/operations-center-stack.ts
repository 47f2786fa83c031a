import { type INestApplication, Logger } from '@nestjs/common';
import { createKafka, type KafkaSecurity } from '@city/kafka';
import {
  createServiceApp,
  type HttpAdapterName,
  kafkaReadiness,
  type ListenOptions,
  type RunningService,
  type ServiceAppOptions,
  ShutdownDeadline,
  startService,
} from '@city/service-kit';
import { PgDatabase } from '@city/sql';
import { OPERATIONS_CENTER_SERVICE, OperationsCenterModule, type OperationsCenterOptions } from './operations-center.module';
import { kafkaProjectionFeed } from './projection-feeds';

export interface OperationsCenterAppOptions
  extends
    Omit<OperationsCenterOptions, 'withPlatformModules' | 'auth' | 'readiness' | 'logLevel' | 'logDestination' | 'onShutdown' | 'serviceName'>,
    Omit<ServiceAppOptions, 'serviceName' | 'module' | 'swagger'> {
  /** Serve OpenAPI at /docs (default true). */
  readonly swagger?: boolean;
}

/** The operations center on the kit's app, not yet listening (the embedded city listens where it likes). */
export function createOperationsCenterApp(options: OperationsCenterAppOptions): Promise<INestApplication> {
  const { jwtSecret, auth, readiness, logLevel, logDestination, bodyLimit, httpAdapter, swagger, onShutdown, ...module } = options;
  return createServiceApp({
    serviceName: OPERATIONS_CENTER_SERVICE,
    module: OperationsCenterModule.register({ ...module, withPlatformModules: false }),
    ...(jwtSecret === undefined ? {} : { jwtSecret }),
    ...(auth === undefined ? {} : { auth }),
    ...(readiness === undefined ? {} : { readiness }),
    ...(logLevel === undefined ? {} : { logLevel }),
    ...(logDestination === undefined ? {} : { logDestination }),
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
    ...(httpAdapter === undefined ? {} : { httpAdapter }),
    ...(onShutdown === undefined ? {} : { onShutdown }),
    ...(swagger === false ? { swagger: false as const } : {}),
  });
}

export interface OperationsCenterStackOptions extends ListenOptions, Pick<OperationsCenterOptions, 'contexts' | 'liveCoalesceMs'> {
  /** PostgreSQL of the read models and the stored Kafka offsets. */
  readonly databaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  /** TLS and SASL of the Kafka clients (`serviceOptionsOf` reads them from the configuration). */
  readonly kafkaSecurity?: KafkaSecurity;
  /** Consumer group prefix (default `operations-center`). */
  readonly groupId?: string;
  /** Serve queries and live updates only, without consuming Kafka (extra API replicas). */
  readonly queryOnly?: boolean;
  /** HS256 shared secret of the embedded mode and tests; `auth` for trusted issuers. */
  readonly jwtSecret?: string;
  readonly auth?: ServiceAppOptions['auth'];
  readonly logLevel?: string;
  readonly swagger?: boolean;
  /** `fastify` (default) or `express`. */
  readonly httpAdapter?: HttpAdapterName;
  /** Commands a minute per token subject / client address; see ServiceAppOptions. */
  readonly rateLimit?: ServiceAppOptions['rateLimit'];
  /** Proxies believed about the client's address; see ServiceAppOptions. */
  readonly trustProxy?: ServiceAppOptions['trustProxy'];
}

/**
 * The operations center in stack mode, through the kit as every service starts:
 * it listens at once, also while the broker is down (the feed retries, the
 * `kafka` check reports not ready), and becomes ready when the broker answers.
 */
export async function startOperationsCenterStack(options: OperationsCenterStackOptions): Promise<RunningService> {
  const readDb = new PgDatabase(options.databaseUrl);
  const kafka = createKafka({ brokers: options.kafkaBrokers, clientId: OPERATIONS_CENTER_SERVICE, ...options.kafkaSecurity });
  const kafkaReady = kafkaReadiness(kafka);
  const logger = new Logger(OPERATIONS_CENTER_SERVICE);
  const close = async (deadline = new ShutdownDeadline()): Promise<void> => {
    await deadline.run(
      [
        { name: 'Kafka readiness client', run: () => kafkaReady.close() },
        { name: 'read database', run: () => readDb.close() },
      ],
      (message) => logger.warn(message),
    );
  };
  const { contexts, liveCoalesceMs, queryOnly, groupId, swagger, databaseUrl: _url, kafkaBrokers: _brokers, kafkaSecurity: _security, ...listen } = options;
  try {
    return await startService({
      ...listen,
      serviceName: OPERATIONS_CENTER_SERVICE,
      module: OperationsCenterModule.register({
        readDb,
        ...(queryOnly ? {} : { feed: kafkaProjectionFeed({ kafka, groupId: groupId ?? OPERATIONS_CENTER_SERVICE }) }),
        ...(contexts === undefined ? {} : { contexts }),
        ...(liveCoalesceMs === undefined ? {} : { liveCoalesceMs }),
        withPlatformModules: false,
      }),
      readiness: queryOnly ? [] : [kafkaReady.check],
      ...(swagger === false ? { swagger: false as const } : {}),
      onShutdown: close,
    });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
