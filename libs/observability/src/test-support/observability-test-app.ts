import { PassThrough } from 'node:stream';
import { Body, Controller, Get, HttpException, Module, Param, Post, type Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Type as TransformType } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, MinLength, ValidateNested } from 'class-validator';
import { ConcurrencyError, ForbiddenError, NotFoundError, RuleViolationError, UnknownEventTypeError, ValidationError } from '@city/eventsourcing';
import { configureApp } from '../bootstrap/configure-app';
import { currentCorrelationId } from '../logging/correlation-id';
import { CityMetrics } from '../metrics/city-metrics';
import { ObservabilityModule } from '../observability.module';
import type { ReadinessCheck } from '../observability-options';

/** Test fixture: a tiny service wired exactly like production (configureApp). */

class AddressDto {
  @IsString() street!: string;
  @IsString() @MinLength(6) postcode!: string;
}

export class RegisterUnitDto {
  @IsString() @MinLength(2) name!: string;
  @IsInt() @Min(0) households!: number;
  @IsOptional() @ValidateNested() @TransformType(() => AddressDto) address?: AddressDto;
}

@Controller('units')
class UnitsController {
  constructor(private readonly metrics: CityMetrics) {}

  @Get(':unitId')
  get(@Param('unitId') unitId: string) {
    return { unitId };
  }

  @Post()
  register(@Body() dto: RegisterUnitDto) {
    return this.metrics.timeCommand('RegisterUnit', async () => {
      if (dto.name === 'duplicate') throw new RuleViolationError('unit-name-unique', 'A unit with this name exists');
      return { registered: dto.name, isDto: dto instanceof RegisterUnitDto };
    });
  }
}

const ERRORS: Record<string, () => unknown> = {
  validation: () => new ValidationError('Bad command', { name: ['name is required'] }),
  forbidden: () => new ForbiddenError('Not your district'),
  'not-found': () => new NotFoundError('No unit u-1'),
  conflict: () => new ConcurrencyError('unit-1', '3', 4),
  rule: () => new RuleViolationError('visit-after-assignment', 'Unit has no official yet'),
  'unknown-type': () => new UnknownEventTypeError('UnitExploded', 2),
  http: () => new HttpException({ statusCode: 418, message: 'teapot' }, 418),
  crash: () => new Error('database password is hunter2'),
};

@Controller('errors')
class ErrorsController {
  @Get(':kind')
  fail(@Param('kind') kind: string) {
    throw ERRORS[kind]();
  }
}

@Controller('correlation')
class CorrelationController {
  @Get()
  async get() {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { correlationId: currentCorrelationId() };
  }

  @Post()
  async post(@Body() body: unknown) {
    await new Promise((resolve) => setImmediate(resolve));
    return { correlationId: currentCorrelationId(), received: body !== undefined };
  }
}

export interface TestApp {
  readonly app: NestExpressApplication;
  /** Every JSON log line written so far. */
  readonly logs: () => Record<string, unknown>[];
}

export async function createObservabilityTestApp(options: {
  serviceName?: string;
  readiness?: ReadinessCheck[];
  bodyLimit?: string;
  swagger?: boolean;
  extraControllers?: Type<unknown>[];
}): Promise<TestApp> {
  const destination = new PassThrough();
  const lines: string[] = [];
  let pending = '';
  destination.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.trim() !== ''));
  });
  @Module({
    imports: [
      ObservabilityModule.forRoot({
        serviceName: options.serviceName ?? 'test-service',
        readiness: options.readiness,
        logLevel: 'info',
        logDestination: destination,
      }),
    ],
    controllers: [UnitsController, ErrorsController, CorrelationController, ...(options.extraControllers ?? [])],
  })
  class TestAppModule {}

  const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
  configureApp(app, { serviceName: options.serviceName ?? 'test-service', bodyLimit: options.bodyLimit ?? '1kb', swagger: options.swagger ?? false });
  await app.init();
  return { app, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
