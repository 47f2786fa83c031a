import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponse, NextFunction } from '../http/http-types';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** A caller-supplied id is kept only if it is short and plain (it ends up in logs and Kafka headers). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The key of the correlation id on log lines (pino-http's `reqId`, renamed). */
export const CORRELATION_ID_LOG_KEY = 'correlationId';

/** What a service logs with (pino's `child`, all this needs of it). */
export interface ChildLogger {
  child(bindings: Record<string, unknown>): ChildLogger;
}

/**
 * The context of the request (or Kafka message) being handled: its correlation id and,
 * in a request, the logger of the lines logged while handling it (the app's, with the
 * correlation id bound), made on first use: most requests log nothing but their own line.
 */
class CorrelationContext {
  private bound?: ChildLogger;

  constructor(
    readonly id: string,
    private readonly appLogger?: ChildLogger,
  ) {}

  get logger(): ChildLogger | undefined {
    if (!this.appLogger) return undefined;
    return (this.bound ??= this.appLogger.child({ [CORRELATION_ID_LOG_KEY]: this.id }));
  }
}

/** One store for both the id and the request's logger: each AsyncLocalStorage in use costs every promise of the process. */
const storage = new AsyncLocalStorage<CorrelationContext>();

/** Where `requestLogMiddleware` leaves the app's logger for `correlationIdMiddleware`. */
export const APP_LOGGER = Symbol('city:app-logger');

/**
 * The correlation id of the request (or Kafka message) being handled, or
 * `undefined` outside one. Command handlers put it into EventMetadata so that
 * everything one request caused can be found together.
 */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.id;
}

/** The logger of the request being handled (the app's, with its correlation id bound); `undefined` outside a request. */
export function currentRequestLogger(): ChildLogger | undefined {
  return storage.getStore()?.logger;
}

/** Runs `fn` with `correlationId` as the current one (Kafka consumers, scheduled jobs). */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run(new CorrelationContext(correlationId), fn);
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
 * of the request inside its AsyncLocalStorage context (with the app's logger, when
 * `requestLogMiddleware` ran before it).
 */
export function correlationIdMiddleware(req: HttpRequest, res: HttpResponse, next: NextFunction): void {
  const id = correlationIdOf(req);
  if (!res.headersSent) res.setHeader(CORRELATION_ID_HEADER, id);
  storage.run(new CorrelationContext(id, (req as { [APP_LOGGER]?: ChildLogger })[APP_LOGGER]), next);
}
