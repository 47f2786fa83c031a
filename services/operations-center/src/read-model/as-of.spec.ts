import { ValidationError } from '@city/eventsourcing';
import { parseAsOf } from './as-of';
import { addDays, cityDayOf, daysEndingWith } from '@city/city-time';

const now = new Date('2026-02-11T04:00:00Z'); // 12:00 in Shanghai

describe('parseAsOf', () => {
  it('answers live without asOf', () => {
    expect(parseAsOf(undefined, now)).toEqual({ instant: now, day: '2026-02-11', live: true });
  });

  it('takes the city day of the instant, not its UTC day', () => {
    const at = parseAsOf('2026-02-10T16:30:00Z', now); // 00:30 on the 11th in Shanghai
    expect(at).toEqual({ instant: new Date('2026-02-10T16:30:00Z'), day: '2026-02-11', live: false });
  });

  it('restores a plus sign that form encoding turned into a space', () => {
    expect(parseAsOf('2026-02-10T09:00:00 08:00', now).instant.toISOString()).toBe('2026-02-10T01:00:00.000Z');
  });

  it.each(['2026-02-10', '2026-02-10T09:00:00', '2026-02-30T09:00:00+08:00', '2026-02-10T24:00:00Z', 'now', '2026-03-01T00:00:00Z', 42])(
    'refuses %p',
    (raw) => {
      expect(() => parseAsOf(raw, now)).toThrow(ValidationError);
    },
  );
});

describe('parseAsOf range', () => {
  it.each(['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '0099-12-31T23:59:59+08:00', '1969-12-31T23:59:59Z'])('refuses %s, naming the range', (raw) => {
    expect(() => parseAsOf(raw, now)).toThrow(`asOf ${raw} is out of range: it must lie between 1970-01-01T00:00:00Z and now`);
  });

  it('answers from the first moment of the range', () => {
    expect(parseAsOf('1970-01-01T00:00:00Z', now)).toMatchObject({ day: '1970-01-01', live: false });
  });
});

describe('city days', () => {
  it('counts calendar days in Asia/Shanghai', () => {
    expect(cityDayOf(new Date('2026-02-10T15:59:59Z'))).toBe('2026-02-10');
    expect(cityDayOf(new Date('2026-02-10T16:00:00Z'))).toBe('2026-02-11');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysEndingWith('2026-01-02', 3)).toEqual(['2025-12-31', '2026-01-01', '2026-01-02']);
  });
});
