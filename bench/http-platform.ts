/**
 * Benchmark: the CPU one HTTP request costs a service, platform included (adapter,
 * correlation id, request log, metrics, security headers, auth, rate limit,
 * validation, error filter), measured as the service process's CPU time
 * (process.cpuUsage) over a closed loop of requests, per request.
 *
 *   node -r @swc-node/register bench/http-platform.ts
 *
 * Two services, each in a child process of this script, one after the other:
 * - `bare`: a kit service whose one route (POST /bench/items/:itemId, a small validated
 *   body, a bearer token) answers without doing anything: the platform alone;
 * - `canvass`: the canvass service on a PostgreSQL event store (no Kafka relay),
 *   answering POST /units/{id}/visits as in `end-to-end` with 1 visit per request.
 *
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a database of its own
 * is created there and dropped), HTTP_BENCH_REQUESTS (measured requests per route, default
 * 5000), HTTP_BENCH_WARMUP (default 1500), HTTP_BENCH_CONCURRENCY (requests in flight,
 * default 16), HTTP_BENCH_LOG_LEVEL (services, default warn as in end-to-end; `info` adds
 * one request line each), HTTP_BENCH_RATE_LIMIT (commands a minute per subject, default
 * 1000000: the guard runs, nobody is refused), HTTP_BENCH_ROUTES (default `bare,canvass`),
 * BENCH_CHILD_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 * Prints one JSON line on stdout: CPU µs per request of each route.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Body, Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { CurrentActor, issueToken, Roles, type Actor } from '@city/auth';
import { createCanvassApp } from '@city/canvass-service';
import { PostgresEventStore } from '@city/event-store-postgres';
import { shutdownGracefully } from '@city/observability';
import { createServiceApp, IdField } from '@city/service-kit';
import { PgDatabase } from '@city/sql';
import { createTestDatabase } from '@city/testing';
import { httpClient } from './support/http';
import { required, runBenchmark, serveChild, ServiceProcess } from './support/service-process';

const REQUESTS = Number(process.env.HTTP_BENCH_REQUESTS ?? 5000);
const WARMUP = Number(process.env.HTTP_BENCH_WARMUP ?? 1500);
const CONCURRENCY = Number(process.env.HTTP_BENCH_CONCURRENCY ?? 16);
const LOG_LEVEL = process.env.HTTP_BENCH_LOG_LEVEL ?? 'warn';
const RATE_LIMIT = Number(process.env.HTTP_BENCH_RATE_LIMIT ?? 1200);
const OFFICIALS = 100;
const ROUTES = (process.env.HTTP_BENCH_ROUTES ?? 'bare,canvass').split(',').map((r) => r.trim());
const SECRET = `bench-http-platform-${randomUUID()}`;
const DISTRICT = '310105';
const SUBDISTRICT = '310105001';
const UNITS = 200;
const rateLimit = { perMinute: RATE_LIMIT, anonymousPerMinute: RATE_LIMIT };

// ---------------------------------------------------------------- child processes

class BenchItemDto {
  @IdField({ description: 'Client-chosen id' })
  requestId!: string;

  @IsInt()
  @Min(0)
  @Max(1000)
  count!: number;
}

class BenchItemParams {
  @IdField({ description: 'The item' })
  itemId!: string;
}

@Controller('bench')
class BenchController {
  @Post('items/:itemId')
  @HttpCode(201)
  @Roles('field-official')
  record(@CurrentActor() actor: Actor, @Param() params: BenchItemParams, @Body() body: BenchItemDto): { itemId: string; requestId: string; by: string } {
    return { itemId: params.itemId, requestId: body.requestId, by: actor.sub };
  }
}

@Module({ controllers: [BenchController] })
class BenchModule {}

async function bareChild(): Promise<void> {
  const app = await createServiceApp({
    serviceName: 'bench-bare',
    module: { module: BenchModule },
    jwtSecret: required('BENCH_SECRET'),
    logLevel: LOG_LEVEL,
    rateLimit,
    swagger: false,
  });
  await app.listen(0, '127.0.0.1');
  serveChild({ url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`, stop: () => shutdownGracefully(app) });
}

async function canvassChild(): Promise<void> {
  const db = new PgDatabase(required('BENCH_STORE_URL'));
  const store = new PostgresEventStore(db);
  await store.migrate();
  const app = await createCanvassApp({
    eventStore: store,
    readModelDb: db,
    jwtSecret: required('BENCH_SECRET'),
    logLevel: LOG_LEVEL,
    rateLimit,
    swagger: false,
  });
  await app.listen(0, '127.0.0.1');
  serveChild({
    url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`,
    stop: async () => {
      await shutdownGracefully(app);
      await store.close();
      await db.close();
    },
  });
}

// ---------------------------------------------------------------- load

const http = httpClient(CONCURRENCY);

/** Sends `count` requests made by `request(i)`, `CONCURRENCY` at a time; throws on an unexpected status. */
async function closedLoop(count: number, first: number, request: (i: number) => Promise<{ status: number; body: string }>, ok: number): Promise<void> {
  let next = first;
  const end = first + count;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < end) {
        const answer = await request(next++);
        if (answer.status !== ok) throw new Error(`${answer.status} ${answer.body}`);
      }
    }),
  );
}

