import { SetMetadata } from '@nestjs/common';

/**
 * Metadata key marking a route (or controller) as reachable without a token.
 * It lives here, not in @city/auth, so that /metrics and /health can be public
 * without observability depending on auth (auth depends on observability).
 */
export const PUBLIC_ROUTE = 'city:public-route';

/** Opts a route or controller out of the JwtAuthGuard (health, metrics, docs, static files). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
