import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { ObservabilityModule } from '../observability.module';
import { configureApp } from './configure-app';
import { shutdownGracefully } from './graceful-shutdown';

const events: string[] = [];

@Controller('slow')
class SlowController {
  @Get()
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 300));
    events.push('request finished');
    return { done: true };
  }
}

@Injectable()
class FakeProducer implements OnModuleDestroy {
  onModuleDestroy() {
    events.push('producer flushed');
  }
}

@Module({
  imports: [ObservabilityModule.forRoot({ serviceName: 'shutdown-test', logLevel: 'silent' })],
  controllers: [SlowController],
  providers: [FakeProducer],
})
class ShutdownTestModule {}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('shutdownGracefully', () => {
  it('lets in-flight requests finish before onModuleDestroy, and refuses new connections', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ShutdownTestModule] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    configureApp(app, { serviceName: 'shutdown-test', swagger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;

    const inFlight = get(port, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const shutdown = shutdownGracefully(app, { drainTimeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(get(port, '/health/live')).rejects.toThrow(/ECONNREFUSED/);

    expect(await inFlight).toEqual({ status: 200, body: '{"done":true}' });
    await shutdown;
    expect(events).toEqual(['request finished', 'producer flushed']);
  });
});
