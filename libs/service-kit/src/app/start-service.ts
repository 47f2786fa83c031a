import { type INestApplication, Logger } from '@nestjs/common';
import { enableGracefulShutdown, shutdownGracefully } from '@city/observability';
import { createServiceApp, type ServiceAppOptions } from './service-app';

export interface ListenOptions {
  readonly port: number;
  /** Interface to listen on (default all IPv4 interfaces, `0.0.0.0`). */
  readonly host?: string;
  /** Install SIGTERM/SIGINT handlers for graceful shutdown (default true). Off when several apps share one process. */
  readonly handleSignals?: boolean;
}

export interface RunningService {
  readonly app: INestApplication;
  readonly url: string;
  /** Ready→503, drains HTTP, then closes the app (the modules' hooks, then `onShutdown`). */
  stop(): Promise<void>;
}

/** The one way a service starts: the app of `createServiceApp`, graceful shutdown, listening. */
export async function startService(options: ServiceAppOptions & ListenOptions): Promise<RunningService> {
  const app = await createServiceApp(options);
  if (options.handleSignals !== false) enableGracefulShutdown(app);
  // Explicit: Fastify alone would listen on localhost only.
  await app.listen(options.port, options.host ?? '0.0.0.0');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  new Logger('Service').log(`${options.serviceName} listening on ${url}${options.swagger === false ? '' : ' (OpenAPI at /docs)'}`);
  return { app, url, stop: () => shutdownGracefully(app) };
}

/** A service's `main.ts`: runs `start`, and on failure says why and exits non-zero. */
export function runMain(serviceName: string, start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    process.stderr.write(`${serviceName} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
