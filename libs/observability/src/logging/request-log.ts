import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, Global, Injectable, Module } from '@nestjs/common';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params, PinoLogger } from 'nestjs-pino';
import type { DestinationStream, Logger as Pino } from 'pino';
import { type Options, pinoHttp } from 'pino-http';
import type { HttpRequest, NextFunction } from '../http/http-types';
import { APP_LOGGER, correlationIdOf, currentRequestLogger } from './correlation-id';

type LogLevelOf = (req: IncomingMessage, res: ServerResponse, error?: Error) => string;

/**
 * One line per request, as pino-http (the lines' contract) writes it when the response
 * finishes: `{ ..., correlationId, req: {id, method, url}, res: {statusCode}, responseTime,
 * msg: "request completed" }` (`request aborted`, `request errored` with `err`), at the
 * level `customLogLevel` gives, none for `autoLogging.ignore`d paths. What pino-http did
 * besides, per request and before knowing whether anything would be logged, is not done:
 * two child loggers (serializing the request each time), and the Nest middleware and
 * second AsyncLocalStorage context nestjs-pino binds them with. The line's logger is made
 * only when its level is on; the lines a request logs while being handled get the
 * correlation id from the context `correlationIdMiddleware` sets (see `currentRequestLogger`).
 */
export class RequestLog {
  /** The app's logger, with pino-http's serializers (`req`, `res`, `err`) as the line needs them. */
  readonly logger: Pino;
  private readonly levelOf: LogLevelOf;
  private readonly ignored: (req: IncomingMessage) => boolean;

  constructor(params: Params) {
    const [options, destination] = (Array.isArray(params.pinoHttp) ? params.pinoHttp : [params.pinoHttp ?? {}]) as [Options, DestinationStream?];
    // pino-http deletes the options it reads: give it a copy (nestjs-pino's PinoLogger reads them too).
    this.logger = pinoHttp({ ...options }, destination).logger;
    this.levelOf = (options.customLogLevel as LogLevelOf | undefined) ?? (() => 'info');
    const autoLogging = options.autoLogging;
    const ignore = typeof autoLogging === 'object' ? autoLogging.ignore : undefined;
    this.ignored = autoLogging === false ? () => true : (ignore ?? (() => false));
  }

  /**
   * On the node request and response, before `correlationIdMiddleware` (which gives the
   * request's context the app's logger it leaves on the request).
   */
  readonly middleware = (req: HttpRequest, res: ServerResponse, next: NextFunction): void => {
    (req as { [APP_LOGGER]?: Pino })[APP_LOGGER] = this.logger;
    const withId = req as HttpRequest & { id?: unknown };
    // As pino-http: the request's `id` (the line's `req.id`) is its correlation id.
    withId.id ||= correlationIdOf(req);
    if (this.ignored(req)) return next();
    const started = Date.now();
    const finished = (): void => {
      res.removeListener('close', finished);
      res.removeListener('finish', finished);
      this.write(req, res, Date.now() - started);
    };
    res.on('close', finished);
    res.on('finish', finished);
    next();
  };

  private write(req: HttpRequest, res: ServerResponse, responseTime: number): void {
    const err = (res as { err?: Error }).err;
    const level = this.levelOf(req, res, err) as 'info';
    if (level === ('silent' as string) || !this.logger.isLevelEnabled(level)) return;
    const log = this.logger.child({ correlationId: correlationIdOf(req), req });
    if (err || res.statusCode >= 500) {
      const error = err ?? new Error(`failed with status code ${res.statusCode}`);
      log[level]({ res, err: error, responseTime }, 'request errored');
      return;
    }
    log[level]({ res, responseTime }, !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted');
  }
}

/** nestjs-pino's PinoLogger, logging a request's lines with its correlation id bound (see `currentRequestLogger`). */
@Injectable()
export class RequestScopedPinoLogger extends PinoLogger {
  override get logger(): Pino {
    return (currentRequestLogger() as Pino | undefined) ?? super.logger;
  }
}

/**
 * nestjs-pino's LoggerModule (the Nest `Logger` on pino, `PinoLogger`) without its request
 * middleware, which `RequestLog` replaces; and `RequestLog` on the same settings.
 */
@Global()
@Module({})
export class CityLoggerModule {
  static forRoot(params: Params): DynamicModule {
    return {
      module: CityLoggerModule,
      providers: [
        { provide: PARAMS_PROVIDER_TOKEN, useValue: params },
        { provide: PinoLogger, useClass: RequestScopedPinoLogger },
        Logger,
        {
          provide: RequestLog,
          useFactory: () => {
            const requestLog = new RequestLog(params);
            // As nestjs-pino's middleware sets it: the logger of request lines.
            (PinoLogger as unknown as { root: Pino }).root = requestLog.logger;
            return requestLog;
          },
        },
      ],
      exports: [PARAMS_PROVIDER_TOKEN, PinoLogger, Logger, RequestLog],
    };
  }
}
