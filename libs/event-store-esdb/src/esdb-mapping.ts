import type {
  AllStreamRecordedEvent,
  AppendExpectedRevision,
  CurrentRevision,
  EventData,
  JSONType,
  Position,
  RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { ANY, NO_STREAM, STREAM_EXISTS, jsonEvent } from '@eventstore/db-client';
import type { EventMetadata, ExpectedVersion, RecordedEvent } from '@city/eventsourcing';
import { NO_STREAM_VERSION } from '@city/eventsourcing';
import type { ValidatedEvent } from '@city/eventsourcing';

/**
 * Keys this adapter adds to an event's metadata in EventStoreDB. `$correlationId`
 * and `$causationId` are the names EventStoreDB's own projections
 * ($by_correlation_id) understand; `$schemaVersion` keeps the contract version,
 * which EventStoreDB has no field for. They are removed again on read.
 */
const SCHEMA_VERSION = '$schemaVersion';
const CORRELATION_ID = '$correlationId';
const CAUSATION_ID = '$causationId';

/** The commit position EventStoreDB reports when it has none (2^64 - 1). */
const NO_POSITION = 0xffffffffffffffffn;

export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected === NO_STREAM_VERSION ? NO_STREAM : BigInt(expected);
  }
}

/** EventStoreDB's current revision as the port's stream version (-1: no stream). */
export function toStreamVersion(revision: CurrentRevision | AppendExpectedRevision): number {
  return typeof revision === 'bigint' ? Number(revision) : NO_STREAM_VERSION;
}

export function toEventData(event: ValidatedEvent): EventData {
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    data: event.data as JSONType,
    metadata: {
      ...event.metadata,
      [CORRELATION_ID]: event.metadata.correlationId,
      [CAUSATION_ID]: event.metadata.causationId,
      [SCHEMA_VERSION]: event.schemaVersion,
    },
  });
}

/** The position of an event in `$all`, or undefined if the server did not send one. */
export function commitPositionOf(event: Pick<EsdbRecordedEvent, 'position'>): bigint | undefined {
  const commit = event.position?.commit;
  return commit === undefined || commit === NO_POSITION ? undefined : commit;
}

/** A position to start reading `$all` after, from the port's bigint. */
export function toReadPosition(commit: bigint): Position {
  return { commit, prepare: commit };
}

/** System streams (`$…`), system event types and link events are not part of the city's log. */
export function isCityEvent(event: Pick<EsdbRecordedEvent, 'streamId' | 'type' | 'isJson'>, streamPrefix?: string): boolean {
  if (event.streamId.startsWith('$') || event.type.startsWith('$') || !event.isJson) return false;
  return streamPrefix === undefined || event.streamId.startsWith(streamPrefix);
}

/**
 * An EventStoreDB event as the port's `RecordedEvent`. The global position is
 * the commit position in `$all`; a stream read on servers older than 22.6 does
 * not carry it, and then it is 0n.
 */
export function toRecordedEvent(event: EsdbRecordedEvent | AllStreamRecordedEvent): RecordedEvent {
  const stored = isJsonObject(event.metadata) ? { ...event.metadata } : {};
  const schemaVersion = stored[SCHEMA_VERSION];
  delete stored[SCHEMA_VERSION];
  delete stored[CORRELATION_ID];
  delete stored[CAUSATION_ID];
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: typeof schemaVersion === 'number' && Number.isInteger(schemaVersion) && schemaVersion >= 1 ? schemaVersion : 1,
    data: isJsonObject(event.data) ? event.data : {},
    metadata: stored as unknown as EventMetadata,
    streamId: event.streamId,
    streamVersion: Number(event.revision),
    globalPosition: commitPositionOf(event) ?? 0n,
    recordedAt: event.created.toISOString(),
  };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
