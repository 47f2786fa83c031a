import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Registry } from 'prom-client';
import { HealthController } from '../health/health.controller';
import { ReadinessChecks } from '../health/readiness-checks';
import { MetricsController } from '../metrics/metrics.controller';
import { METRICS_REGISTRY } from '../metrics/metrics-registry';

/**
 * The root module of a service's management app: GET /metrics and the health
 * endpoints of the service's own app, on a listener of their own (the
 * management port), so that a deployment can keep them inside the cluster.
 * It reads the service app's registry and readiness checks (a shutdown that
 * has begun answers 503 here too); no token is asked for, as on the API port.
 */
@Module({})
export class ManagementModule {
  static forRoot(of: { readonly registry: Registry; readonly readiness: ReadinessChecks }): DynamicModule {
    return {
      module: ManagementModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [MetricsController, HealthController],
      providers: [
        { provide: METRICS_REGISTRY, useValue: of.registry },
        { provide: ReadinessChecks, useValue: of.readiness },
      ],
    };
  }
}
