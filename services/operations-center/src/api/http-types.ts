import type { IncomingMessage } from 'node:http';

/**
 * The parts of a request and a response this service's controllers use,
 * common to Express and Fastify (the kit runs on either).
 */
export interface HttpRequest extends IncomingMessage {
  url: string;
  readonly query: Readonly<Record<string, unknown>>;
}

export interface HttpResponse {
  header(name: string, value: string): unknown;
  send(body: string | Buffer): unknown;
}
