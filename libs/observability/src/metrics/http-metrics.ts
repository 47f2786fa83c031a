import { Inject, Injectable } from '@nestjs/common';
import type { HttpMiddleware, HttpRequest, HttpResponse, NextFunction } from '../http/http-types';
import { Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics-registry';
import { routeTemplateOf } from './route-template';

/**
 * `http_request_duration_seconds{method,route,status_code}` plus a count of
 * requests in flight (used to drain HTTP on shutdown). It is a middleware on
 * the node request and response (see `createHttpApp`) rather than a Nest interceptor so that it also sees requests that
 * never reach a handler: 401s from guards, 404s of unknown routes, malformed JSON.
 */
@Injectable()
export class HttpMetrics {
  readonly requestDurationSeconds: Histogram<'method' | 'route' | 'status_code'>;
  private inFlightCount = 0;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.requestDurationSeconds = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /** Requests that have started and not yet finished (or been aborted). */
  get inFlight(): number {
    return this.inFlightCount;
  }

  readonly middleware: HttpMiddleware = (req: HttpRequest, res: HttpResponse, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    this.inFlightCount++;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.inFlightCount--;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.requestDurationSeconds.observe({ method: req.method, route: routeTemplateOf(req), status_code: String(res.statusCode) }, seconds);
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };
}
