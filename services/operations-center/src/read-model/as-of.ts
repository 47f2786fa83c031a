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

/**
 * The earliest moment a query answers for: the start of the Unix epoch. The city's
 * records are all later, and earlier instants reach calendar years the read models'
 * days (PostgreSQL dates, four-digit years) and the city calendar do not share.
 */
export const EARLIEST_AS_OF = '1970-01-01T00:00:00Z';
const EARLIEST_AS_OF_MS = Date.parse(EARLIEST_AS_OF);

/** How far ahead of the server clock an `asOf` may be (client clocks drift). */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * Reads the `asOf` query parameter: absent means live; otherwise an ISO-8601
 * instant with offset, from EARLIEST_AS_OF up to now. Throws `ValidationError` (HTTP 400) naming the range.
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
  if (instant.getTime() < EARLIEST_AS_OF_MS) {
    throw new ValidationError(`asOf ${raw} is out of range: it must lie between ${EARLIEST_AS_OF} and now`, {
      asOf: [`must lie between ${EARLIEST_AS_OF} and now`],
    });
  }
  if (instant.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new ValidationError(`asOf ${raw} is in the future: it must lie between ${EARLIEST_AS_OF} and now`, {
      asOf: [`must not be in the future (between ${EARLIEST_AS_OF} and now)`],
    });
  }
  return pastAsOf(instant);
}

function isRealDateTime([year, month, day, hour, minute, second, offsetHours, offsetMinutes]: number[]): boolean {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 14 && offsetMinutes <= 59;
}
