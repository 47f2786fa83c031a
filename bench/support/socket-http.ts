/**
 * A load generator's HTTP/1.1 client written straight onto keep-alive TCP sockets.
 *
 * Why not node:http: the load generator runs on the same two cores as the services it
 * measures, so every microsecond it spends per request is taken from them. node:http's
 * client (agent bookkeeping, an OutgoingMessage and an IncomingMessage with their streams,
 * header objects, the llhttp parser) cost the end-to-end bench about a quarter of a
 * millisecond of CPU per request. Here a request is one string written to a socket, and the
 * answer is read from the socket's bytes: the status line, `Content-Length` or chunked
 * framing, the body. The server sees the same requests as before (HTTP/1.1, keep-alive,
 * one request at a time per socket, the same headers), so what is measured is unchanged.
 *
 * Deliberately small: no redirects, no compression, no `Expect`, no pipelining. An answer
 * the parser does not understand, or a socket that closes mid-answer, rejects the call.
 */
import { connect, type Socket } from 'node:net';
import type { HttpAnswer, HttpClient } from './http';

interface Pending {
  readonly head: string;
  readonly body: string | undefined;
  readonly resolve: (answer: HttpAnswer) => void;
  readonly reject: (error: Error) => void;
}

/** Up to `connections` keep-alive sockets per origin (host:port), as node's Agent with `maxSockets`. */
export function socketHttpClient(connections: number): HttpClient {
  const pools = new Map<string, OriginPool>();
  return {
    call(method, url, token, body) {
      const { host, port, path } = parseUrl(url);
      const key = `${host}:${port}`;
      let pool = pools.get(key);
      if (!pool) pools.set(key, (pool = new OriginPool(host, port, connections)));
      const payload = body === undefined ? undefined : JSON.stringify(body);
      let head = `${method} ${path} HTTP/1.1\r\nHost: ${key}\r\nConnection: keep-alive\r\n`;
      if (token !== undefined) head += `Authorization: Bearer ${token}\r\n`;
      if (payload !== undefined) head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n`;
      head += '\r\n';
      return new Promise<HttpAnswer>((resolve, reject) => pool.enqueue({ head, body: payload, resolve, reject }));
    },
    destroy() {
      for (const pool of pools.values()) pool.destroy();
      pools.clear();
    },
  };
}

function parseUrl(url: string): { host: string; port: number; path: string } {
  const match = /^http:\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!match) throw new Error(`socketHttpClient: only http://host[:port]/path URLs, got ${url}`);
  return { host: match[1], port: match[2] === undefined ? 80 : Number(match[2]), path: match[3] ?? '/' };
}

class OriginPool {
  private readonly idle: Connection[] = [];
  private readonly queue: Pending[] = [];
  private open = 0;
  private destroyed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly max: number,
  ) {}

  enqueue(request: Pending): void {
    if (this.destroyed) return request.reject(new Error('socketHttpClient destroyed'));
    const connection = this.idle.pop();
    if (connection) return connection.send(request);
    if (this.open < this.max) {
      this.open++;
      new Connection(this.host, this.port, this).send(request);
      return;
    }
    this.queue.push(request);
  }

  /** A connection finished its request and may take the next one. */
  released(connection: Connection): void {
    const next = this.queue.shift();
    if (next) connection.send(next);
    else this.idle.push(connection);
  }

  /** A connection closed: it is forgotten, and a queued request gets a new one. */
  closed(connection: Connection): void {
    this.open--;
    const at = this.idle.indexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
    const next = this.queue.shift();
    if (next) this.enqueue(next);
  }

  destroy(): void {
    this.destroyed = true;
    for (const c of this.idle.splice(0)) c.destroy();
    for (const r of this.queue.splice(0)) r.reject(new Error('socketHttpClient destroyed'));
  }
}

class Connection {
  private readonly socket: Socket;
  private current?: Pending;
  private buffer: Buffer = Buffer.alloc(0);
  private gone = false;

  constructor(
    host: string,
    port: number,
    private readonly pool: OriginPool,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.close(error));
    this.socket.on('close', () => this.close(new Error('socket closed')));
  }

  send(request: Pending): void {
    this.current = request;
    // One write: the head and the body go out in one TCP segment when they fit.
    this.socket.write(request.body === undefined ? request.head : request.head + request.body);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let parsed: { answer: HttpAnswer; used: number; keepAlive: boolean } | undefined;
    try {
      parsed = parseAnswer(this.buffer);
    } catch (error) {
      this.socket.destroy();
      this.close(error as Error);
      return;
    }
    if (!parsed) return; // not complete yet
    const request = this.current;
    this.current = undefined;
    this.buffer = this.buffer.subarray(parsed.used);
    if (parsed.keepAlive) this.pool.released(this);
    else this.socket.end();
    request?.resolve(parsed.answer);
  }

  private close(error: Error): void {
    if (this.gone) return;
    this.gone = true;
    const request = this.current;
    this.current = undefined;
    this.pool.closed(this);
    request?.reject(error);
  }
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One complete answer at the start of `data`, or undefined when more bytes are needed. */
export function parseAnswer(data: Buffer): { answer: HttpAnswer; used: number; keepAlive: boolean } | undefined {
  const headEnd = data.indexOf(HEAD_END);
  if (headEnd < 0) return undefined;
  const head = data.toString('latin1', 0, headEnd);
  const lines = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!status) throw new Error(`not an HTTP/1.1 answer: ${lines[0]}`);
  const code = Number(status[1]);
  let length: number | undefined;
  let chunked = false;
  let keepAlive = lines[0].startsWith('HTTP/1.1');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') length = Number(value);
    else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked');
    else if (name === 'connection') keepAlive = value.toLowerCase() !== 'close';
  }
  const bodyStart = headEnd + 4;
  if (code === 204 || code === 304 || (code >= 100 && code < 200)) {
    return { answer: { status: code, body: '' }, used: bodyStart, keepAlive };
  }
  if (chunked) {
    const parts: Buffer[] = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = data.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(data.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size');
      const chunkStart = lineEnd + 2;
      if (size === 0) {
        // No trailers are sent by the services: the last chunk ends with an empty line.
        if (data.length < chunkStart + 2) return undefined;
        return { answer: { status: code, body: Buffer.concat(parts).toString('utf8') }, used: chunkStart + 2, keepAlive };
      }
      if (data.length < chunkStart + size + 2) return undefined;
      parts.push(data.subarray(chunkStart, chunkStart + size));
      at = chunkStart + size + 2;
    }
  }
  if (length === undefined) throw new Error('an answer without Content-Length or chunked framing');
  if (data.length < bodyStart + length) return undefined;
  return { answer: { status: code, body: data.toString('utf8', bodyStart, bodyStart + length) }, used: bodyStart + length, keepAlive };
}
