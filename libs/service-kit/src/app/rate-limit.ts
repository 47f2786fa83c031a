import { type DynamicModule, type ExecutionContext, HttpException, HttpStatus, Injectable, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  ThrottlerModule,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { actorOf } from '@city/auth';
import { CityMetrics, routeTemplateOf } from '@city/observability';

/**
 * Rate limits on commands: each token subject (`sub`), or for a request
 * without a token its client address, may send so many commands (POST, PUT,
 * PATCH, DELETE) a minute to a service, over all its routes together; reads
 * are not limited. Past the limit: 429 `rate_limited` with Retry-After (seconds),
 * counted in `city_http_rate_limited_total{service,method,route}`. The counts
 * live in the replica's memory (@nestjs/throttler's storage): with n replicas
 * behind a balancer a subject gets up to n times the limit.
 */
export interface RateLimitOptions {
  /** Commands a minute per token subject; 0 = no limit. */
  readonly perMinute: number;
  /** Commands a minute per client address for requests without a token (travellers' registrations); 0 = no limit. */
  readonly anonymousPerMinute: number;
}

const WINDOW_MS = 60_000;
const COMMAND_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Named `default` so that the header is `Retry-After` (another name would be suffixed to it). */
const THROTTLER = 'default';

interface LimitedRequest {
  readonly method: string;
}

/** Whether a rate limit is set at all (both 0: the module is not installed). */
export function rateLimitIsOn(options: RateLimitOptions | undefined): options is RateLimitOptions {
  return options !== undefined && (options.perMinute > 0 || options.anonymousPerMinute > 0);
}

/**
 * ThrottlerGuard keyed by who sends the command rather than by route. It runs
 * after the auth guard (its module is imported after AuthModule, and global
 * guards run in module order), so the subject is that of a verified token; a
 * forged token is refused (401) before it is counted.
 */
@Injectable()
class CommandRateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly metrics: CityMetrics,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http' || !COMMAND_METHODS.has(context.switchToHttp().getRequest<LimitedRequest>().method.toUpperCase());
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const actor = actorOf(req);
    // The subject, never the token: a renewed token keeps its subject's count.
    return actor ? `sub:${actor.sub}` : `ip:${await super.getTracker(req)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const req = context.switchToHttp().getRequest<LimitedRequest>();
    this.metrics.rateLimitedTotal.inc({ method: req.method.toUpperCase(), route: routeTemplateOf(req as never) });
    const who = detail.tracker.startsWith('sub:') ? 'this token' : 'this client address';
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'rate_limited',
        message: `Too many commands from ${who}: at most ${detail.limit} a minute; retry after ${detail.timeToBlockExpire} s`,
        limitPerMinute: detail.limit,
        retryAfterSeconds: detail.timeToBlockExpire,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

@Module({})
export class RateLimitModule {
  /** Import after AuthModule (see CommandRateLimitGuard). */
  static forRoot(options: RateLimitOptions): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [
            {
              name: THROTTLER,
              ttl: WINDOW_MS,
              // A limit of 0 (off for that kind of client) as a limit nobody reaches.
              limit: (context) => {
                const limit = actorOf(context.switchToHttp().getRequest<object>()) ? options.perMinute : options.anonymousPerMinute;
                return limit > 0 ? limit : Number.MAX_SAFE_INTEGER;
              },
            },
          ],
        }),
      ],
      providers: [CommandRateLimitGuard, { provide: APP_GUARD, useExisting: CommandRateLimitGuard }],
    };
  }
}
