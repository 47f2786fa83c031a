/** The load generators' HTTP client: node's own, over keep-alive sockets, nothing in between. */
import { Agent, request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export interface HttpClient {
  /** One request; a token, when given, goes as `Authorization: Bearer`. */
  call(method: string, url: string, token?: string, body?: unknown): Promise<HttpAnswer>;
  /** Closes the sockets. */
  destroy(): void;
}

export function httpClient(connections: number): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  return {
    call(method, url, token, body) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = request(
          url,
          {
            method,
            agent,
            headers: {
              ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
              ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    destroy: () => agent.destroy(),
  };
}

/** The p-th percentile (nearest rank) of `values`, rounded to 0.1; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] * 10) / 10;
}
