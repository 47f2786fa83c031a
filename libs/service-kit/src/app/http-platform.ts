import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import {
  apiDocumentOf,
  type ApiDocsInfo,
  CityErrorFilter,
  configureApp,
  correlationIdMiddleware,
  correlationIdOf,
  DEFAULT_BODY_LIMIT,
  DEFAULT_MAX_JSON_DEPTH,
  HttpMetrics,
  jsonDepthExceeds,
  ManagementModule,
  METRICS_REGISTRY,
  ReadinessChecks,
  RequestLog,
  securityHeaders,
  serveApiDocs,
  setRouteTemplate,
  type ConfigureAppOptions,
} from '@city/observability';

/*
 * Everything that differs between the two HTTP adapters lives in this file:
 * how the app is created, how bodies are read (and their errors), and where the
 * correlation id, the request metrics and the route template hook in. What
 * comes after (error filter, validation, auth, OpenAPI, the controllers) is the
 * same Nest code on both. Security headers (helmet, the same options on both)
 * and the JSON depth limit (on the raw bytes, before parsing) are set here too.
 */

/** The HTTP adapters a service can run on; Fastify is the default (bench/README.md, end-to-end). */
export const HTTP_ADAPTERS = ['fastify', 'express'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];
export const DEFAULT_HTTP_ADAPTER: HttpAdapterName = 'fastify';

export interface HttpAppOptions extends ConfigureAppOptions {
  /** `fastify` (default) or `express`. */
  readonly httpAdapter?: HttpAdapterName;
  /** Proxies believed about the client's address (config TRUST_PROXY); none by default. */
  readonly trustProxy?: TrustProxy;
}

/** As both adapters take it: any proxy, a number of hops, or addresses and CIDR ranges (comma-separated). */
export type TrustProxy = boolean | number | string;

export const TRUST_PROXY_PATTERN = /^(true|false|\d+|[0-9a-fA-F:./]+(\s*,\s*[0-9a-fA-F:./]+)*)$/;

/** The TRUST_PROXY setting as the adapters take it; undefined when unset. */
export function trustProxyOf(setting: string | undefined): TrustProxy | undefined {
  if (setting === undefined || setting === '') return undefined;
  if (setting === 'true' || setting === 'false') return setting === 'true';
  return /^\d+$/.test(setting) ? Number(setting) : setting;
}

/**
 * Creates a Nest app on the chosen adapter, wired as every service runs:
 * correlation id and request metrics first, JSON bodies up to `bodyLimit`
 * (400 `malformed_json`, 413 `payload_too_large`, the same bodies on both
 * adapters), then `configureApp` (logger, error filter, validation, route
 * templates, OpenAPI). Not yet initialised: call `listen()`, or
 * `initHttpApp()` to use its server without listening (supertest).
 */
export async function createHttpApp(rootModule: DynamicModule | Type<unknown>, options: HttpAppOptions): Promise<INestApplication> {
  const body: BodyRules = { limit: byteLimitOf(options.bodyLimit ?? DEFAULT_BODY_LIMIT), maxDepth: options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH };
  const trustProxy = options.trustProxy ?? false;
  const app =
    (options.httpAdapter ?? DEFAULT_HTTP_ADAPTER) === 'fastify'
      ? await createFastifyApp(rootModule, body, trustProxy)
      : await createExpressApp(rootModule, body, trustProxy);
  return configureApp(app, options);
}

/**
 * The management app of a service app made with `managementListener` (see
 * ServiceAppOptions): /metrics, /health/live, /health/ready and OpenAPI at
 * /docs of `app`'s API, on the same adapter, to listen on a port of its own.
 * It shares `app`'s metrics and readiness; its own requests are not measured.
 */
