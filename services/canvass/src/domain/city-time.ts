import { RuleViolationError } from '@city/eventsourcing';
import { Rule } from './rules';

/** City days come from the one calendar of the platform (the city's time zone setting). */
export { cityDayBounds, cityDayOf } from '@city/city-time';

/**
 * How far a phone's clock may run ahead of the server's before a time it
 * reports counts as "in the future". Phones record visits offline and send
 * them later, so times in the past are normal; times ahead are not.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Refuses a client-reported time that lies ahead of the server's clock by more than the skew. */
export function assertNotInFuture(what: string, at: string, now: string): void {
  if (Date.parse(at) > Date.parse(now) + MAX_CLOCK_SKEW_MS) {
    throw new RuleViolationError(Rule.timeInTheFuture, `${what} ${at} is in the future (server time ${now})`);
  }
}
