import { RuleViolationError } from './errors';

/**
 * Commands that carry a client-generated id (canvass visits and doorstep
 * services, traveller registrations, reopening declarations, inspections and
 * survey answers, ...) are idempotent: resending the same body records nothing
 * and answers as the first time. Reusing the id with a different body is a
 * client mistake that would otherwise silently drop the new content, so it is
 * refused (409 `idempotency-key-reused`), naming the fields that differ, as
 * payment APIs do. One rule for every department: a decider compares what it
 * recorded under the id with what was sent (`differingFields`) and throws
 * `idempotencyKeyReused` when anything differs.
 */

/** The rule of the 409 (`RuleViolationError.rule`), the same in every service. */
export const IDEMPOTENCY_KEY_REUSED = 'idempotency-key-reused';

/** Dotted paths at which `sent` differs from `recorded` (plain JSON values; arrays by index), sorted. */
export function differingFields(recorded: unknown, sent: unknown, path = ''): string[] {
  return differences(recorded, sent, path).sort();
}

function differences(recorded: unknown, sent: unknown, path: string): string[] {
  if (Object.is(recorded, sent)) return [];
  const bothArrays = Array.isArray(recorded) && Array.isArray(sent);
  const bothObjects = isRecord(recorded) && isRecord(sent) && !Array.isArray(recorded) && !Array.isArray(sent);
  if (!bothArrays && !bothObjects) return [path || '(body)'];
  if (bothArrays && recorded.length !== sent.length) return [path || '(body)'];
  const keys = new Set([...Object.keys(recorded as object), ...Object.keys(sent as object)]);
  return [...keys].flatMap((key) =>
    differences((recorded as Record<string, unknown>)[key], (sent as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`),
  );
}

/** Same instant, however written (`09:30+08:00` and `01:30Z` are one moment). */
export function sameInstant(a: string, b: string): boolean {
  return Date.parse(a) === Date.parse(b);
}

/** The 409 for an id resent with another body. */
export function idempotencyKeyReused(what: string, id: string, fields: readonly string[]): RuleViolationError {
  return new RuleViolationError(
    IDEMPOTENCY_KEY_REUSED,
    `${what} ${id} is already recorded with a different ${fields.join(', ')}: resend the same body to retry, or use a new id`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
