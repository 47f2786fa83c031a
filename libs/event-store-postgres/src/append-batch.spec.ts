import { ConcurrencyError } from '@city/eventsourcing';
import type { AppendBatchRow, AppendRequest } from './append-batch';
import { appendBatchParams, toOutcomes } from './append-batch';
import { DuplicateEventError } from './errors';
import { validateAppend } from '@city/eventsourcing';

const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];
const meta = { correlationId: 'c', causationId: 'c' };

function request(streamId: string, eventIds: string[], expectedVersion: AppendRequest['expectedVersion']): AppendRequest {
  const events = validateAppend(
    streamId,
    eventIds.map((eventId) => ({ eventId, type: 'T', schemaVersion: 1, data: { eventId }, metadata: meta })),
    expectedVersion,
  );
  return { streamId, events, expectedVersion };
}

describe('append_batch parameters and outcomes', () => {
  const requests = [
    request('a', [ids[0], ids[1]], 'no_stream'),
    request('b', [ids[2]], 4),
    request('c', [ids[0]], -1),
    request('d', [ids[1]], 'stream_exists'),
  ];

  it('flattens the calls into per-call and per-event arrays, the documents into one JSON array', () => {
    const [streams, expected, versions, counts, eventIds, , , data, , check] = appendBatchParams(requests, false);
    // Array literals as PostgreSQL reads them (arrayLiteral's spec runs them through the server).
    expect(streams).toBe('{"a","b","c","d"}');
    expect(expected).toBe('{"no_stream","exact","no_stream","stream_exists"}');
    expect(versions).toBe('{NULL,"4","-1",NULL}');
    expect(counts).toBe('{"2","1","1","1"}');
    expect(eventIds).toBe(`{${[ids[0], ids[1], ids[2], ids[0], ids[1]].map((id) => `"${id}"`).join(',')}}`);
    // The documents as one JSON array (split by the statement), in event order.
    expect(JSON.parse(data as string)).toEqual([ids[0], ids[1], ids[2], ids[0], ids[1]].map((id) => ({ eventId: id })));
    expect(check).toBe(false);
  });

  it('gives each caller its own outcome, with versions and positions of every appended event', () => {
    const row = (outcome: AppendBatchRow['outcome'], version: string | null, position: string | null, duplicates: string[] | null = null): AppendBatchRow => ({
      outcome,
      version,
      position,
      now_ms: '1772352000123',
      duplicates,
    });
    const outcomes = toOutcomes(requests, [
      row('appended', '1', '12'),
      row('conflict', '7', null),
      row('duplicate', null, null, [ids[0]]),
      row('idempotent', '3', '9'),
    ]);

    const [appended, conflict, duplicate, idempotent] = outcomes;
    expect(appended.kind === 'appended' && appended.events.map((e) => [e.streamVersion, e.globalPosition, e.recordedAt])).toEqual([
      [0, 11n, '2026-03-01T08:00:00.123Z'],
      [1, 12n, '2026-03-01T08:00:00.123Z'],
    ]);
    expect(appended.kind === 'appended' && appended.result).toEqual({ nextExpectedVersion: 1, lastPosition: 12n });
    expect(conflict.kind === 'rejected' && conflict.error).toBeInstanceOf(ConcurrencyError);
    expect(conflict.kind === 'rejected' && conflict.error).toMatchObject({ streamId: 'b', expected: '4', actual: 7 });
    expect(duplicate.kind === 'rejected' && duplicate.error).toBeInstanceOf(DuplicateEventError);
    expect(idempotent).toEqual({ kind: 'idempotent', result: { nextExpectedVersion: 3, lastPosition: 9n } });
  });

  it('refuses a result that does not match the batch', () => {
    expect(() => toOutcomes(requests, [])).toThrow(/0 rows for 4 appends/);
  });
});
