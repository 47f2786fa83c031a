import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponse, NextFunction } from '../http/http-types';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** A caller-supplied id is kept only if it is short and plain (it ends up in logs and Kafka headers). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const storage = new AsyncLocalStorage<string>();

/**
 * The correlation id of the request (or Kafka message) being handled, or
 * `undefined` outside one. Command handlers put it into EventMetadata so that
 * everything one request caused can be found together.
 */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** Runs `fn` with `correlationId` as the current one (Kafka consumers, scheduled jobs). */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run(correlationId, fn);
}

/** The id assigned to this request by `assignCorrelationId`, assigning one if none yet. */
export function correlationIdOf(req: HttpRequest): string {
  const withId = req;
  if (!withId.correlationId) {
    const header = req.headers[CORRELATION_ID_HEADER];
    const supplied = Array.isArray(header) ? header[0] : header;
    withId.correlationId = supplied && ACCEPTABLE_ID.test(supplied) ? supplied : randomUUID();
  }
  return withId.correlationId;
}

/**
 * Middleware on the node request and response, first in the chain (Express's
 * `app.use`, Fastify's onRequest hook, see @city/service-kit): takes `x-correlation-id` from the
 * request (or makes one), echoes it in the response header, and runs the rest
 * of the request inside its AsyncLocalStorage context.
 */
export function correlationIdMiddleware(req: HttpRequest, res: HttpResponse, next: NextFunction): void {
  const id = correlationIdOf(req);
  if (!res.headersSent) res.setHeader(CORRELATION_ID_HEADER, id);
  storage.run(id, next);
}
