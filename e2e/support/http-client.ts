/** A JSON answer: status and parsed body (undefined when the body is empty). */
export interface JsonAnswer<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** Calls a JSON HTTP API with a bearer token; never throws for 4xx/5xx, so tests assert on the status. */
export async function callJson<T = any>(method: string, url: string, token: string, body?: unknown): Promise<JsonAnswer<T>> {
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Polls `probe` until it returns a value (not undefined); fails with the last value seen, to show how far it got. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, describeLast: () => string, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`Not reached within ${timeoutMs} ms; last seen: ${describeLast()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
