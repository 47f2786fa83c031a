import type { AppendResult, ExpectedVersion, RecordedEvent } from '@city/eventsourcing';
import { ConcurrencyError } from '@city/eventsourcing';
import { arrayLiteral, type SqlParam } from '@city/sql';
import { DuplicateEventError } from './errors';
import type { ValidatedEvent } from '@city/eventsourcing';

/** One caller's `appendToStream`, validated, waiting in the group-commit queue. */
export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly ValidatedEvent[];
  readonly expectedVersion: ExpectedVersion;
}

/** A row `append_batch` returns for each call (see EventStoreSchema). */
export interface AppendBatchRow {
  readonly outcome: 'appended' | 'idempotent' | 'conflict' | 'duplicate';
  readonly version: string | null;
  readonly position: string | null;
  readonly now_ms: string;
  readonly duplicates: string[] | null;
}

export type AppendOutcome =
  | { readonly kind: 'appended'; readonly result: AppendResult; readonly events: readonly RecordedEvent[] }
  | { readonly kind: 'idempotent'; readonly result: AppendResult }
  | { readonly kind: 'rejected'; readonly error: Error };

/** The parameters of `EventStoreSchema.appendBatchSql` for a batch of calls. */
export function appendBatchParams(requests: readonly AppendRequest[], checkEventIds: boolean): SqlParam[] {
  const events = requests.flatMap((r) => r.events);
  return [
    arrayLiteral(requests.map((r) => r.streamId)),
    arrayLiteral(requests.map((r) => (typeof r.expectedVersion === 'number' ? (r.expectedVersion === -1 ? 'no_stream' : 'exact') : r.expectedVersion))),
    arrayLiteral(requests.map((r) => (typeof r.expectedVersion === 'number' ? r.expectedVersion : null))),
    arrayLiteral(requests.map((r) => r.events.length)),
    arrayLiteral(events.map((e) => e.eventId)),
    arrayLiteral(events.map((e) => e.type)),
    arrayLiteral(events.map((e) => e.schemaVersion)),
    `[${events.map((e) => e.dataJson).join(',')}]`,
    `[${events.map((e) => e.metadataJson).join(',')}]`,
    checkEventIds,
  ];
}

/** Turns the function's rows (one per call, in call order) into each caller's outcome. */
export function toOutcomes(requests: readonly AppendRequest[], rows: readonly AppendBatchRow[]): AppendOutcome[] {
  if (rows.length !== requests.length) throw new Error(`append_batch returned ${rows.length} rows for ${requests.length} appends`);
  return requests.map((request, i): AppendOutcome => {
    const row = rows[i];
    const version = Number(row.version);
    switch (row.outcome) {
      case 'conflict':
        return { kind: 'rejected', error: new ConcurrencyError(request.streamId, String(request.expectedVersion), version) };
      case 'duplicate':
        return { kind: 'rejected', error: new DuplicateEventError(request.streamId, row.duplicates ?? []) };
      case 'idempotent':
        return { kind: 'idempotent', result: { nextExpectedVersion: version, lastPosition: BigInt(row.position ?? '0') } };
      case 'appended': {
        const lastPosition = BigInt(row.position ?? '0');
        const recordedAt = new Date(Number(row.now_ms)).toISOString();
        const n = request.events.length;
        const events = request.events.map((e, k): RecordedEvent => ({
          eventId: e.eventId,
          type: e.type,
          schemaVersion: e.schemaVersion,
          data: e.data,
          metadata: e.metadata,
          streamId: request.streamId,
          streamVersion: version - (n - 1 - k),
          globalPosition: lastPosition - BigInt(n - 1 - k),
          recordedAt,
        }));
        return { kind: 'appended', events, result: { nextExpectedVersion: version, lastPosition } };
      }
      default:
        throw new Error(`append_batch returned an unknown outcome ${JSON.stringify(row.outcome)}`);
    }
  });
}