export async function createManagementApp(
  app: INestApplication,
  options: { readonly serviceName: string; readonly swagger?: false | ApiDocsInfo },
): Promise<INestApplication> {
  const module = ManagementModule.forRoot({
    registry: app.get(METRICS_REGISTRY, { strict: false }),
    readiness: app.get(ReadinessChecks, { strict: false }),
  });
  let management: INestApplication;
  if (app.getHttpAdapter().getType() === 'fastify') {
    management = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter());
  } else {
    const express = await NestFactory.create<NestExpressApplication>(module, new ExpressAdapter());
    express.disable('x-powered-by');
    management = express;
  }
  // The same error bodies as the API port (404 of an unknown path, 503 of /health/ready).
  management.useGlobalFilters(new CityErrorFilter(management.getHttpAdapter()));
  if (options.swagger !== false) serveApiDocs(management, apiDocumentOf(app, options.serviceName, { title: options.serviceName, ...options.swagger }));
  return management;
}

/** `app.init()`, and for Fastify the plugins loaded too, so that `app.getHttpServer()` answers requests without `listen()`. */
export async function initHttpApp(app: INestApplication): Promise<void> {
  await app.init();
  if (app.getHttpAdapter().getType() === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  // Start-up logs wait in a buffer until the JSON logger is in place; `listen()` flushes them, here it is done by hand.
  app.flushLogs();
}

/**
 * The node response behind a handler's `@Res()` response, taken over by the
 * handler (server-sent events): Fastify is told to leave it alone.
 */
export function takeOverResponse(res: object): ServerResponse {
  const reply = res as { raw?: ServerResponse; hijack?: () => void };
  if (reply.raw && typeof reply.hijack === 'function') {
    reply.hijack();
    return reply.raw;
  }
  return res as ServerResponse;
}

/** What a JSON body may be: its size in bytes and how deeply it nests. */
interface BodyRules {
  readonly limit: number;
  readonly maxDepth: number;
}

// ------------------------------------------------------------------ Fastify

async function createFastifyApp(rootModule: DynamicModule | Type<unknown>, body: BodyRules, trustProxy: TrustProxy): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    trustProxy,
    bodyLimit: body.limit,
    // Fastify's request id is the correlation id (pino-http logs the raw request's `id` when it has one).
    genReqId: (req: IncomingMessage) => correlationIdOf(req),
    // As Express routes: a trailing slash and the case of a path do not matter, long ids reach validation (400, not 404).
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 2048 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { bufferLogs: true, bodyParser: false });
  const metrics = app.get(HttpMetrics, { strict: false });
  const requestLog = app.get(RequestLog, { strict: false });
  // Security headers on every answer, refusals and the dashboard's pages included. Helmet's middleware, made
  // once: @fastify/helmet made a new one (parsing the CSP directives again) in two more hooks per request.
  const setSecurityHeaders = helmet(securityHeaders());
  // Fastify has routed the request before its onRequest hooks: the route template is known here (undefined: no route).
  adapter.setOnRequestHook((request, reply, done) => {
    const req = request.raw as IncomingMessage;
    setSecurityHeaders(req, reply.raw, noError);
    setRouteTemplate(req, request.routeOptions.url);
    metrics.middleware(req, reply.raw as never, () =>
      requestLog.middleware(req, reply.raw, () => correlationIdMiddleware(req, reply.raw as never, () => done())),
    );
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Bodies are read here rather than by Fastify's parser, so that their errors are those of Express's body-parser.
  fastify.addContentTypeParser('application/json', (request, payload, done) => {
    readJsonBody(request.raw, payload, body).then(
      (parsed) => done(null, parsed),
      (error: Error) => done(error, undefined),
    );
  });
  // Other media types are not read (as on Express): the handler sees no body, and validation names what is missing.
  fastify.addContentTypeParser('*', (_request, payload, done) => {
    payload.resume();
    done(null, undefined);
  });
  return app;
}

/** Helmet's `next`: it throws rather than passing errors on (helmet 8.1). */
const noError = (): void => undefined;

/** A body refused before routing, shaped as body-parser's errors so `httpErrorOf` maps both adapters' alike. */
class BodyError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly type: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** body-parser's `json()` (strict, UTF-8 only, no compression) on a Fastify payload, with its messages. */
async function readJsonBody(req: IncomingMessage, payload: Readable, { limit, maxDepth }: BodyRules): Promise<unknown> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw new BodyError(`unsupported content encoding "${encoding}"`, 415, 'encoding.unsupported');
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(req.headers['content-type'] ?? '')?.[2]?.toLowerCase();
  if (charset !== undefined && !charset.startsWith('utf-')) throw new BodyError(`unsupported charset "${charset.toUpperCase()}"`, 415, 'charset.unsupported');
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of payload) {
    received += (chunk as Buffer).length;
    if (received > limit) {
      payload.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  if (declared !== undefined && received !== declared) throw new BodyError('request size did not match content length', 400, 'request.size.invalid');
  const raw = Buffer.concat(chunks);
  // On the raw bytes, before JSON.parse and class-transformer recurse into them.
  if (jsonDepthExceeds(raw, maxDepth)) throw new BodyError(`The JSON body nests deeper than ${maxDepth} levels`, 400, 'entity.too.deep');
  return parseJson(raw.toString('utf8'));
}

const tooLarge = () => new BodyError('request entity too large', 413, 'entity.too.large');

const FIRST_NON_WHITESPACE = /^[ \t\n\r]*([^ \t\n\r]|$)/;

/** As body-parser in strict mode: an empty body is `{}`, the top level must be an object or an array. */
function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  const first = FIRST_NON_WHITESPACE.exec(text)?.[1];
  if (first !== '{' && first !== '[') {
    // body-parser's message: JSON.parse's, on the text from the first character on masked, then unmasked.
    const index = first ? text.indexOf(first) : -1;
    const partial = index === -1 ? '' : text.slice(0, index) + '#'.repeat(text.length - index);
    throw new BodyError(
      messageOfParse(partial).replace(/#+/g, (masked) => text.slice(index, index + masked.length)),
      400,
      'entity.parse.failed',
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BodyError((error as Error).message, 400, 'entity.parse.failed');
  }
}

function messageOfParse(text: string): string {
  try {
    JSON.parse(text);
    return 'strict violation';
  } catch (error) {
    return (error as Error).message;
  }
}

// ------------------------------------------------------------------ Express

async function createExpressApp(rootModule: DynamicModule | Type<unknown>, { limit, maxDepth }: BodyRules, trustProxy: TrustProxy): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, new ExpressAdapter(), { bufferLogs: true, bodyParser: false });
  app.set('trust proxy', trustProxy);
  // First, so that even a request refused for its body has an id, a duration and a log line.
  app.use(app.get(RequestLog, { strict: false }).middleware);
  app.use(correlationIdMiddleware);
  app.use(app.get(HttpMetrics, { strict: false }).middleware);
  // Security headers on every answer, refusals and the dashboard's pages included.
  app.use(helmet(securityHeaders()));
  app.useBodyParser('json', {
    limit,
    // On the raw bytes, before JSON.parse and class-transformer recurse into them.
    verify: (_req: unknown, _res: unknown, raw: Buffer) => {
      if (jsonDepthExceeds(raw, maxDepth)) throw new BodyError(`The JSON body nests deeper than ${maxDepth} levels`, 400, 'entity.too.deep');
    },
  });
  app.use(expressBodyErrorHandler);
  // body-parser reads the stream in callbacks that lose the AsyncLocalStorage context: re-enter it (same id).
  app.use(correlationIdMiddleware);
  app.disable('x-powered-by');
  return app;
}

/**
 * Express error middleware right after the body parser: malformed JSON (400
 * `malformed_json`) and oversized bodies (413 `payload_too_large`) go to the
 * error filter as they are, instead of as Nest's generic BadRequestException.
 */
function expressBodyErrorHandler(error: unknown, _req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
  const { status, type, message } = (error ?? {}) as { status?: unknown; type?: unknown; message?: unknown };
  next(typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string' ? new BodyError(String(message), status, type) : error);
}

// ------------------------------------------------------------------ both

const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `64kb`, `1mb`, or a number of bytes. */
export function byteLimitOf(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
  if (!match) throw new Error(`Not a body size: ${limit} (e.g. 64kb, 1mb)`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]);
}
