import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Public } from '../http/public-route';
import { ReadinessChecks } from './readiness-checks';

/**
 * `/health/live`: the process answers (restart it if not).
 * `/health/ready`: every readiness check passes (send it traffic only then);
 * 503 otherwise, with the failed check and its reason under `error`.
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessChecks,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([async () => this.indicators.check('process').up()]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.checkAll()]);
  }

  private async checkAll(): Promise<HealthIndicatorResult> {
    if (this.readiness.isShuttingDown) {
      return this.indicators.check('shutdown').down({ message: 'service is shutting down' });
    }
    const results = await this.readiness.runAll();
    let combined: HealthIndicatorResult = {};
    for (const result of results) {
      const session = this.indicators.check(result.name);
      combined = { ...combined, ...(result.ok ? session.up() : session.down({ message: result.reason ?? 'failed' })) };
    }
    return combined;
  }
}
