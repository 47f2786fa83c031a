import type { RecordedEvent } from '@city/eventsourcing';
import { ProjectionProgress } from './progress';

const event = (position: number, recordedAt: string): RecordedEvent => ({
  eventId: `e${position}`,
  type: 'VisitRecorded',
  schemaVersion: 1,
  data: {},
  metadata: { correlationId: 'c', causationId: 'c' },
  streamId: 'canvass.unit-1',
  streamVersion: position,
  globalPosition: BigInt(position),
  recordedAt,
});

describe('projection lag', () => {
  let now = Date.parse('2026-03-01T08:00:30Z');
  const lags: number[] = [];
  const progress = new ProjectionProgress({ lag: (_, seconds) => lags.push(seconds) }, () => now);

  it('is the age of the newest event read while catching up', () => {
    progress.committed('p', [event(1, '2026-03-01T08:00:00Z')], []);
    expect(lags.at(-1)).toBe(30);
  });

  it('keeps growing while the projection stays behind and reads nothing (a stalled consumer)', () => {
    now += 60_000;
    progress.sourceChecked('p', false);
    expect(lags.at(-1)).toBe(90);
  });

  it('is 0 once caught up with the source, and stays 0 while no event comes', () => {
    progress.sourceChecked('p', true);
    now += 3_600_000;
    progress.sourceChecked('p', true);
    expect(lags.slice(-2)).toEqual([0, 0]);
    expect(progress.status('p').lagSeconds).toBe(0);
  });

  it('counts from when it fell behind again, not from the last event read an hour ago', () => {
    progress.sourceChecked('p', false);
    expect(lags.at(-1)).toBe(0);
    now += 2000;
    progress.sourceChecked('p', false);
    expect(lags.at(-1)).toBe(2);
  });

  it('is the age of the oldest event not yet applied when the source tells it (the event store)', () => {
    const pendingSince = now - 45_000;
    progress.sourceChecked('p', false, pendingSince);
    expect(lags.at(-1)).toBe(45);
    now += 10_000;
    progress.sourceChecked('p', false, pendingSince);
    expect(lags.at(-1)).toBe(55);
    progress.sourceChecked('p', true);
    expect(lags.at(-1)).toBe(0);
  });
});
