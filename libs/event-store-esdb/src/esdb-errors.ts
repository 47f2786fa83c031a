import {
  AccessDeniedError,
  InvalidArgumentError,
  MaxAppendSizeExceededError,
  NotFoundError as EsdbNotFoundError,
  StreamDeletedError,
  UnsupportedError,
} from '@eventstore/db-client';
import type { NewEvent } from '@city/eventsourcing';
import { RuleViolationError, ValidationError } from '@city/eventsourcing';

/** The server's default largest append (`MaxAppendSize`, 1 MiB). */
export const MAX_APPEND_BYTES = 1024 * 1024;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** The events of one append are together larger than the server takes: a 400, nothing appended. */
export class AppendTooLargeError extends ValidationError {
  constructor(bytes: number, limit: number) {
    super(`The events are ${bytes} bytes together, over the event store's limit of ${limit} bytes per append`, {
      events: [`must be at most ${limit} bytes together`],
    });
  }
}

/** The stream was deleted for good (tombstoned): nothing can be appended to it again; a 409. */
export class StreamTombstonedError extends RuleViolationError {
  constructor(readonly streamId: string) {
    super('stream_deleted', `Stream ${streamId} was deleted for good and takes no more events`);
  }
}

/**
 * What EventStoreDB refuses on its own, checked before the call so that a
 * client mistake is a 400 naming the field rather than a raw client error (a
 * 500): stream ids starting with `$` (system streams), the nil UUID as an event
 * id (the server would store it under a fresh id), an append over the server's size limit.
 */
export function checkEsdbAppend(streamId: string, events: readonly NewEvent[], maxBytes: number = MAX_APPEND_BYTES): void {
  const fields: Record<string, string[]> = {};
  if (streamId.startsWith('$')) fields.streamId = ['must not start with $ (EventStoreDB system streams)'];
  events.forEach((event, i) => {
    if (event.eventId.toLowerCase() === NIL_UUID) fields[`events[${i}].eventId`] = ['must not be the nil UUID'];
  });
  if (Object.keys(fields).length > 0) throw new ValidationError('Invalid append', fields);
  const bytes = appendBytes(events);
  if (bytes > maxBytes) throw new AppendTooLargeError(bytes, maxBytes);
}

/** Estimated size of an append as the server counts it: data, metadata and type of each event. */
export function appendBytes(events: readonly NewEvent[]): number {
  let bytes = 0;
  for (const event of events) {
    bytes += Buffer.byteLength(JSON.stringify(event.data ?? {})) + Buffer.byteLength(JSON.stringify(event.metadata ?? {})) + Buffer.byteLength(event.type);
  }
  return bytes;
}

/** A client error of an append as the port's typed error, or the error itself when it is not the caller's doing. */
export function typedAppendError(error: unknown, streamId: string): unknown {
  if (error instanceof MaxAppendSizeExceededError) return new AppendTooLargeError(Number.NaN, error.maxAppendSize);
  if (error instanceof StreamDeletedError) return new StreamTombstonedError(streamId);
  return error;
}

/**
 * Subscription errors no retry can cure: the user may not read `$all` (a
 * non-admin user on a secured node), the node speaks TLS and the client not
 * (or the certificate is not trusted), the position does not exist. They go
 * to the error path and the logs; everything else (connection lost, leader
 * changed, server restarting) is retried.
 */
export function isPermanentSubscriptionError(error: unknown): boolean {
  if (error instanceof AccessDeniedError || error instanceof InvalidArgumentError || error instanceof UnsupportedError || error instanceof EsdbNotFoundError) {
    return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /certificate|self[- ]signed|SSL|TLS|wrong version number|invalid position|position .* (is )?invalid/i.test(message);
}
