import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { ObservabilityModule } from '../observability.module';
import { bootstrapService } from './bootstrap-service';

@Controller('ping')
class PingController {
  @Get()
  ping() {
    return { pong: true };
  }
}

@Module({
  imports: [ObservabilityModule.forRoot({ serviceName: 'bootstrap-test', logLevel: 'silent' })],
  controllers: [PingController],
})
class BootstrapTestModule {}

describe('bootstrapService', () => {
  it('starts a listening, fully configured service', async () => {
    const app = await bootstrapService(BootstrapTestModule, {
      serviceName: 'bootstrap-test',
      port: 0,
      host: '127.0.0.1',
      handleSignals: false,
    });
    try {
      const { port } = app.getHttpServer().address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      await request(base).get('/ping').expect(200, { pong: true });
      await request(base).get('/health/ready').expect(200);
      await request(base).get('/docs-json').expect(200);
      const res = await request(base).post('/ping').set('content-type', 'application/json').send('{oops').expect(400);
      expect(res.headers['x-correlation-id']).toBeDefined();
    } finally {
      await app.close();
    }
  });
});
