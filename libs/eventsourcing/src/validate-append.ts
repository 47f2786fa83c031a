import type { NewEvent } from './event';
import type { ExpectedVersion } from './event-store';
import { ValidationError } from './errors';

/** An event that passed validation, with its JSON already serialised once. */
export interface ValidatedEvent {
  /** Lower-cased UUID (PostgreSQL's uuid type prints lower case). */
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: object;
  readonly metadata: NewEvent['metadata'];
  readonly dataJson: string;
  readonly metadataJson: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_STREAM_ID_LENGTH = 1000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value) && !(value instanceof Date);
}

function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined; // BigInt or a cycle: not storable as JSON
  }
}

/**
 * Checks an append request before anything is queued, so bad input costs one
 * typed error and never a row, and can never poison a group-commit batch.
 * Throws `ValidationError` listing every problem by field.
 */
export function validateAppend(streamId: unknown, events: unknown, expectedVersion: unknown): ValidatedEvent[] {
  const problems: Record<string, string[]> = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);

  if (typeof streamId !== 'string' || streamId.trim() === '') add('streamId', 'must be a non-empty string');
  else if (streamId.length > MAX_STREAM_ID_LENGTH) add('streamId', `must be at most ${MAX_STREAM_ID_LENGTH} characters`);

  if (!isValidExpectedVersion(expectedVersion)) add('expectedVersion', "must be an integer >= -1, 'no_stream', 'stream_exists' or 'any'");

  const validated: ValidatedEvent[] = [];
  if (!Array.isArray(events) || events.length === 0) {
    add('events', 'must be a non-empty array');
  } else {
    const seen = new Set<string>();
    events.forEach((event: unknown, i) => {
      const at = `events[${i}]`;
      if (!isPlainObject(event)) {
        add(at, 'must be an object');
        return;
      }
      const { eventId, type, schemaVersion, data, metadata } = event;
      if (typeof eventId !== 'string' || !UUID.test(eventId)) add(`${at}.eventId`, 'must be a UUID');
      else if (seen.has(eventId.toLowerCase())) add(`${at}.eventId`, 'appears twice in this append');
      else seen.add(eventId.toLowerCase());
      if (typeof type !== 'string' || type.trim() === '') add(`${at}.type`, 'must be a non-empty string');
      if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) add(`${at}.schemaVersion`, 'must be an integer >= 1');
      const dataJson = isPlainObject(data) ? toJson(data) : undefined;
      if (!isPlainObject(data)) add(`${at}.data`, 'must be a JSON object');
      else if (dataJson === undefined) add(`${at}.data`, 'must be serialisable as JSON');
      const metadataJson = isPlainObject(metadata) ? toJson(metadata) : undefined;
      if (!isPlainObject(metadata)) add(`${at}.metadata`, 'must be an object');
      else {
        for (const [key, value] of Object.entries(metadata)) {
          if (value !== undefined && typeof value !== 'string') add(`${at}.metadata.${key}`, 'must be a string');
        }
      }
      if (
        dataJson !== undefined &&
        metadataJson !== undefined &&
        typeof eventId === 'string' &&
        typeof type === 'string' &&
        typeof schemaVersion === 'number'
      ) {
        validated.push({
          eventId: eventId.toLowerCase(),
          type,
          schemaVersion,
          data: data as object,
          metadata: metadata as NewEvent['metadata'],
          dataJson,
          metadataJson,
        });
      }
    });
  }

  const fields = Object.keys(problems);
  if (fields.length > 0) {
    throw new ValidationError(
      `Invalid append to stream ${JSON.stringify(streamId)}: ${fields.map((f) => `${f} ${problems[f].join(', ')}`).join('; ')}`,
      problems,
    );
  }
  return validated;
}

export function isValidExpectedVersion(value: unknown): value is ExpectedVersion {
  return value === 'no_stream' || value === 'stream_exists' || value === 'any' || (typeof value === 'number' && Number.isInteger(value) && value >= -1);
}
