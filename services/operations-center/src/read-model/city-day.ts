import { CITY_TIME_ZONE } from '@city/contracts';

/**
 * Calendar days of the city. "Today" on every dashboard is a day in the city's
 * time zone (Asia/Shanghai), never the server's local zone. The read model
 * computes an event's day in SQL (`(ts AT TIME ZONE 'Asia/Shanghai')::date`);
 * these helpers compute the same day for a query instant in TypeScript. Both
 * use the IANA zone database, so they agree.
 */
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: CITY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** `YYYY-MM-DD` of `instant` in the city's time zone. */
export function cityDayOf(instant: Date): string {
  return dayFormat.format(instant);
}

/** The day `offset` calendar days after `day` (`YYYY-MM-DD`; negative goes back). */
export function addDays(day: string, offset: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10);
}

/** The `count` days that end with `lastDay`, oldest first. */
export function daysEndingWith(lastDay: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(lastDay, i - count + 1));
}
