import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { correlationIdOf } from './correlation-id';

/** Headers that carry credentials; they never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

const QUIET_PATHS = /^\/(metrics|health\/(live|ready))(\?|$)/;

/**
 * nestjs-pino settings: JSON lines, `service` and `correlationId` on every
 * line of a request, level from LOG_LEVEL. Request bodies are never logged
 * (they hold personal data): the request serializer keeps method, URL and id only.
 */
export function loggerParams(options: {
  serviceName: string;
  level?: string;
  destination?: NodeJS.WritableStream;
}): Params {
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
      req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
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
