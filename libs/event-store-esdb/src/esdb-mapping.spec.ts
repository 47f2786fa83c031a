import { ANY, NO_STREAM, STREAM_EXISTS } from '@eventstore/db-client';
import type { AllStreamJSONRecordedEvent } from '@eventstore/db-client';
import { isCityEvent, toEventData, toExpectedRevision, toRecordedEvent, toStreamVersion } from './esdb-mapping';
import { validateAppend } from '@city/eventsourcing';

describe('EventStoreDB mapping', () => {
  it('maps every expected version form to an expected revision', () => {
    expect(toExpectedRevision('any')).toBe(ANY);
    expect(toExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toExpectedRevision(-1)).toBe(NO_STREAM);
    expect(toExpectedRevision(0)).toBe(0n);
    expect(toExpectedRevision(41)).toBe(41n);
  });

  it('maps a current revision back to a stream version', () => {
    expect(toStreamVersion(NO_STREAM)).toBe(-1);
    expect(toStreamVersion(7n)).toBe(7);
  });

  it('round-trips schema version and metadata through the stored form', () => {
    const [validated] = validateAppend(
      'canvass.unit-1',
      [
        {
          eventId: '6F1C6C1E-8C3A-4B8E-9A2B-0C1D2E3F4A5B',
          type: 'VisitRecorded',
          schemaVersion: 2,
          data: { residents: 3 },
          metadata: { correlationId: 'corr', causationId: 'cause', district: '310105' },
        },
      ],
      'any',
    );
    const stored = toEventData(validated);
    expect(stored).toMatchObject({
      id: '6f1c6c1e-8c3a-4b8e-9a2b-0c1d2e3f4a5b',
      type: 'VisitRecorded',
      contentType: 'application/json',
      data: { residents: 3 },
      metadata: { correlationId: 'corr', causationId: 'cause', district: '310105', $correlationId: 'corr', $causationId: 'cause', $schemaVersion: 2 },
    });

    const read: AllStreamJSONRecordedEvent = {
      streamId: 'canvass.unit-1',
      id: stored.id,
      isJson: true,
      revision: 4n,
      type: stored.type,
      created: new Date('2026-03-01T08:00:00.123Z'),
      data: { residents: 3 },
      metadata: stored.metadata as AllStreamJSONRecordedEvent['metadata'],
      position: { commit: 9001n, prepare: 9001n },
    };
    expect(toRecordedEvent(read)).toEqual({
      eventId: '6f1c6c1e-8c3a-4b8e-9a2b-0c1d2e3f4a5b',
      type: 'VisitRecorded',
      schemaVersion: 2,
      data: { residents: 3 },
      metadata: { correlationId: 'corr', causationId: 'cause', district: '310105' },
      streamId: 'canvass.unit-1',
      streamVersion: 4,
      globalPosition: 9001n,
      recordedAt: '2026-03-01T08:00:00.123Z',
    });
  });

  it('leaves system streams, system event types and non-JSON events out of the city log', () => {
    const event = { streamId: 'canvass.unit-1', type: 'VisitRecorded', isJson: true };
    expect(isCityEvent(event)).toBe(true);
    expect(isCityEvent(event, 'canvass.')).toBe(true);
    expect(isCityEvent(event, 'policy.')).toBe(false);
    expect(isCityEvent({ ...event, streamId: '$stats-127.0.0.1:2113' })).toBe(false);
    expect(isCityEvent({ ...event, type: '$metadata' })).toBe(false);
    expect(isCityEvent({ ...event, isJson: false })).toBe(false);
  });
});
