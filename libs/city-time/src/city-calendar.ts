import { CITY_TIME_ZONE } from '@city/contracts';

/**
 * Calendar days and local timestamps of a time zone, from the IANA zone
 * database (Intl), never from a hard-coded offset: the zone is a setting
 * (`CITY_TIME_ZONE`), and a zone with daylight saving has 23- and 25-hour days.
 * Framework-free, so domain code may use it.
 */
export interface CityCalendar {
  readonly timeZone: string;
  /** `YYYY-MM-DD` of `instant` in the zone. */
  dayOf(instant: string | number | Date): string;
  /** The instants [start, end) in ms of a day (`YYYY-MM-DD`) of the zone. */
  dayBounds(day: string): { start: number; end: number };
  /** `instant` as ISO-8601 with seconds and the zone's offset at that instant, e.g. `2020-02-12T10:15:00+08:00`. */
  timestampOf(instant: Date): string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function cityCalendar(timeZone: string): CityCalendar {
  const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });

  /** The zone's offset from UTC in ms at `instant` ("GMT+08:00" → 8 h; plain "GMT" is 0). */
  const offsetAt = (instant: number): number => {
    const name = offsetFormat.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
    if (!match) return 0;
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    return (match[1] === '-' ? -minutes : minutes) * 60_000;
  };

  /** The first instant of a day: local midnight, with the offset that holds at that midnight. */
  const startOf = (day: string): number => {
    if (!DAY.test(day)) throw new RangeError(`Not a day (YYYY-MM-DD): ${day}`);
    const midnightUtc = Date.parse(`${day}T00:00:00Z`);
    const guess = midnightUtc - offsetAt(midnightUtc);
    return midnightUtc - offsetAt(guess);
  };

  /**
   * The last day asked for and its instants [start, end): most calls ask about the same day as the
   * one before, and Intl's formatting costs ~10 µs. Kept only when the day's bounds hold the instant.
   */
  let last: { day: string; start: number; end: number } | undefined;

  return {
    timeZone,
    dayOf: (instant) => {
      const date = instant instanceof Date ? instant : new Date(instant);
      const ms = date.getTime();
      if (last && ms >= last.start && ms < last.end) return last.day;
      const day = dayFormat.format(date);
      if (day.length !== 10) {
        // Intl writes years before 1000 unpadded (`99-01-01`) and years before 1 as era years: pad, or refuse.
        return paddedDay(dayFormat, date);
      }
      const start = startOf(day);
      const end = startOf(addDays(day, 1));
      if (ms >= start && ms < end) last = { day, start, end };
      return day;
    },
    dayBounds: (day) => ({ start: startOf(day), end: startOf(addDays(day, 1)) }),
    timestampOf: (instant) => {
      const offset = offsetAt(instant.getTime());
      const local = new Date(instant.getTime() + offset).toISOString().slice(0, 19);
      const minutes = Math.abs(offset) / 60_000;
      const sign = offset < 0 ? '-' : '+';
      return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    },
  };
}

function paddedDay(format: Intl.DateTimeFormat, date: Date): string {
  const parts = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || parts.era !== undefined) {
    throw new RangeError(`No city day before the year 1: ${Number.isNaN(date.getTime()) ? 'invalid date' : date.toISOString()}`);
  }
  return `${parts.year.padStart(4, '0')}-${parts.month}-${parts.day}`;
}

/** The city's calendar (`CITY_TIME_ZONE`, Asia/Shanghai). */
export const CITY_CALENDAR = cityCalendar(CITY_TIME_ZONE);

/** The calendar day (`YYYY-MM-DD`) in the city's time zone of an instant. */
export function cityDayOf(instant: string | number | Date): string {
  return CITY_CALENDAR.dayOf(instant);
}

/** The instants [start, end) in ms of a city day. */
export function cityDayBounds(day: string): { start: number; end: number } {
  return CITY_CALENDAR.dayBounds(day);
}

/** An instant as the city's officials write it: ISO-8601 with the city's offset. */
export function cityTimestamp(instant: Date): string {
  return CITY_CALENDAR.timestampOf(instant);
}

/** Recent answers of `addDays`: checks of every request ask the same few (today, tomorrow, a month ago). */
const recentDays = new Map<string, string>();

/** The day `offset` calendar days after `day` (`YYYY-MM-DD`; negative goes back). Pure calendar arithmetic, no zone. */
export function addDays(day: string, offset: number): string {
  const key = `${day}|${offset}`;
  const known = recentDays.get(key);
  if (known !== undefined) return known;
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  const result = date.toISOString().slice(0, 10);
  if (recentDays.size >= 256) recentDays.clear();
  recentDays.set(key, result);
  return result;
}

/** The `count` days that end with `lastDay`, oldest first. */
export function daysEndingWith(lastDay: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(lastDay, i - count + 1));
}
