import type { HttpRequest } from '../http/http-types';

/** The `route` label for requests that never reached a route (unknown path, or refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

const RECORDED_ROUTE = Symbol('city:route-template');

type WithRecordedRoute = HttpRequest & { [RECORDED_ROUTE]?: string };

/**
 * Remembers the template of the route now handling `req`. Called from inside
 * Nest's route handling (RouteTemplateGuard, and CityErrorFilter for
 * errors thrown by guards), where `req.route` is the real route. Needed because
 * Nest registers catch-all middlewares as Express routes (`/{*path}`), which
 * leave `req.route` set even for requests no route matched.
 */
export function recordRouteTemplate(req: HttpRequest): void {
  (req as WithRecordedRoute)[RECORDED_ROUTE] ??= expressRouteOf(req) ?? UNMATCHED_ROUTE;
}

/**
 * The route TEMPLATE that served a request (e.g. `/units/:unitId`), never the raw
 * URL: raw URLs carry ids, which would explode the number of time series.
 */
export function routeTemplateOf(req: HttpRequest): string {
  return (req as WithRecordedRoute)[RECORDED_ROUTE] ?? expressRouteOf(req) ?? UNMATCHED_ROUTE;
}

/** `req.route` of a plain Express route (e.g. /docs-json); wildcard ones are catch-all middlewares, not routes. */
function expressRouteOf(req: HttpRequest): string | undefined {
  const path = req.route?.path;
  if (typeof path !== 'string' || path.includes('*')) return undefined;
  return `${req.baseUrl ?? ''}${path}` || '/';
}
