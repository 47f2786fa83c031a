import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ReadinessChecks } from '../health/readiness-checks';
import { HttpMetrics } from '../metrics/http-metrics';

export interface ShutdownOptions {
  /** How long in-flight requests may take to finish before their connections are cut (default 10 s). */
  readonly drainTimeoutMs?: number;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/**
 * Stops a service in the right order, which Nest's own `app.close()` does not
 * (it runs onModuleDestroy BEFORE closing the HTTP server):
 * 1. /health/ready turns 503 and the server stops accepting connections;
 * 2. in-flight requests finish (bounded by `drainTimeoutMs`), then idle
 *    keep-alive connections are closed;
 * 3. `app.close()`: onModuleDestroy, beforeApplicationShutdown and
 *    onApplicationShutdown hooks, where producers flush and consumers commit.
 */
export async function shutdownGracefully(app: INestApplication, options: ShutdownOptions = {}): Promise<void> {
  const readiness = app.get(ReadinessChecks, { strict: false });
  const httpMetrics = app.get(HttpMetrics, { strict: false });
  readiness.markShuttingDown();
  const server = app.getHttpServer() as Server;
  if (server.listening) {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const deadline = Date.now() + (options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
    while (httpMetrics.inFlight > 0 && Date.now() < deadline) {
      server.closeIdleConnections();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    server.closeAllConnections();
    await closed;
  }
  await app.close();
}

/**
 * On SIGTERM or SIGINT, shuts the app down with `shutdownGracefully` and then
 * re-raises the signal so the process ends with the usual status. Replaces
 * Nest's `enableShutdownHooks()` (same hooks, but HTTP drains first).
 */
export function enableGracefulShutdown(app: INestApplication, options: ShutdownOptions = {}): void {
  const logger = new Logger('Shutdown');
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const s of signals) process.removeListener(s, onSignal);
    logger.log(`${signal} received: draining HTTP, then closing the application`);
    shutdownGracefully(app, options)
      .catch((error: unknown) => logger.error({ err: error }, 'Graceful shutdown failed'))
      .finally(() => process.kill(process.pid, signal));
  };
  for (const s of signals) process.on(s, onSignal);
}
