import type { ServerResponse } from 'node:http';

/**
 * Writes a text/event-stream response by hand: Nest's @Sse() offers no
 * comments (keep-alives), no `retry:` field and no say over when headers go out.
 */
export class SseWriter {
  constructor(private readonly res: ServerResponse) {}

  open(retryMs: number): void {
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Proxies (nginx) must not buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    this.res.write(`retry: ${retryMs}\n\n`);
  }

  send(event: string, data: unknown): void {
    if (this.closed) return;
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): void {
    if (!this.closed) this.res.write(`: ${text}\n\n`);
  }

  end(): void {
    if (!this.closed) this.res.end();
  }

  get closed(): boolean {
    return this.res.writableEnded || this.res.destroyed;
  }
}
