import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { bodyParserErrorHandler } from '../http/body-parser-errors';
import { DEFAULT_MAX_JSON_DEPTH, jsonDepthExceeds, tooDeeplyNested } from '../http/json-depth';
import { securityHeaders } from '../http/security-headers';
import { CityErrorFilter } from '../http/city-error.filter';
import { cityValidationPipe } from '../http/validation-pipe';
import { correlationIdMiddleware } from '../logging/correlation-id';
import { CityMetrics } from '../metrics/city-metrics';
import { HttpMetrics } from '../metrics/http-metrics';
import { RouteTemplateGuard } from '../metrics/route-template.guard';

export interface ConfigureAppOptions {
  readonly serviceName: string;
  /** Largest accepted JSON (and form) body; larger ones get 413 (default `64kb`). */
  readonly bodyLimit?: string | number;
  /** Deepest nesting of a JSON body; deeper ones get 400 `too_deeply_nested` before anything parses them (default 32). */
  readonly maxJsonDepth?: number;
  /** Serve OpenAPI at /docs and /docs-json (default true). Tests may turn it off for speed. */
  readonly swagger?: boolean | { readonly title?: string; readonly description?: string; readonly version?: string };
}

export const DEFAULT_BODY_LIMIT = '64kb';

/**
 * Wires an app the way every service runs, in production and in tests alike.
 * Call it before `app.init()`/`app.listen()`; the app's root module must import
 * `ObservabilityModule.forRoot(...)`. Order matters: the correlation id and HTTP
 * metrics middlewares run before body parsing, so even a request refused for
 * malformed JSON has an id and a duration.
 */
export function configureApp(app: NestExpressApplication, options: ConfigureAppOptions): NestExpressApplication {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  app.use(correlationIdMiddleware);
  app.use(app.get(HttpMetrics, { strict: false }).middleware);
  // Security headers on every answer, refusals and the dashboard's pages included.
  app.use(helmet(securityHeaders()));
  // Registered here, Nest sees parsers named jsonParser/urlencodedParser and adds none of its own.
  const maxDepth = options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  app.useBodyParser('json', {
    limit,
    // On the raw bytes, before JSON.parse and class-transformer recurse into them.
    verify: (_req: unknown, _res: unknown, raw: Buffer) => {
      if (jsonDepthExceeds(raw, maxDepth)) throw tooDeeplyNested(maxDepth);
    },
  });
  app.useBodyParser('urlencoded', { limit, extended: true });
  app.use(bodyParserErrorHandler);
  app.disable('x-powered-by');
  app.useLogger(app.get(Logger, { strict: false }));
  app.useGlobalFilters(new CityErrorFilter(app.get(CityMetrics, { strict: false })));
  app.useGlobalPipes(cityValidationPipe());
  // Before the auth guard, so a request it refuses is still counted under its route.
  app.useGlobalGuards(new RouteTemplateGuard());
  if (options.swagger !== false) setUpSwagger(app, options.serviceName, options.swagger === true ? undefined : options.swagger);
  return app;
}

function setUpSwagger(app: NestExpressApplication, serviceName: string, info: { title?: string; description?: string; version?: string } = {}): void {
  const config = new DocumentBuilder()
    .setTitle(info.title ?? serviceName)
    .setDescription(info.description ?? `HTTP API of the ${serviceName} service`)
    .setVersion(info.version ?? '1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
