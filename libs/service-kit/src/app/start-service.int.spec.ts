import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { startService } from './start-service';

@Controller('ping')
class PingController {
  @Get()
  ping() {
    return { pong: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

describe('startService', () => {
  it('starts a listening, fully configured service and runs its shutdown work last', async () => {
    const order: string[] = [];
    const service = await startService({
      serviceName: 'kit-test',
      module: { module: PingModule },
      jwtSecret: 'kit-test-secret-0123456789abcdefghijkl',
      logLevel: 'silent',
      port: 0,
      host: '127.0.0.1',
      handleSignals: false,
      onShutdown: async () => {
        order.push('shutdown work');
      },
    });
    let stopped = false;
    try {
      // Every route needs a token (the kit imports AuthModule); health and docs are public.
      const refused = await request(service.url).get('/ping').expect(401);
      // Security headers on every answer (helmet), refusals and the OpenAPI page included.
      for (const res of [refused, await request(service.url).get('/docs/').expect(200)]) {
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
      await request(service.url).get('/health/ready').expect(200);
      const docs = await request(service.url).get('/docs-json').expect(200);
      expect(docs.body.info.title).toBe('kit-test');
      const deep = await request(service.url)
        .post('/ping')
        .set('content-type', 'application/json')
        .send(`${'['.repeat(3500)}${']'.repeat(3500)}`)
        .expect(400);
      expect(deep.body).toMatchObject({ error: 'too_deeply_nested', message: 'The JSON body nests deeper than 32 levels' });
      const res = await request(service.url).post('/ping').set('content-type', 'application/json').send('{oops').expect(400);
      expect(res.headers['x-correlation-id']).toBeDefined();
      await service.stop();
      stopped = true;
      expect(order).toEqual(['shutdown work']);
    } finally {
      if (!stopped) await service.stop();
    }
  });

  it('stops within its shutdown timeout when a step hangs (a relay flushing to a broker that is gone)', async () => {
    const steps: string[] = [];
    const service = await startService({
      serviceName: 'kit-test',
      module: { module: PingModule },
      jwtSecret: 'kit-test-secret-0123456789abcdefghijkl',
      logLevel: 'silent',
      port: 0,
      host: '127.0.0.1',
      handleSignals: false,
      shutdownTimeoutMs: 3000,
      onShutdown: (deadline) =>
        deadline
          .run([
            { name: 'relay', run: () => new Promise(() => undefined) },
            { name: 'store', run: async () => void steps.push('store closed') },
          ])
          .then((outcomes) => void steps.push(...outcomes.map((o) => `${o.name}: ${o.outcome}`))),
    });
    // Resolves (the test would time out otherwise) and the steps after the hanging one ran.
    await service.stop();
    expect(steps).toEqual(['store closed', 'relay: timed out', 'store: done']);
    await expect(request(service.url).get('/health/live')).rejects.toThrow(/ECONNREFUSED/);
  });
});
