import { Controller, Get, Inject, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HttpRequest as Request } from './http-types';
import { actorOf, JwtAuthGuard, Public, type Actor } from '@city/auth';
import { ReadinessChecks } from '@city/observability';
import { takeOverResponse } from '@city/service-kit';
import { LiveUpdates, type LiveUpdate } from '../live/live-updates';
import type { CityOverview } from '../read-model/operations-read-model';
import { OPS_OPTIONS } from '../operations-center.tokens';
import { assertCanReadDistrict, isCityWide, readableDistrictCodes } from './access';
import { checkDistrictCode } from './district-code.pipe';
import { SseWriter } from './sse-writer';

export interface StreamOptions {
  /** Interval of keep-alive comments (default 15 s). */
  readonly keepAliveMs: number;
  /** Reconnect delay the browser is told to use (default 3 s). */
  readonly retryMs: number;
}

/**
 * GET /api/stream: server-sent events with live figures.
 *
 * An EventSource cannot send headers, so the token may come as `?access_token=`
 * (request logs show it as `[redacted]`). Events:
 * - `snapshot`: on connect, the live figures the client may read
 *   (`{ city?, districts }`, city totals only for city-wide tokens);
 * - `district-overview`: a DistrictOverview whose figures changed;
 * - `city-figures`: the new city totals (`{ asOf, day, live, figures }`), city-wide tokens only.
 * `?district=` narrows the stream to one district.
 */
@ApiTags('operations center')
@Controller('api')
export class StreamController {
  constructor(
    private readonly live: LiveUpdates,
    private readonly guard: JwtAuthGuard,
    private readonly readiness: ReadinessChecks,
    @Inject(OPS_OPTIONS) private readonly options: { readonly stream: StreamOptions },
  ) {}

  @Public() // authenticated below: the token may come in the query string
  @Get('stream')
  @ApiOperation({ summary: 'Live figures as server-sent events (snapshot, district-overview, city-figures)' })
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'access_token', required: false, description: 'The bearer token, for EventSource clients that cannot send headers.' })
  @ApiQuery({ name: 'district', required: false, description: 'Only this district.' })
  @ApiOkResponse({ description: 'An endless text/event-stream.' })
  async stream(@Req() req: Request, @Res() reply: object): Promise<void> {
    const queryToken = takeQueryToken(req);
    const actor = actorOf(req) ?? (await this.verify(queryToken));
    const only = typeof req.query.district === 'string' ? checkDistrictCode(req.query.district, 'district') : undefined;
    if (only) assertCanReadDistrict(actor, only);
    const districts = only ? [only] : readableDistrictCodes(actor);
    const cityWide = !only && isCityWide(actor);

    const snapshot = await this.live.snapshot();
    const res = takeOverResponse(reply);
    const sse = new SseWriter(res);
    sse.open(this.options.stream.retryMs);
    sse.send('snapshot', scopeSnapshot(snapshot, districts, cityWide));

    const subscription = this.live.stream.subscribe({
      next: (update: LiveUpdate) => {
        for (const overview of update.districts) if (districts.includes(overview.district.code)) sse.send('district-overview', overview);
        if (cityWide) sse.send('city-figures', update.city);
      },
      complete: () => sse.end(),
    });
    // Keep-alives hold proxies open; a service shutting down ends the stream so clients reconnect elsewhere.
    let beats = 0;
    const beatEvery = Math.max(1, Math.round(this.options.stream.keepAliveMs / 1000));
    const timer = setInterval(() => {
      if (this.readiness.isShuttingDown) return sse.end();
      if (++beats % beatEvery === 0) sse.comment('keep-alive');
    }, 1000);
    timer.unref();
    res.on('close', () => {
      clearInterval(timer);
      subscription.unsubscribe();
    });
  }

  private async verify(token: string | undefined): Promise<Actor> {
    if (!token) {
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'unauthorized',
        reason: 'missing_token',
        message: 'A bearer token is required (Authorization header or ?access_token=)',
      });
    }
    return this.guard.verify(token);
  }
}

function takeQueryToken(req: Request): string | undefined {
  return typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
}

function scopeSnapshot(overview: CityOverview, districts: readonly string[], cityWide: boolean) {
  return {
    asOf: overview.asOf,
    day: overview.day,
    live: true,
    ...(cityWide && { city: overview.city }),
    districts: overview.districts.filter((d) => districts.includes(d.district.code)),
  };
}
