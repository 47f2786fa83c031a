import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * The few request/response features this library uses, typed on node:http:
 * the node objects, and where noted what Express or Fastify adds to them.
 */
export type HttpRequest = IncomingMessage & {
  /** Set by Express once a route matched; `path` is the route template. */
  route?: { path?: unknown };
  /** Set by Fastify on its request object; `url` is the route template. */
  routeOptions?: { url?: unknown };
  baseUrl?: string;
  correlationId?: string;
};

export type HttpResponse = ServerResponse & {
  status(code: number): HttpResponse;
  json(body: unknown): HttpResponse;
};

export type NextFunction = (error?: unknown) => void;

export type HttpMiddleware = (req: HttpRequest, res: HttpResponse, next: NextFunction) => void;
