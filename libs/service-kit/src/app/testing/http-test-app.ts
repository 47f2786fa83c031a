import { PassThrough } from 'node:stream';
import { Body, Controller, Get, HttpException, type INestApplication, Module, Param, Post, type Type } from '@nestjs/common';
import { Type as TransformType } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, MinLength, ValidateNested } from 'class-validator';
import { ConcurrencyError, ForbiddenError, NotFoundError, RuleViolationError, UnknownEventTypeError, ValidationError } from '@city/eventsourcing';
import { CityMetrics, currentCorrelationId, ObservabilityModule, type ReadinessCheck } from '@city/observability';
import { createHttpApp, type HttpAdapterName, initHttpApp } from '../http-platform';

/** Test fixture: a tiny service wired exactly like production (`createHttpApp`), on either adapter. */

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
  readonly app: INestApplication;
  /** Every JSON log line written so far. */
  readonly logs: () => Record<string, unknown>[];
}

export async function createHttpTestApp(options: {
  httpAdapter: HttpAdapterName;
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

  const app = await createHttpApp(TestAppModule, {
    httpAdapter: options.httpAdapter,
    serviceName: options.serviceName ?? 'test-service',
    bodyLimit: options.bodyLimit ?? '1kb',
    swagger: options.swagger ?? false,
  });
  await initHttpApp(app);
  return { app, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
