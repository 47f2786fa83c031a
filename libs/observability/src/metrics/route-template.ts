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
  (req as WithRecordedRoute)[RECORDED_ROUTE] ??= matchedRouteOf(req) ?? UNMATCHED_ROUTE;
}

/** Sets the template of the route that matched `req` (Fastify knows it before any hook runs); `undefined`: none matched. */
export function setRouteTemplate(req: HttpRequest, template: string | undefined): void {
  (req as WithRecordedRoute)[RECORDED_ROUTE] = usableTemplate(template) ?? UNMATCHED_ROUTE;
}

/**
 * The route TEMPLATE that served a request (e.g. `/units/:unitId`), never the raw
 * URL: raw URLs carry ids, which would explode the number of time series.
 */
export function routeTemplateOf(req: HttpRequest): string {
  return (req as WithRecordedRoute)[RECORDED_ROUTE] ?? matchedRouteOf(req) ?? UNMATCHED_ROUTE;
}

/** The route of a Fastify request (`routeOptions.url`), or `req.route` of an Express one (e.g. /docs-json). */
function matchedRouteOf(req: HttpRequest): string | undefined {
  if (req.routeOptions) return usableTemplate(req.routeOptions.url);
  const path = req.route?.path;
  return typeof path === 'string' ? usableTemplate(`${req.baseUrl ?? ''}${path}` || '/') : undefined;
}

/** Wildcard routes are catch-alls (Express registers middlewares as such), not templates. */
function usableTemplate(template: unknown): string | undefined {
  return typeof template === 'string' && !template.includes('*') ? template : undefined;
}
