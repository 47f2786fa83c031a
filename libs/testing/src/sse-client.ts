/** One message of a text/event-stream. */
export interface SseMessage {
  readonly event: string;
  readonly data: unknown;
}

/**
 * A minimal EventSource for tests: opens the stream with fetch and collects
 * every `event:`/`data:` message, so a test can wait for the one it expects.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  private readonly controller = new AbortController();
  private readonly done: Promise<void>;
  /** The response, once the server has answered the request (status and headers). */
  readonly opened: Promise<Response>;

  /** `onMessage` sees each message as it arrives (e.g. to time it); all are also kept in `messages`. */
  constructor(
    url: string,
    private readonly onMessage?: (message: SseMessage) => void,
  ) {
    this.opened = fetch(url, { signal: this.controller.signal, headers: { Accept: 'text/event-stream' } });
    this.done = this.opened.then((res) => this.read(res)).catch(() => undefined);
  }

  /** The first message of `event` that satisfies `match`, waiting up to `timeoutMs`. */
  async next(event: string, match: (data: unknown) => boolean = () => true, timeoutMs = 20_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => m.event === event && match(m.data));
      if (found) return found.data;
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`No matching "${event}" message within ${timeoutMs} ms; received: ${this.messages.map((m) => m.event).join(', ') || 'nothing'}`);
  }

  /** Closes the connection and waits until the reader has ended. */
  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }

  private async read(res: Response): Promise<void> {
    if (!res.ok || !res.body) throw new Error(`SSE answered ${res.status}`);
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
        if (!event || !data) continue;
        const message = { event, data: JSON.parse(data) as unknown };
        this.messages.push(message);
        this.onMessage?.(message);
      }
    }
  }
}
