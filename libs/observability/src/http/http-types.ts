import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * The few Express request/response features this library uses, typed on
 * node:http so that the workspace needs no @types/express.
 */
export type HttpRequest = IncomingMessage & {
  /** Set by Express once a route matched; `path` is the route template. */
  route?: { path?: unknown };
  baseUrl?: string;
  correlationId?: string;
};

export type HttpResponse = ServerResponse & {
  status(code: number): HttpResponse;
  json(body: unknown): HttpResponse;
};

export type NextFunction = (error?: unknown) => void;

export type HttpMiddleware = (req: HttpRequest, res: HttpResponse, next: NextFunction) => void;
