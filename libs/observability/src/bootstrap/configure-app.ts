import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { CityErrorFilter } from '../http/city-error.filter';
import { cityValidationPipe } from '../http/validation-pipe';
import { CityMetrics } from '../metrics/city-metrics';
import { RouteTemplateGuard } from '../metrics/route-template.guard';

export interface ConfigureAppOptions {
  readonly serviceName: string;
  /** Largest accepted JSON body; larger ones get 413 (default `64kb`). Applied where the app is created (the service kit). */
  readonly bodyLimit?: string | number;
  /** Deepest nesting of a JSON body; deeper ones get 400 `too_deeply_nested` before anything parses them (default 32). Applied where the app is created. */
  readonly maxJsonDepth?: number;
  /** Serve OpenAPI at /docs and /docs-json (default true). Tests may turn it off for speed. */
  readonly swagger?: boolean | ApiDocsInfo;
}

export const DEFAULT_BODY_LIMIT = '64kb';

/**
 * Wires the Nest side of an app the way every service runs, on either HTTP
 * adapter: JSON logger, the error filter, the validation pipe, route templates
 * for the metrics, OpenAPI. Call it before `app.init()`/`app.listen()`; the
 * app's root module must import `ObservabilityModule.forRoot(...)`. What is
 * adapter-specific (body parsing and its errors, the correlation id and the
 * request metrics, which also see requests that never reach a route) is done
 * where the app is created: `createHttpApp` in @city/service-kit.
 */
export function configureApp<A extends INestApplication>(app: A, options: ConfigureAppOptions): A {
  app.useLogger(app.get(Logger, { strict: false }));
  app.useGlobalFilters(new CityErrorFilter(app.getHttpAdapter(), app.get(CityMetrics, { strict: false })));
  app.useGlobalPipes(cityValidationPipe());
  // Before the auth guard, so a request it refuses is still counted under its route.
  app.useGlobalGuards(new RouteTemplateGuard());
  if (options.swagger !== false) setUpSwagger(app, options.serviceName, options.swagger === true ? undefined : options.swagger);
  return app;
}

export interface ApiDocsInfo {
  readonly title?: string;
  readonly description?: string;
  readonly version?: string;
}

function setUpSwagger(app: INestApplication, serviceName: string, info: ApiDocsInfo = {}): void {
  serveApiDocs(app, apiDocumentOf(app, serviceName, info));
}

/** The OpenAPI document of an app's routes (it may then be served by another app: the management listener). */
export function apiDocumentOf(app: INestApplication, serviceName: string, info: ApiDocsInfo = {}): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(info.title ?? serviceName)
    .setDescription(info.description ?? `HTTP API of the ${serviceName} service`)
    .setVersion(info.version ?? '1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs and the document at /docs-json. */
export function serveApiDocs(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
