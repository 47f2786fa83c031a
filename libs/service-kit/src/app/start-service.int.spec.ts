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
      await request(service.url).get('/ping').expect(401);
      await request(service.url).get('/health/ready').expect(200);
      const docs = await request(service.url).get('/docs-json').expect(200);
      expect(docs.body.info.title).toBe('kit-test');
      const res = await request(service.url).post('/ping').set('content-type', 'application/json').send('{oops').expect(400);
      expect(res.headers['x-correlation-id']).toBeDefined();
      await service.stop();
      stopped = true;
      expect(order).toEqual(['shutdown work']);
    } finally {
      if (!stopped) await service.stop();
    }
  });
});
