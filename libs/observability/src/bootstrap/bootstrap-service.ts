import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configureApp, type ConfigureAppOptions } from './configure-app';
import { enableGracefulShutdown, type ShutdownOptions } from './graceful-shutdown';

export interface BootstrapOptions extends ConfigureAppOptions, ShutdownOptions {
  readonly port: number;
  /** Interface to listen on (default all). */
  readonly host?: string;
  /** Install SIGTERM/SIGINT handlers (default true). Turn off when several apps share one process. */
  readonly handleSignals?: boolean;
}

/**
 * Creates, configures and starts a service: pino logger, body limit, error
 * filter, validation pipe, OpenAPI at /docs, graceful shutdown on SIGTERM.
 * Returns the listening app.
 */
export async function bootstrapService(rootModule: Type<unknown>, options: BootstrapOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, { bufferLogs: true });
  configureApp(app, options);
  if (options.handleSignals !== false) enableGracefulShutdown(app, options);
  await (options.host ? app.listen(options.port, options.host) : app.listen(options.port));
  new Logger('Bootstrap').log(`${options.serviceName} listening on ${await app.getUrl()} (OpenAPI at /docs)`);
  return app;
}
