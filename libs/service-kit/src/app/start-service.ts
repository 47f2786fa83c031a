import { constants } from 'node:os';
import { type INestApplication, Logger } from '@nestjs/common';
import { destination, pino } from 'pino';
import { shutdownGracefully } from '@city/observability';
import { definedOnly } from '../defined-only';
import { createManagementApp } from './http-platform';
import { createServiceApp, type ServiceAppOptions } from './service-app';
import { ShutdownDeadline } from './shutdown-deadline';

export interface ListenOptions {
  readonly port: number;
  /** Interface to listen on (default all IPv4 interfaces, `0.0.0.0`). */
  readonly host?: string;
  /** Install SIGTERM/SIGINT handlers for graceful shutdown (default true). Off when several apps share one process. */
  readonly handleSignals?: boolean;
  /** The most a shutdown may take (default 25 s); see ServiceAppOptions. */
  readonly shutdownTimeoutMs?: number;
  /**
   * Port of the management listener (config MANAGEMENT_PORT): /metrics and /docs move there from `port`;
   * /health/live and /health/ready answer on both. Absent: everything on `port`.
   */
  readonly managementPort?: number;
  /** Interface of the management listener (default `0.0.0.0`: Prometheus and the kubelet reach it from outside the pod). */
  readonly managementHost?: string;
}

export interface RunningService {
  readonly app: INestApplication;
  readonly url: string;
  /** Where /metrics and /docs are served when a management port is set. */
  readonly managementUrl?: string;
  /**
   * Ready→503, drains HTTP, then closes the app (the modules' hooks, then
   * `onShutdown`); resolves within the shutdown timeout, whatever a step does.
   */
  stop(): Promise<void>;
}

/** In-flight requests get at most this share of the shutdown timeout (and at most 10 s) to finish. */
const DRAIN_SHARE = 0.4;
const MAX_DRAIN_MS = 10_000;

/** The one way a service starts: the app of `createServiceApp`, bounded graceful shutdown, listening. */
export async function startService(options: ServiceAppOptions & ListenOptions): Promise<RunningService> {
  const managed = options.managementPort !== undefined;
  const app = await createServiceApp({ ...options, managementListener: managed });
  const management = managed ? await createManagementApp(app, { serviceName: options.serviceName, ...definedOnly({ swagger: options.swagger }) }) : undefined;
  const stop = boundedStop(app, management);
  if (options.handleSignals !== false) stopOnSignals(stop);
  // Explicit: Fastify alone would listen on localhost only.
  await app.listen(options.port, options.host ?? '0.0.0.0');
  const url = urlOf(await app.getUrl());
  const logger = new Logger('Service');
  if (!management) {
    logger.log(`${options.serviceName} listening on ${url}${options.swagger === false ? '' : ' (OpenAPI at /docs)'}`);
    return { app, url, stop };
  }
  try {
    await management.listen(options.managementPort ?? 0, options.managementHost ?? '0.0.0.0');
  } catch (error) {
    await stop();
    throw error;
  }
  const managementUrl = urlOf(await management.getUrl());
  logger.log(`${options.serviceName} listening on ${url}; /metrics, /health${options.swagger === false ? '' : ', OpenAPI at /docs'} on ${managementUrl}`);
  return { app, url, managementUrl, stop };
}

const urlOf = (url: string): string => url.replace('[::1]', '127.0.0.1');

/**
 * Stops the app within its shutdown timeout: HTTP drains (bounded), then the
 * modules' hooks and the service's own steps run, each bounded by the time
 * left. A step that does not finish in time is logged and left behind.
 */
function boundedStop(app: INestApplication, management?: INestApplication): () => Promise<void> {
  const deadline = app.get(ShutdownDeadline, { strict: false });
  const logger = new Logger('Shutdown');
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      deadline.begin();
      const drainTimeoutMs = Math.min(MAX_DRAIN_MS, Math.round(deadline.remainingMs() * DRAIN_SHARE));
      const { outcome, error } = await deadline.bound('drain HTTP and close the application', () => shutdownGracefully(app, { drainTimeoutMs }));
      if (outcome === 'timed out') logger.warn(`Shutdown did not finish within ${deadline.timeoutMs} ms; stopping anyway`);
      else if (outcome === 'failed') logger.error({ err: error }, 'Graceful shutdown failed');
      else logger.log('Shutdown finished');
      // Last, so that its /health/ready answers 503 while the service drains.
      if (management) await deadline.bound('close the management listener', () => management.close());
    })();
    return stopping;
  };
}

/**
 * On SIGTERM or SIGINT: the bounded stop, then exit with the status a shell
 * gives a process ended by that signal (143 for SIGTERM). `process.exit`
 * rather than raising the signal again, so that the log lines still buffered
 * (how shutdown went) are written out first.
 */
function stopOnSignals(stop: () => Promise<void>): void {
  const logger = new Logger('Shutdown');
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const s of signals) process.removeListener(s, onSignal);
    logger.log(`${signal} received: draining HTTP, then closing the application`);
    void stop().finally(() => process.exit(128 + constants.signals[signal]));
  };
  for (const s of signals) process.on(s, onSignal);
}

/**
 * A service's `main.ts`: runs `start`, and on failure (a configuration that
 * does not validate, a database that does not answer) says why in a pino line
 * like every other, with the configuration's problems, and exits non-zero.
 */
export function runMain(serviceName: string, start: () => Promise<unknown>): void {
  Promise.resolve()
    .then(start)
    .catch((error: unknown) => {
      const logger = pino({ base: { service: serviceName }, messageKey: 'msg' }, destination({ dest: 2, sync: true }));
      const message = error instanceof Error ? error.message : String(error);
      // A ConfigurationError's `problems` (each bad variable) come with the error.
      logger.fatal({ err: error }, `${serviceName} failed to start: ${message}`);
      process.exit(1);
    });
}
