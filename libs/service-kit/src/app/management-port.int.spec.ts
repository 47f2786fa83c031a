import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { HTTP_ADAPTERS } from './http-platform';
import { type RunningService, startService } from './start-service';

@Controller('ping')
class PingController {
  @Get()
  ping() {
    return { pong: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

const SECRET = 'kit-test-secret-0123456789abcdefghijkl';

const start = (httpAdapter: (typeof HTTP_ADAPTERS)[number], managementPort?: number): Promise<RunningService> =>
  startService({
    serviceName: 'kit-management',
    module: { module: PingModule },
    jwtSecret: SECRET,
    logLevel: 'silent',
    port: 0,
    host: '127.0.0.1',
    handleSignals: false,
    httpAdapter,
    ...(managementPort === undefined ? {} : { managementPort, managementHost: '127.0.0.1' }),
  });

describe.each(HTTP_ADAPTERS)('the management port (%s)', (httpAdapter) => {
  it('serves /metrics and /docs there, not on the API port, and health on both', async () => {
    const service = await start(httpAdapter, 0);
    try {
      expect(service.managementUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(service.managementUrl).not.toBe(service.url);
      const management = service.managementUrl ?? '';

      // The API port: what clients need, nothing an outsider could map the service with.
      for (const path of ['/metrics', '/docs', '/docs/', '/docs-json']) {
        const res = await request(service.url).get(path);
        expect({ path, status: res.status, error: res.body.error }).toEqual({ path, status: 404, error: 'Not Found' });
      }
      await request(service.url).get('/ping').expect(401);
      await request(service.url).get('/health/live').expect(200);
      expect((await request(service.url).get('/health/ready').expect(200)).body.status).toBe('ok');

      // The management port: metrics of the API port's requests, the API's OpenAPI, health; not the API.
      const metrics = await request(management).get('/metrics').expect(200);
      expect(metrics.headers['content-type']).toContain('text/plain');
      expect(metrics.text).toMatch(/http_request_duration_seconds_count\{service="kit-management",method="GET",route="\/ping",status_code="401"\} 1\b/);
      expect(metrics.text).not.toMatch(/route="\/metrics"/);
      expect((await request(management).get('/docs/').expect(200)).text).toContain('swagger-ui');
      const docs = await request(management).get('/docs-json').expect(200);
      expect(docs.body.info.title).toBe('kit-management');
      expect(Object.keys(docs.body.paths)).toContain('/ping');
      await request(management).get('/health/live').expect(200);
      expect((await request(management).get('/health/ready').expect(200)).body.status).toBe('ok');
      expect((await request(management).get('/ping').expect(404)).body).toMatchObject({ statusCode: 404 });
    } finally {
      await service.stop();
    }
    // Both listeners are closed by the one stop.
    await expect(fetch(`${service.url}/health/live`)).rejects.toThrow();
    await expect(fetch(`${service.managementUrl ?? ''}/health/live`)).rejects.toThrow();
  });

  it('serves everything on the API port when no management port is set (npm start, tests)', async () => {
    const service = await start(httpAdapter);
    try {
      expect(service.managementUrl).toBeUndefined();
      expect((await request(service.url).get('/metrics').expect(200)).text).toContain('http_request_duration_seconds');
      expect((await request(service.url).get('/docs-json').expect(200)).body.info.title).toBe('kit-management');
      await request(service.url).get('/health/ready').expect(200);
    } finally {
      await service.stop();
    }
  });
});
