/**
 * @city/observability: the operability kit every service uses (ARCHITECTURE.md
 * decisions 9 and 10): metrics, health, JSON logs with correlation ids,
 * validated configuration, HTTP error mapping, and app bootstrap.
 */
export { ObservabilityModule } from './observability.module';
export { OBSERVABILITY_OPTIONS } from './observability-options';
export type { ObservabilityOptions, ReadinessCheck } from './observability-options';

export { CityMetrics } from './metrics/city-metrics';
export { commandOutcomeOf } from './metrics/command-outcome';
export type { CommandOutcome } from './metrics/command-outcome';
export { HttpMetrics } from './metrics/http-metrics';
export { METRICS_REGISTRY, createServiceRegistry } from './metrics/metrics-registry';
export { recordRouteTemplate, routeTemplateOf, setRouteTemplate, UNMATCHED_ROUTE } from './metrics/route-template';
export { RouteTemplateGuard } from './metrics/route-template.guard';

export { ReadinessChecks } from './health/readiness-checks';
export type { ReadinessResult } from './health/readiness-checks';

export { CORRELATION_ID_HEADER, correlationIdMiddleware, correlationIdOf, currentCorrelationId, runWithCorrelationId } from './logging/correlation-id';
export { CorrelationIdService } from './logging/correlation-id.service';
export { loggerParams, REDACTED_PATHS } from './logging/logger-params';
export { CityLoggerModule, RequestLog } from './logging/request-log';

export { ConfigurationError, loadConfig } from './config/load-config';

export { CityErrorFilter } from './http/city-error.filter';
export { httpErrorOf, httpStatusOf } from './http/http-error';
export type { HttpErrorResponse } from './http/http-error';
export { cityValidationPipe, fieldMessages } from './http/validation-pipe';
export { acceptWhenValid, AcceptingValidationPipe, compileAcceptance, type Acceptance } from './http/accepting-validation';
export { Public, PUBLIC_ROUTE } from './http/public-route';
export { securityHeaders } from './http/security-headers';
export { DEFAULT_MAX_JSON_DEPTH, jsonDepthExceeds } from './http/json-depth';

export { apiDocumentOf, configureApp, DEFAULT_BODY_LIMIT, serveApiDocs } from './bootstrap/configure-app';
export type { ApiDocsInfo, ConfigureAppOptions } from './bootstrap/configure-app';
export { ManagementModule } from './bootstrap/management.module';
export { enableGracefulShutdown, shutdownGracefully } from './bootstrap/graceful-shutdown';
export type { ShutdownOptions } from './bootstrap/graceful-shutdown';
