import { createHash } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 version 5, SHA-1) of `parts`: the same parts give
 * the same id in every process and on every attempt. The scheduler derives the
 * command id of a firing from the schedule id with it, and a handler derives its
 * event ids from the command id, so a command issued twice appends nothing the
 * second time (the event store treats re-appended ids as an idempotent retry).
 */
export function deterministicUuid(...parts: readonly (string | number)[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.map(String).join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Keeps these ids apart from other name-based ids (a fixed, random namespace of this project). */
const NAMESPACE = Buffer.from('6f1d0a4e9c2b47d8a35e0b7c1f24d9e6', 'hex');

/** The id of the command a schedule issues: the same on every attempt and every replica. */
export function scheduledCommandId(service: string, scheduleId: string): string {
  return deterministicUuid('scheduled-command', service, scheduleId);
}

/** The id of the `index`-th event a command appends, for `HandleOptions.eventId`. */
export function eventIdOfCommand(commandId: string, index: number): string {
  return deterministicUuid('event-of-command', commandId, index);
}
