import { randomUUID } from 'node:crypto';
import { currentCorrelationId } from '@city/observability';
import type { Actor } from '@city/auth';
import type { RequestContext } from '../application/canvass-commands';

/** The command context of the current HTTP request: its actor and correlation id. */
export function requestContext(actor: Actor): RequestContext {
  return { actor, correlationId: currentCorrelationId() ?? randomUUID() };
}

/** The slice of Express's response the controllers use to choose 201 or 200. */
export interface StatusResponse {
  status(code: number): unknown;
}

/** 201 when the command created something, 200 when it was an idempotent retry. */
export function createdOrOk(res: StatusResponse, receipt: { eventsAppended: number }): void {
  res.status(receipt.eventsAppended > 0 ? 201 : 200);
}
