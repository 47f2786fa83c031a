import { randomUUID } from 'node:crypto';
import { currentCorrelationId } from '@city/observability';

/** The command context of the current HTTP request: its actor and correlation id (the request's, or a new one). */
export function requestContext<A>(actor: A): { readonly actor: A; readonly correlationId: string } {
  return { actor, correlationId: currentCorrelationId() ?? randomUUID() };
}

/** The slice of Express's response the controllers use to choose 201 or 200. */
export interface StatusResponse {
  status(code: number): unknown;
}

/** 201 when the command created something, 200 when it was an idempotent retry. */
export function createdOrOk(res: StatusResponse, receipt: { readonly eventsAppended: number }): void {
  res.status(receipt.eventsAppended > 0 ? 201 : 200);
}
