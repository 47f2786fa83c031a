import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { correlationIdOf } from './correlation-id';

/** Headers that carry credentials; they never reach a log line. */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'];

/** Credentials that may travel in a query string (an EventSource cannot send headers). */
const CREDENTIALS_IN_QUERY = /([?&](?:access_token|token)=)[^&]*/g;

/** The URL as logs may show it: credentials in the query string replaced. */
export function loggableUrl(url: string | undefined): string | undefined {
  return url?.replace(CREDENTIALS_IN_QUERY, '$1[redacted]');
}

const QUIET_PATHS = /^\/(metrics|health\/(live|ready))(\?|$)/;

/**
 * nestjs-pino settings: JSON lines, `service` and `correlationId` on every
 * line of a request, level from LOG_LEVEL. Request bodies are never logged
 * (they hold personal data): the request serializer keeps method, URL and id only.
 */
export function loggerParams(options: { serviceName: string; level?: string; destination?: NodeJS.WritableStream }): Params {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const httpOptions = {
    level,
    base: { service: options.serviceName },
    messageKey: 'msg',
    // Lines logged while handling a request carry only the correlation id, not the whole request.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'correlationId' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    genReqId: (req: IncomingMessage) => correlationIdOf(req),
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
  } as const;
  return {
    pinoHttp: options.destination ? [httpOptions, options.destination] : httpOptions,
  } as Params;
}
