import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { ObservabilityModule, shutdownGracefully } from '@city/observability';
import { eventually } from '@city/testing';
import { createHttpApp, HTTP_ADAPTERS } from './http-platform';

let events: string[] = [];

/** A promise with its resolve function, for a test to release a step when it is ready. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
// The slow request tells when it has started and finishes only when the test releases it, so it is in
// flight for the whole shutdown on any machine, however slow, instead of for a fixed 300 ms.
let requestStarted = signal();
let releaseRequest = signal();

@Controller('slow')
class SlowController {
  @Get()
  async slow() {
    requestStarted.resolve();
    await releaseRequest.promise;
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

describe.each(HTTP_ADAPTERS)('shutdownGracefully on %s', (httpAdapter) => {
  it('lets in-flight requests finish before onModuleDestroy, and refuses new connections', async () => {
    events = [];
    requestStarted = signal();
    releaseRequest = signal();
    const app = await createHttpApp(ShutdownTestModule, { httpAdapter, serviceName: 'shutdown-test', swagger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;

    const inFlight = get(port, '/slow');
    await requestStarted.promise;
    // The drain budget outlasts the waits below on a loaded machine: the request is released well before it.
    const shutdown = shutdownGracefully(app, { drainTimeoutMs: 60_000 });
    // (Node's own errors come from outside Jest's sandbox, so no `instanceof Error` here.)
    const refused = await eventually(async () => {
      const error = await get(port, '/health/live').then(
        () => undefined,
        (e: unknown) => String(e),
      );
      return error !== undefined && /ECONNREFUSED/.test(error) ? error : undefined;
    }, 30_000);
    expect(refused).toMatch(/ECONNREFUSED/);
    expect(events).toEqual([]); // still draining: the app is not closed while the request runs

    releaseRequest.resolve();
    expect(await inFlight).toEqual({ status: 200, body: '{"done":true}' });
    await shutdown;
    expect(events).toEqual(['request finished', 'producer flushed']);
  }, 90_000); // the app starting, the listener closing, and the drain
});
