import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { AuthModule, type AuthModuleOptions } from '@city/auth';
import { ObservabilityModule, type ReadinessCheck } from '@city/observability';
import { definedOnly } from '../defined-only';
import { createHttpApp, type HttpAdapterName, type TrustProxy } from './http-platform';
import { RateLimitModule, rateLimitIsOn, type RateLimitOptions } from './rate-limit';
import { ShutdownDeadline } from './shutdown-deadline';
import { SHUTDOWN_WORK, ShutdownWork, type ShutdownWorkFn } from './shutdown-work';

/** What every service app is made of, apart from its own module. */
export interface ServiceAppOptions {
  /** Metric `service` label, log field and OpenAPI title. */
  readonly serviceName: string;
  /** The service's own Nest module (controllers, handlers), e.g. `CanvassModule.register(...)`. */
  readonly module: DynamicModule;
  /** HS256 secret the bearer tokens are signed with (env JWT_SECRET if absent). */
  readonly jwtSecret?: string;
  /** Other token verification settings; `jwtSecret` wins over `auth.secret`. */
  readonly auth?: AuthModuleOptions;
  /** What /health/ready checks (event store ping, Kafka reachable, ...). */
  readonly readiness?: readonly ReadinessCheck[];
  readonly logLevel?: string;
  readonly logDestination?: NodeJS.WritableStream;
  /** The HTTP adapter (config HTTP_ADAPTER): `fastify` (default) or `express`. */
  readonly httpAdapter?: HttpAdapterName;
  /** Proxies believed about the client's address (config TRUST_PROXY). */
  readonly trustProxy?: TrustProxy;
  /** Largest accepted body (default: the platform's 64kb); larger ones get 413. */
  readonly bodyLimit?: string | number;
  /** OpenAPI at /docs (default on, titled with the service name); false turns it off. */
  readonly swagger?: false | { readonly title?: string; readonly description?: string };
  /**
   * Runs when the app closes, after HTTP has drained and the modules stopped: stop the relay, close the store.
   * Bounded by the time the shutdown has left; run the steps through `deadline.run(steps)` to bound each one.
   */
  readonly onShutdown?: ShutdownWorkFn;
  /** The most a shutdown may take, from SIGTERM (or `stop()`) to the end (default 25 s, env SHUTDOWN_TIMEOUT_MS). */
  readonly shutdownTimeoutMs?: number;
  /** Commands a minute per token subject and per client address without a token (config RATE_LIMIT_*); absent or 0: no limit. */
  readonly rateLimit?: RateLimitOptions;
  /**
   * /metrics and /docs are served by a management app (`createManagementApp`, on the management port)
   * instead of this one, which keeps only the API and /health (default false: all on this app).
   */
  readonly managementListener?: boolean;
}

@Module({})
class ShutdownDeadlineModule {}

@Module({})
class ServiceAppModule {
  static forRoot(options: ServiceAppOptions): DynamicModule {
    const secret = options.jwtSecret ?? options.auth?.secret;
    const deadline = { provide: ShutdownDeadline, useValue: new ShutdownDeadline(options.shutdownTimeoutMs) };
    return {
      module: ServiceAppModule,
      imports: [
        ObservabilityModule.forRoot({
          serviceName: options.serviceName,
          readiness: options.readiness ?? [],
          ...definedOnly({ logLevel: options.logLevel, logDestination: options.logDestination }),
          metricsRoute: options.managementListener !== true,
        }),
        AuthModule.forRoot({ ...options.auth, ...definedOnly({ secret }) }),
        // After AuthModule: its guard runs after the token's, so commands are counted by verified subject.
        ...(rateLimitIsOn(options.rateLimit) ? [RateLimitModule.forRoot(options.rateLimit)] : []),
        // Global, so the modules' own shutdown hooks bound their steps by the same clock.
        { module: ShutdownDeadlineModule, global: true, providers: [deadline], exports: [ShutdownDeadline] },
        options.module,
      ],
      providers: [{ provide: SHUTDOWN_WORK, useValue: options.onShutdown }, ShutdownWork],
    };
  }
}

/**
 * Creates a service app wired exactly as it runs (observability, bearer-token
 * auth, body limit, error filter, validation pipe, OpenAPI at /docs) on the
 * chosen HTTP adapter, not yet listening: `startService` listens, tests call
 * `initHttpApp()` and use supertest, the
 * embedded city listens where it likes.
 */
export function createServiceApp(options: ServiceAppOptions): Promise<INestApplication> {
  return createHttpApp(ServiceAppModule.forRoot(options), {
    serviceName: options.serviceName,
    ...definedOnly({ bodyLimit: options.bodyLimit, httpAdapter: options.httpAdapter, trustProxy: options.trustProxy }),
    // With a management listener, /docs is served there (createManagementApp).
    swagger: options.swagger === false || options.managementListener === true ? false : { title: options.serviceName, ...options.swagger },
  });
}
