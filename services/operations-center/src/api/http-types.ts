import type { IncomingMessage, ServerResponse } from 'node:http';

/** The parts of Express's request and response this service uses (no @types/express in the workspace). */
export interface HttpRequest extends IncomingMessage {
  url: string;
  originalUrl: string;
  readonly path: string;
  readonly query: Readonly<Record<string, unknown>>;
}

export interface HttpResponse extends ServerResponse {
  sendFile(path: string): void;
  send(body: string): void;
}
