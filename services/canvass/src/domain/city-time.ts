import { RuleViolationError } from '@city/eventsourcing';
import { CITY_TIME_ZONE } from '@city/contracts';
import { Rule } from './rules';

/**
 * How far a phone's clock may run ahead of the server's before a time it
 * reports counts as "in the future". Phones record visits offline and send
 * them later, so times in the past are normal; times ahead are not.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: CITY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day (YYYY-MM-DD) in the city's time zone of an ISO-8601 instant. */
export function cityDayOf(instant: string | Date): string {
  return dayFormat.format(typeof instant === 'string' ? new Date(instant) : instant);
}

/**
 * The instants [start, end) of a city day. Asia/Shanghai has kept UTC+08:00
 * without daylight saving since 1991, so the offset is fixed.
 */
export function cityDayBounds(day: string): { start: number; end: number } {
  const start = Date.parse(`${day}T00:00:00+08:00`);
  return { start, end: start + 24 * 60 * 60 * 1000 };
}

/** Refuses a client-reported time that lies ahead of the server's clock by more than the skew. */
export function assertNotInFuture(what: string, at: string, now: string): void {
  if (Date.parse(at) > Date.parse(now) + MAX_CLOCK_SKEW_MS) {
    throw new RuleViolationError(Rule.timeInTheFuture, `${what} ${at} is in the future (server time ${now})`);
  }
}