/** CPU µs per request of the service in `service`, over REQUESTS requests after WARMUP. */
async function measure(service: ServiceProcess, request: (i: number) => Promise<{ status: number; body: string }>, ok: number): Promise<number> {
  await closedLoop(WARMUP, 0, request, ok);
  const before = await service.status();
  await closedLoop(REQUESTS, WARMUP, request, ok);
  const after = await service.status();
  return Math.round(((after.cpuMs - before.cpuMs) * 1000) / REQUESTS);
}

/** The tokens of the subdistrict's officials, who take turns: each stays under the rate limit. */
const officialTokens = () =>
  Array.from({ length: OFFICIALS }, (_, o) =>
    issueToken({ sub: `bench-official-${o}`, role: 'field-official', district: DISTRICT, subdistrict: SUBDISTRICT }, SECRET),
  );

async function bare(): Promise<number> {
  const service = await new ServiceProcess(__filename, 'bare', { BENCH_SECRET: SECRET }).ready();
  try {
    const tokens = officialTokens();
    return await measure(
      service,
      (i) => http.call('POST', `${service.url}/bench/items/item-${i % 100}`, tokens[i % OFFICIALS], { requestId: `r-${i}`, count: i % 1000 }),
      201,
    );
  } finally {
    await service.stop();
  }
}

async function canvass(): Promise<number> {
  const database = await createTestDatabase('bench_http_platform');
  await database.db.close(); // the service opens its own pool
  const service = await new ServiceProcess(__filename, 'canvass', { BENCH_SECRET: SECRET, BENCH_STORE_URL: database.url }).ready();
  try {
    const department = issueToken({ sub: 'bench-canvass-department', role: 'department', department: 'canvass' }, SECRET);
    const officials = officialTokens();
    const expect = async (answer: Promise<{ status: number; body: string }>, ok: number) => {
      const { status, body } = await answer;
      if (status !== ok) throw new Error(`${status} ${body}`);
    };
    await expect(
      http.call('POST', `${service.url}/subdistricts`, department, { districtCode: DISTRICT, subdistrictCode: SUBDISTRICT, name: 'Bench Road' }),
      201,
    );
    const units = Array.from({ length: UNITS }, (_, u) => `bench-${u}`);
    for (const unitId of units) {
      await expect(
        http.call('POST', `${service.url}/units`, department, {
          unitId,
          kind: 'residential-building-group',
          name: `Compound ${unitId}`,
          address: '1 Bench Road',
          districtCode: DISTRICT,
          subdistrictCode: SUBDISTRICT,
          size: { tenants: 0, shops: 4, households: 150 },
        }),
        201,
      );
      await expect(http.call('PUT', `${service.url}/units/${unitId}/official`, department, { officialId: 'bench-official-0' }), 200);
    }
    const findings = { tenantsOpened: 1, tenantsClosed: 0, householdsCanvassed: 3, returnedFromOutside: 0, inHomeObservation: 0, problems: [] };
    // Each visit to a distinct (unit, day), going back a day per round over the units, as end-to-end does.
    const visitedAt = (i: number) => new Date(Date.now() - (1 + Math.floor(i / UNITS)) * 86_400_000).toISOString();
    return await measure(
      service,
      // The unit's official or a colleague standing in (recorded as such), as in the field.
      (i) =>
        http.call('POST', `${service.url}/units/${units[i % UNITS]}/visits`, officials[i % OFFICIALS], {
          visitId: randomUUID(),
          visitedAt: visitedAt(i),
          findings,
        }),
      201,
    );
  } finally {
    await service.stop();
    await database.drop().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const cpuMicrosPerRequest: Record<string, number> = {};
  for (const route of ROUTES) {
    if (route === 'bare') cpuMicrosPerRequest.bare = await bare();
    else if (route === 'canvass') cpuMicrosPerRequest.canvassVisit = await canvass();
    else throw new Error(`HTTP_BENCH_ROUTES: unknown route ${route} (bare, canvass)`);
  }
  http.destroy();
  const result = { bench: 'http-platform', requests: REQUESTS, concurrency: CONCURRENCY, logLevel: LOG_LEVEL, cpuMicrosPerRequest };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

runBenchmark(main, { bare: bareChild, canvass: canvassChild });
