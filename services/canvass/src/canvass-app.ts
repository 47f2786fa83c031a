import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AuthModule } from '@city/auth';
import { configureApp, ObservabilityModule, type ReadinessCheck } from '@city/observability';
import { CanvassModule, type CanvassModuleOptions } from './canvass.module';

export const CANVASS_SERVICE_NAME = 'canvass';

export interface CanvassAppOptions extends CanvassModuleOptions {
  /** HS256 secret the bearer tokens are signed with (env JWT_SECRET if absent). */
  readonly jwtSecret?: string;
  /** What /health/ready checks (event store ping, Kafka reachable, ...). */
  readonly readiness?: readonly ReadinessCheck[];
  readonly logLevel?: string;
  readonly logDestination?: NodeJS.WritableStream;
  /** Largest accepted body (default: the platform's 64kb); larger ones get 413. */
  readonly bodyLimit?: string | number;
  /** Serve OpenAPI at /docs (default true). */
  readonly swagger?: boolean;
  /** Runs when the app closes, after HTTP has drained: stop the relay, close the store. */
  readonly onShutdown?: () => Promise<void>;
}

const SHUTDOWN_WORK = Symbol('CANVASS_SHUTDOWN_WORK');

/** Runs the app's shutdown work in Nest's last lifecycle hook. */
@Injectable()
class ShutdownWork implements OnApplicationShutdown {
  constructor(@Inject(SHUTDOWN_WORK) private readonly work: (() => Promise<void>) | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    await this.work?.();
  }
}

/** The stand-alone canvass service: observability, bearer-token auth and the canvass module. */
@Module({})
export class CanvassAppModule {
  static forRoot(options: CanvassAppOptions): DynamicModule {
    return {
      module: CanvassAppModule,
      imports: [
        ObservabilityModule.forRoot({
          serviceName: CANVASS_SERVICE_NAME,
          readiness: options.readiness ?? [],
          ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
          ...(options.logDestination === undefined ? {} : { logDestination: options.logDestination }),
        }),
        AuthModule.forRoot(options.jwtSecret === undefined ? {} : { secret: options.jwtSecret }),
        CanvassModule.register({
          eventStore: options.eventStore,
          ...(options.clock === undefined ? {} : { clock: options.clock }),
          ...(options.gateDutyLock === undefined ? {} : { gateDutyLock: options.gateDutyLock }),
        }),
      ],
      providers: [{ provide: SHUTDOWN_WORK, useValue: options.onShutdown }, ShutdownWork],
    };
  }
}

/**
 * Creates the canvass app, wired exactly as it runs (body limit, error filter,
 * validation pipe, OpenAPI at /docs), but not yet listening: `main.ts` listens,
 * tests call `init()` and use supertest, the embedded city mounts it as it likes.
 */
export async function createCanvassApp(options: CanvassAppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(CanvassAppModule.forRoot(options), { bufferLogs: true });
  configureApp(app, {
    serviceName: CANVASS_SERVICE_NAME,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    swagger: options.swagger === false ? false : { title: 'canvass', description: 'Five responsibilities, one network: units, assignments, canvass visits, gate duty, doorstep services' },
  });
  return app;
}
