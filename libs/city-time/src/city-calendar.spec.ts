import { addDays, cityCalendar, cityDayBounds, cityDayOf, cityTimestamp, daysEndingWith } from './city-calendar';

describe('city calendar', () => {
  it('puts the city day boundary at midnight in Asia/Shanghai', () => {
    expect(cityDayOf('2020-02-11T15:59:59Z')).toBe('2020-02-11');
    expect(cityDayOf('2020-02-11T16:00:00Z')).toBe('2020-02-12');
    expect(cityDayBounds('2020-02-12')).toEqual({ start: Date.parse('2020-02-11T16:00:00Z'), end: Date.parse('2020-02-12T16:00:00Z') });
  });

  it('writes timestamps with the offset of the zone', () => {
    expect(cityTimestamp(new Date('2020-02-12T02:15:00.123Z'))).toBe('2020-02-12T10:15:00+08:00');
  });

  it('follows the zone setting, daylight saving included', () => {
    const berlin = cityCalendar('Europe/Berlin');
    // 29 March 2026: clocks go from 02:00 to 03:00, a 23-hour day.
    const { start, end } = berlin.dayBounds('2026-03-29');
    expect(new Date(start).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(berlin.timestampOf(new Date('2026-07-01T10:00:00Z'))).toBe('2026-07-01T12:00:00+02:00');
    expect(cityCalendar('America/New_York').timestampOf(new Date('2026-01-01T10:00:00Z'))).toBe('2026-01-01T05:00:00-05:00');
    expect(cityCalendar('UTC').timestampOf(new Date('2026-01-01T10:00:00Z'))).toBe('2026-01-01T10:00:00+00:00');
  });

  it('answers the day of instants in any order as Intl does, across midnights and daylight-saving changes', () => {
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      const calendar = cityCalendar(zone);
      const intl = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
      const from = Date.parse('2026-03-06T00:00:00Z');
      const instants = Array.from({ length: 4 * 24 * 5 }, (_, i) => from + i * 15 * 60_000 - 1);
      // In order (the cached day answers most), then shuffled back and forth.
      const shuffled = instants.map((_, i) => instants[(i * 7919) % instants.length]);
      for (const t of [...instants, ...shuffled]) expect([t, calendar.dayOf(t)]).toEqual([t, intl.format(t)]);
    }
  });

  it('counts calendar days', () => {
    expect(addDays('2020-02-28', 2)).toBe('2020-03-01');
    expect(daysEndingWith('2020-03-01', 3)).toEqual(['2020-02-28', '2020-02-29', '2020-03-01']);
  });

  it('writes the years before 1000 with four digits, and refuses days before the year 1', () => {
    expect(cityDayOf(new Date('0099-01-01T00:00:00Z'))).toBe('0099-01-01');
    expect(cityDayOf(new Date('0001-01-01T12:00:00Z'))).toBe('0001-01-01');
    expect(cityDayOf(new Date('0999-12-31T15:00:00Z'))).toBe('0999-12-31');
    expect(() => cityDayOf(new Date('0000-06-01T00:00:00Z'))).toThrow(RangeError);
  });

  it('refuses what is not a day', () => {
    expect(() => cityDayBounds('2020-2-1')).toThrow(RangeError);
  });
});
