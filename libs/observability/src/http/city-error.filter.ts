import { type ArgumentsHost, Catch, type ExceptionFilter, type ExecutionContext, Logger } from '@nestjs/common';
import type { HttpServer } from '@nestjs/common';
import type { CityMetrics } from '../metrics/city-metrics';
import { recordRouteTemplate, routeTemplateOf } from '../metrics/route-template';
import { httpErrorOf } from './http-error';
import type { HttpRequest } from './http-types';

/**
 * Global exception filter: every error leaves as JSON with the status and
 * body of `httpErrorOf`. Server errors are logged with their stack. Refusals
 * (401/403, from the auth guard or a scope check in a handler) are logged
 * with their reason and counted in `city_auth_refusals_total{reason}`, in this
 * one place so that none is missed or counted twice. It answers through the
 * app's HTTP adapter, so the same bodies leave Express and Fastify.
 */
@Catch()
export class CityErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('CityErrorFilter');

  constructor(
    private readonly http: HttpServer,
    private readonly metrics?: CityMetrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<HttpRequest & { actor?: { sub?: string; role?: string } }>();
    const response = host.switchToHttp().getResponse<unknown>();
    // Inside a route (guard or pipe refused): remember the route for the duration histogram.
    // Nest's not-found and body-parser error handlers have no controller class.
    if (typeof (host as Partial<ExecutionContext>).getClass === 'function' && (host as ExecutionContext).getClass()) {
      recordRouteTemplate(request);
    }
    const { status, body, isServerError, refusal } = httpErrorOf(exception);
    if (isServerError) {
      this.logger.error({ err: exception }, 'Request failed with a server error');
    } else if (refusal !== undefined) {
      // 401/403, or a refusal answered as 404 so that ids cannot be probed: counted and logged alike.
      const reason = refusal;
      this.metrics?.recordAuthRefusal(reason);
      this.logger.warn(
        {
          refusal: { status, reason, method: request.method, route: routeTemplateOf(request) },
          actor: request.actor ? { sub: request.actor.sub, role: request.actor.role } : undefined,
        },
        `Request refused (${status} ${reason})`,
      );
    }
    if (this.http.isHeadersSent(response)) {
      this.http.end(response);
      return;
    }
    if (status === 401) this.http.setHeader(response, 'WWW-Authenticate', 'Bearer');
    this.http.reply(response, body, status);
  }
}
