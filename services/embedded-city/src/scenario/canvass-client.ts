/**
 * The scenario talks to the canvass service the way a phone or a district system
 * does: over HTTP with bearer tokens, so every request goes through validation,
 * authorization and the command handlers.
 */
export class CanvassClient {
  constructor(private readonly baseUrl: string) {}

  async send(method: 'POST' | 'PUT' | 'PATCH', path: string, token: string, body: object): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** Reads a resource; anything but 200 is an error. */
  async get(path: string, token: string): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    return (await response.json()) as unknown;
  }

  /** Sends and accepts 2xx, plus the statuses the caller names as expected (e.g. 409 on a replay). */
  async expect(method: 'POST' | 'PUT' | 'PATCH', path: string, token: string, body: object, alsoFine: readonly number[] = []): Promise<unknown> {
    const result = await this.send(method, path, token, body);
    if (result.status >= 300 && !alsoFine.includes(result.status)) {
      throw new Error(`${method} ${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
    }
    return result.body;
  }
}
