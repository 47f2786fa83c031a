import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health/health.controller';
import { ReadinessChecks } from './health/readiness-checks';
import { CorrelationIdService } from './logging/correlation-id.service';
import { loggerParams } from './logging/logger-params';
import { CityLoggerModule } from './logging/request-log';
import { CityMetrics } from './metrics/city-metrics';
import { HttpMetrics } from './metrics/http-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { createServiceRegistry, METRICS_REGISTRY } from './metrics/metrics-registry';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability-options';

/**
 * Everything that makes a service operable (ARCHITECTURE.md decision 9):
 * GET /metrics (unless a management app serves it), GET /health/live, GET /health/ready, JSON logs with a
 * correlation id, and the CityMetrics / HttpMetrics / ReadinessChecks providers.
 * Import once in the service's root module; use `configureApp` on the app
 * (the service kit does both) so HTTP behaviour is wired identically in
 * production and tests.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        CityLoggerModule.forRoot(loggerParams({ serviceName: options.serviceName, level: options.logLevel, destination: options.logDestination })),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      controllers: options.metricsRoute === false ? [HealthController] : [MetricsController, HealthController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        { provide: METRICS_REGISTRY, useFactory: () => createServiceRegistry(options.serviceName) },
        CityMetrics,
        HttpMetrics,
        ReadinessChecks,
        CorrelationIdService,
      ],
      exports: [OBSERVABILITY_OPTIONS, METRICS_REGISTRY, CityMetrics, HttpMetrics, ReadinessChecks, CorrelationIdService],
    };
  }
}
