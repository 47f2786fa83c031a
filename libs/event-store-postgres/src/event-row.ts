import type { EventMetadata, RecordedEvent } from '@city/eventsourcing';

/** A row of the events table as `EventStoreSchema.eventColumns` selects it. */
export interface EventRow {
  readonly global_position: string | number | bigint;
  readonly stream_id: string;
  readonly stream_version: string | number | bigint;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: object | string;
  readonly metadata: object | string;
  readonly recorded_at: Date | string;
}

// pg returns int8 as strings and PGlite as (possibly rounded) numbers; the
// query casts bigints to text, and these helpers accept every form.
export function toBigInt(value: string | number | bigint): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

function toJsonObject(value: object | string): object {
  return typeof value === 'string' ? (JSON.parse(value) as object) : value;
}

function toIsoString(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: toJsonObject(row.data),
    metadata: toJsonObject(row.metadata) as EventMetadata,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    globalPosition: toBigInt(row.global_position),
    recordedAt: toIsoString(row.recorded_at),
  };
}
