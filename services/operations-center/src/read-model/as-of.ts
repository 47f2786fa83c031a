import { ValidationError } from '@city/eventsourcing';
import { cityDayOf } from '@city/city-time';

/**
 * The moment a query answers for. `live` answers from the running totals
 * (every fact recorded so far); a past moment answers from history: the daily
 * aggregates of the days before it plus that day's facts up to the instant.
 */
export interface AsOf {
  readonly instant: Date;
  /** The city calendar day of `instant` (`YYYY-MM-DD`, Asia/Shanghai). */
  readonly day: string;
  readonly live: boolean;
}

export function liveAsOf(now: Date): AsOf {
  return { instant: now, day: cityDayOf(now), live: true };
}

export function pastAsOf(instant: Date): AsOf {
  return { instant, day: cityDayOf(instant), live: false };
}

// An ISO-8601 date-time with seconds optional, fraction optional and an explicit offset:
// a moment without an offset would silently depend on the server's zone.
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** How far ahead of the server clock an `asOf` may be (client clocks drift). */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * Reads the `asOf` query parameter: absent means live; otherwise an ISO-8601
 * instant with offset, not in the future. Throws `ValidationError` (HTTP 400).
 */
export function parseAsOf(input: unknown, now: Date): AsOf {
  if (input === undefined || input === '') return liveAsOf(now);
  // An unencoded `+08:00` in a query string arrives as ` 08:00` (form encoding): restore the plus.
  const raw = typeof input === 'string' ? input.replace(/^(\S+T[\d:.]+) (\d{2}:\d{2})$/, '$1+$2') : input;
  const parts = typeof raw === 'string' ? ISO_WITH_OFFSET.exec(raw) : null;
  if (typeof raw !== 'string' || !parts) {
    throw new ValidationError('asOf must be an ISO-8601 date-time with an offset, e.g. 2026-02-10T09:00:00+08:00', {
      asOf: ['must be an ISO-8601 date-time with an offset (Z or ±hh:mm)'],
    });
  }
  const instant = new Date(raw);
  // Date.parse rolls 2026-02-30 over to March; a calendar check refuses it.
  if (Number.isNaN(instant.getTime()) || !isRealDateTime(parts.slice(1).map((p) => (p === undefined ? 0 : Number(p))))) {
    throw new ValidationError(`asOf ${raw} is not a valid date-time`, { asOf: ['is not a valid date-time'] });
  }
  if (instant.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new ValidationError(`asOf ${raw} is in the future`, { asOf: ['must not be in the future'] });
  }
  return pastAsOf(instant);
}

function isRealDateTime([year, month, day, hour, minute, second, offsetHours, offsetMinutes]: number[]): boolean {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 14 && offsetMinutes <= 59;
}
