import { Controller, Delete, Get, HttpCode, Module, Post } from '@nestjs/common';
import request from 'supertest';
import { type Actor, issueToken, Public } from '@city/auth';
import { HTTP_ADAPTERS, type TrustProxy } from './http-platform';
import type { RateLimitOptions } from './rate-limit';
import { type RunningService, startService } from './start-service';

@Controller('things')
class ThingsController {
  @Get()
  list() {
    return [];
  }

  @Post()
  create() {
    return { created: true };
  }

  @Delete(':id')
  @HttpCode(204)
  remove() {
    return undefined;
  }
}

/** A command anyone may send, as a traveller's registration. */
@Public()
@Controller('registrations')
class RegistrationsController {
  @Post()
  register() {
    return { registered: true };
  }
}

@Module({ controllers: [ThingsController, RegistrationsController] })
class ThingsModule {}

const SECRET = 'kit-test-secret-0123456789abcdefghijkl';
const staff = (sub: string): Actor => ({ sub, role: 'district-staff', district: '310105' });

const start = (httpAdapter: (typeof HTTP_ADAPTERS)[number], rateLimit: RateLimitOptions, trustProxy?: TrustProxy): Promise<RunningService> =>
  startService({
    ...(trustProxy === undefined ? {} : { trustProxy }),
    serviceName: 'kit-rate-limit',
    module: { module: ThingsModule },
    jwtSecret: SECRET,
    logLevel: 'silent',
    port: 0,
    host: '127.0.0.1',
    handleSignals: false,
    httpAdapter,
    rateLimit,
  });

describe.each(HTTP_ADAPTERS)('rate limits on commands (%s)', (httpAdapter) => {
  it('limits the commands of each token subject, and of each address without a token; 429 with Retry-After, counted', async () => {
    const service = await start(httpAdapter, { perMinute: 3, anonymousPerMinute: 2 });
    try {
      const alice = issueToken(staff('alice'), SECRET);
      // Another token of the same subject (renewed, or signed again) shares its count.
      const aliceAgain = issueToken({ ...staff('alice'), name: 'Alice' }, SECRET, { expiresIn: '1h' });
      const bob = issueToken(staff('bob'), SECRET);
      const post = (token: string) => request(service.url).post('/things').set('authorization', `Bearer ${token}`).send({});

      // Tokens that do not verify are refused before they are counted: never 429, whatever their number
      // (were the limit counted before the token is verified, they would count against the address).
      for (let i = 0; i < 4; i++) expect((await request(service.url).post('/things').set('authorization', 'Bearer forged').send({})).status).toBe(401);

      expect((await post(alice)).status).toBe(201);
      expect((await request(service.url).delete('/things/t-1').set('authorization', `Bearer ${alice}`)).status).toBe(204);
      expect((await post(aliceAgain)).status).toBe(201);
      const refused = await post(alice);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.body).toEqual({
        statusCode: 429,
        error: 'rate_limited',
        message: `Too many commands from this token: at most 3 a minute; retry after ${retryAfter} s`,
        limitPerMinute: 3,
        retryAfterSeconds: retryAfter,
      });
      expect((await post(aliceAgain)).status).toBe(429);
      // Reads are not limited; another subject has its own count.
      for (let i = 0; i < 5; i++) expect((await request(service.url).get('/things').set('authorization', `Bearer ${alice}`)).status).toBe(200);
      expect((await post(bob)).status).toBe(201);

      // Without a token: by client address, with its own limit.
      const register = () => request(service.url).post('/registrations').send({});
      expect((await register()).status).toBe(201);
      expect((await register()).status).toBe(201);
      const anonymous = await register();
      expect(anonymous.status).toBe(429);
      expect(anonymous.headers['retry-after']).toMatch(/^\d+$/);
      expect(anonymous.body).toMatchObject({ error: 'rate_limited', limitPerMinute: 2 });
      expect(anonymous.body.message).toContain('from this client address');

      const metrics = (await request(service.url).get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/city_http_rate_limited_total\{method="POST",route="\/things",service="kit-rate-limit"\} 2\b/);
      expect(metrics).toMatch(/city_http_rate_limited_total\{method="POST",route="\/registrations",service="kit-rate-limit"\} 1\b/);
      // No subject, token or address in a label.
      expect(metrics).not.toMatch(/alice|127\.0\.0\.1/);
    } finally {
      await service.stop();
    }
  });

  it('counts travellers behind a trusted proxy by their own address, and believes no X-Forwarded-For otherwise', async () => {
    const register = (url: string, from: string) => request(url).post('/registrations').set('x-forwarded-for', from).send({});
    const trusting = await start(httpAdapter, { perMinute: 0, anonymousPerMinute: 1 }, '127.0.0.1');
    try {
      // The ingress at 127.0.0.1 forwards three phones: each has its own count.
      for (const phone of ['10.1.0.1', '10.1.0.2', '10.1.0.3']) expect((await register(trusting.url, phone)).status).toBe(201);
      expect((await register(trusting.url, '10.1.0.1')).status).toBe(429);
    } finally {
      await trusting.stop();
    }
    const untrusting = await start(httpAdapter, { perMinute: 0, anonymousPerMinute: 1 });
    try {
      // A client cannot escape its count by writing the header itself.
      expect((await register(untrusting.url, '10.1.0.1')).status).toBe(201);
      expect((await register(untrusting.url, '10.1.0.2')).status).toBe(429);
    } finally {
      await untrusting.stop();
    }
  });

  it('limits nothing when both limits are 0', async () => {
    const service = await start(httpAdapter, { perMinute: 0, anonymousPerMinute: 0 });
    try {
      const token = issueToken(staff('carol'), SECRET);
      for (let i = 0; i < 20; i++) expect((await request(service.url).post('/things').set('authorization', `Bearer ${token}`).send({})).status).toBe(201);
      for (let i = 0; i < 20; i++) expect((await request(service.url).post('/registrations').send({})).status).toBe(201);
    } finally {
      await service.stop();
    }
  });
});
