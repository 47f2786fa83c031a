import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { devTokens, issueToken, type DevTokens } from '@city/auth';
import { configureApp } from '@city/observability';
import type { SqlDatabase } from '@city/sql';
import { OperationsCenterModule, type OperationsCenterOptions } from '../operations-center.module';

export const TEST_JWT_SECRET = 'operations-center-test-secret-0123456789';

export interface OpsTestApp {
  readonly app: NestExpressApplication;
  /** Base URL of the listening app, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly tokens: DevTokens & { readonly putuoStaff: string };
  close(): Promise<void>;
}

/** The operations center on an ephemeral port, wired as in production (configureApp), logging off. */
export async function startOpsTestApp(readDb: SqlDatabase, options: Partial<OperationsCenterOptions> = {}): Promise<OpsTestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [OperationsCenterModule.register({ readDb, auth: { secret: TEST_JWT_SECRET }, logLevel: 'silent', ...options })],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
  configureApp(app, { serviceName: 'operations-center', swagger: true });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const tokens = {
    ...devTokens(TEST_JWT_SECRET),
    putuoStaff: issueToken({ sub: 'putuo-staff', role: 'district-staff', district: '310107' }, TEST_JWT_SECRET),
  };
  return { app, url, tokens, close: () => app.close() };
}

/** A minimal EventSource client for tests: collects `{event, data}` messages of a text/event-stream. */
export class SseClient {
  readonly messages: { event: string; data: unknown }[] = [];
  private readonly controller = new AbortController();
  readonly opened: Promise<Response>;

  constructor(url: string) {
    this.opened = fetch(url, { signal: this.controller.signal, headers: { Accept: 'text/event-stream' } });
    void this.opened.then((res) => this.read(res)).catch(() => undefined);
  }

  /** Resolves with the first message of `event` (after `skip` earlier ones) that satisfies `match`. */
  async next(event: string, match: (data: unknown) => boolean = () => true, timeoutMs = 5000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.messages.find((m) => m.event === event && match(m.data));
      if (found) return found.data;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`No ${event} event within ${timeoutMs} ms; got ${this.messages.map((m) => m.event).join(', ') || 'nothing'}`);
  }

  close(): void {
    this.controller.abort();
  }

  private async read(res: Response): Promise<void> {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) this.messages.push({ event, data: JSON.parse(data) });
      }
    }
  }
}
