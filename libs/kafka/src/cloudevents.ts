/**
 * The CloudEvents 1.0 Kafka binding in binary content mode, as every context
 * publishes its events (ARCHITECTURE.md, decision 5):
 *
 * - key      = stream id (so one stream's events stay ordered in one partition)
 * - value    = JSON of the event's `data`
 * - headers  = `ce_specversion` 1.0, `ce_id` (event id), `ce_type`
 *   (`city.<context>.<EventType>.v<schemaVersion>`), `ce_source` (`/city/<service>`),
 *   `ce_subject` (stream id), `ce_time` (recordedAt), `content-type`
 *   (application/json), optional `ce_dataschema`, and the extensions
 *   `ce_district`, `ce_correlationid`, `ce_causationid`, `ce_actorid`,
 *   `ce_actorrole`, `ce_streamversion`, `ce_position` (global position in the
 *   source's event store).
 *
 * Only these metadata keys travel; any other metadata stays in the event store
 * (personal data stays home, decision 7). `ce_time` is the store's `recordedAt`.
 *
 * The `cloudevents` package validates the envelope (each shape once, see
 * `toCloudEventKafkaMessage`) and decodes incoming messages; this module adds
 * the mapping to and from `RecordedEvent` and turns every malformed message into
 * a typed error (`ValidationError`, `UnknownEventTypeError`), never a crash.
 */
import { CloudEvent, Kafka } from 'cloudevents';
import { UnknownEventTypeError, ValidationError } from '@city/eventsourcing';
import type { EventMetadata, RecordedEvent } from '@city/eventsourcing';

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const CLOUDEVENTS_CONTENT_TYPE = 'application/json';

/** Header names of the binary mode mapping (all lower case, as the binding requires). */
export const CE_HEADERS = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  subject: 'ce_subject',
  time: 'ce_time',
  dataschema: 'ce_dataschema',
  contentType: 'content-type',
  district: 'ce_district',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  actorId: 'ce_actorid',
  actorRole: 'ce_actorrole',
  streamVersion: 'ce_streamversion',
  position: 'ce_position',
} as const;

/** Headers a message must carry to be decoded into a recorded event. */
const REQUIRED_HEADERS = [
  CE_HEADERS.specversion,
  CE_HEADERS.id,
  CE_HEADERS.type,
  CE_HEADERS.source,
  CE_HEADERS.subject,
  CE_HEADERS.time,
  CE_HEADERS.correlationId,
  CE_HEADERS.causationId,
  CE_HEADERS.streamVersion,
  CE_HEADERS.position,
] as const;

const CE_TYPE_PATTERN = /^city\.([a-z0-9][a-z0-9-]*)\.([A-Za-z][A-Za-z0-9]*)\.v([1-9][0-9]*)$/;

/** The context a stream belongs to: its id up to the first '.' (`canvass.unit-7` → `canvass`). */
export function contextOfStream(streamId: string): string {
  const dot = streamId.indexOf('.');
  return dot < 0 ? streamId : streamId.slice(0, dot);
}

/** `city.<context>.<EventType>.v<schemaVersion>`, the CloudEvents `type` of an event. */
export function cloudEventTypeOf(context: string, type: string, schemaVersion: number): string {
  return `city.${context}.${type}.v${schemaVersion}`;
}

/** Splits a CloudEvents `type` of ours; `undefined` when it does not follow the convention. */
export function parseCloudEventType(ceType: string): { context: string; type: string; schemaVersion: number } | undefined {
  const match = CE_TYPE_PATTERN.exec(ceType);
  return match ? { context: match[1], type: match[2], schemaVersion: Number(match[3]) } : undefined;
}

/** A Kafka message as this mapping produces it (structurally what kafkajs sends). */
export interface CloudEventKafkaMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch of `recordedAt`, as a string (the Kafka record timestamp). */
  readonly timestamp?: string;
}

/** A Kafka message as a consumer receives it (structurally what kafkajs delivers). */
export interface IncomingKafkaMessage {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: Readonly<Record<string, Buffer | string | readonly (Buffer | string)[] | undefined>>;
}

export interface ToCloudEventOptions {
  /** `ce_source`, e.g. `/city/canvass`. */
  readonly source: string;
  /** `ce_dataschema` for the event, if the service publishes schema URIs. */
  readonly dataschema?: (event: RecordedEvent) => string | undefined;
}

/** A recorded event rebuilt from a Kafka message, plus the envelope fields that are not part of it. */
export interface DecodedCloudEvent extends RecordedEvent {
  readonly context: string;
  readonly source: string;
  readonly dataschema?: string;
}

export interface FromCloudEventOptions {
  /**
   * When given, a type/version it rejects raises `UnknownEventTypeError`
   * (a consumer that knows its contracts refuses what it cannot read).
   */
  readonly isKnownType?: (type: string, schemaVersion: number) => boolean;
}

/**
 * Envelopes the `cloudevents` package has validated, by what they share: source, type, data
 * schema and which optional attributes they carry. Its JSON-schema check cost ~30 µs an event,
 * a third of the relay's CPU; what differs between events of one shape is checked below instead
 * (see `varyingPartsValid`), so every envelope sent is one the package accepts.
 */
const validatedShapes = new Set<string>();
const MAX_VALIDATED_SHAPES = 10_000;
/** RFC 3339 date-time as the store writes `recordedAt` (the schema's `date-time` format). */
const RFC3339 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

/** Maps a recorded event to a binary-mode Kafka message. Throws `ValidationError` if the envelope is invalid. */
export function toCloudEventKafkaMessage(event: RecordedEvent, options: ToCloudEventOptions): CloudEventKafkaMessage {
  // The CloudEvent constructor invents an id and a time when they are empty: refuse instead.
  if (!event.eventId || !event.recordedAt) {
    throw new ValidationError(`Event ${event.streamId}@${event.streamVersion} has no id or time`, { eventId: ['required'], recordedAt: ['required'] });
  }
  const { metadata } = event;
  const type = cloudEventTypeOf(contextOfStream(event.streamId), event.type, event.schemaVersion);
  const dataschema = options.dataschema?.(event);
  // Binary mode maps every attribute to a `ce_<name>` header and the data content type to
  // `content-type` (what the package's `Kafka.binary` does too, at ~20 µs an event).
  const headers: Record<string, string> = {
    [CE_HEADERS.contentType]: CLOUDEVENTS_CONTENT_TYPE,
    [CE_HEADERS.id]: event.eventId,
    [CE_HEADERS.time]: event.recordedAt,
    [CE_HEADERS.type]: type,
    [CE_HEADERS.source]: options.source,
    [CE_HEADERS.specversion]: CLOUDEVENTS_SPEC_VERSION,
    [CE_HEADERS.subject]: event.streamId,
  };
  if (dataschema !== undefined) headers[CE_HEADERS.dataschema] = dataschema;
  headers[CE_HEADERS.correlationId] = metadata.correlationId ?? '';
  headers[CE_HEADERS.causationId] = metadata.causationId ?? '';
  headers[CE_HEADERS.streamVersion] = String(event.streamVersion);
  headers[CE_HEADERS.position] = event.globalPosition.toString();
  // Headers are strings: an attribute of another type is validated below but not sent, as before.
  if (typeof metadata.district === 'string') headers[CE_HEADERS.district] = metadata.district;
  if (typeof metadata.actorId === 'string') headers[CE_HEADERS.actorId] = metadata.actorId;
  if (typeof metadata.actorRole === 'string') headers[CE_HEADERS.actorRole] = metadata.actorRole;
  const shape = `${options.source}\n${type}\n${dataschema ?? ''}\n${metadata.district !== undefined}${metadata.actorId !== undefined}${metadata.actorRole !== undefined}`;
  if (!validatedShapes.has(shape) || !varyingPartsValid(event)) {
    validateEnvelope(event, headers);
    if (validatedShapes.size >= MAX_VALIDATED_SHAPES) validatedShapes.clear();
    validatedShapes.add(shape);
  }
  return { key: event.streamId, value: JSON.stringify(event.data), headers, timestamp: String(Date.parse(event.recordedAt)) };
}

/** What can differ between envelopes of one shape, checked as the package's schema would. */
function varyingPartsValid(event: RecordedEvent): boolean {
  const { metadata } = event;
  return (
    typeof event.eventId === 'string' &&
    typeof event.streamId === 'string' &&
    event.streamId !== '' &&
    RFC3339.test(event.recordedAt) &&
    !Number.isNaN(Date.parse(event.recordedAt)) &&
    optionalString(metadata.correlationId) &&
    optionalString(metadata.causationId) &&
    optionalString(metadata.district) &&
    optionalString(metadata.actorId) &&
    optionalString(metadata.actorRole)
  );
}

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';

/** The `cloudevents` package's own check of the envelope (attribute and extension names, values, the JSON schema). */
function validateEnvelope(event: RecordedEvent, headers: Readonly<Record<string, string>>): void {
  const attributes: Record<string, unknown> = { datacontenttype: CLOUDEVENTS_CONTENT_TYPE, data: event.data };
  for (const name in headers) if (name.startsWith('ce_')) attributes[name.slice(3)] = headers[name];
  // Values as they came, not as the headers wrote them: a number where a string belongs is refused.
  const { metadata } = event;
  if (metadata.district !== undefined) attributes.district = metadata.district;
  if (metadata.actorId !== undefined) attributes.actorid = metadata.actorId;
  if (metadata.actorRole !== undefined) attributes.actorrole = metadata.actorRole;
  try {
    new CloudEvent<object>(attributes);
  } catch (error) {
    throw new ValidationError(`Event ${event.eventId} does not make a valid CloudEvent: ${messageOf(error)}`);
  }
}

/**
 * Rebuilds the recorded event a binary-mode message carries. Malformed messages
 * (missing headers, wrong spec version, bad JSON, invalid values) raise
 * `ValidationError`; a `ce_type` that is not ours or not known raises `UnknownEventTypeError`.
 */
export function fromCloudEventKafkaMessage(message: IncomingKafkaMessage, options: FromCloudEventOptions = {}): DecodedCloudEvent {
  const headers = headersAsStrings(message.headers);
  // Empty values of the core attributes are caught by the CloudEvents schema below.
  const missing = REQUIRED_HEADERS.filter((name) => headers[name] === undefined);
  if (missing.length > 0) {
    throw new ValidationError(`Kafka message lacks CloudEvents headers: ${missing.join(', ')}`, Object.fromEntries(missing.map((m) => [m, ['required']])));
  }
  if (headers[CE_HEADERS.specversion] !== CLOUDEVENTS_SPEC_VERSION) {
    throw new ValidationError(`Unsupported CloudEvents spec version ${headers[CE_HEADERS.specversion]}`, {
      [CE_HEADERS.specversion]: [`must be ${CLOUDEVENTS_SPEC_VERSION}`],
    });
  }
  const contentType = headers[CE_HEADERS.contentType];
  if (contentType !== undefined && !contentType.startsWith(CLOUDEVENTS_CONTENT_TYPE)) {
    throw new ValidationError(`Unsupported content type ${contentType}`, { [CE_HEADERS.contentType]: [`must be ${CLOUDEVENTS_CONTENT_TYPE}`] });
  }
  if (message.value === null || message.value === undefined || message.value.length === 0) {
    throw new ValidationError('Kafka message has no value', { value: ['required'] });
  }
  const value = typeof message.value === 'string' ? message.value : message.value.toString('utf8');

  let ce: CloudEvent<unknown>;
  try {
    const decoded = Kafka.toEvent({
      key: keyAsString(message.key) ?? '',
      value,
      body: value,
      headers: { ...headers, [CE_HEADERS.contentType]: CLOUDEVENTS_CONTENT_TYPE },
    } as Parameters<typeof Kafka.toEvent>[0]);
    if (Array.isArray(decoded)) throw new Error('batched CloudEvents are not supported');
    ce = decoded as CloudEvent<unknown>;
    ce.validate();
  } catch (error) {
    throw new ValidationError(`Malformed CloudEvent: ${messageOf(error)}`);
  }

  const parsedType = parseCloudEventType(ce.type);
  if (!parsedType) throw new UnknownEventTypeError(ce.type);
  if (options.isKnownType && !options.isKnownType(parsedType.type, parsedType.schemaVersion)) {
    throw new UnknownEventTypeError(parsedType.type, parsedType.schemaVersion);
  }
  const data = ce.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ValidationError('CloudEvent data must be a JSON object', { value: ['must be a JSON object'] });
  }
  const streamVersion = Number(headers[CE_HEADERS.streamVersion]);
  if (!Number.isSafeInteger(streamVersion) || streamVersion < 0) {
    throw new ValidationError('ce_streamversion must be a non-negative integer', { [CE_HEADERS.streamVersion]: ['must be a non-negative integer'] });
  }
  const position = headers[CE_HEADERS.position];
  if (!/^[0-9]+$/.test(position)) {
    throw new ValidationError('ce_position must be a non-negative integer', { [CE_HEADERS.position]: ['must be a non-negative integer'] });
  }
  const streamId = headers[CE_HEADERS.subject];
  if (contextOfStream(streamId) !== parsedType.context) {
    throw new ValidationError(`ce_type context ${parsedType.context} does not match stream ${streamId}`, {
      [CE_HEADERS.type]: ['context must match the stream id prefix'],
    });
  }

  const metadata: Record<string, string> = {
    correlationId: headers[CE_HEADERS.correlationId],
    causationId: headers[CE_HEADERS.causationId],
  };
  if (headers[CE_HEADERS.district] !== undefined) metadata.district = headers[CE_HEADERS.district];
  if (headers[CE_HEADERS.actorId] !== undefined) metadata.actorId = headers[CE_HEADERS.actorId];
  if (headers[CE_HEADERS.actorRole] !== undefined) metadata.actorRole = headers[CE_HEADERS.actorRole];

  return {
    eventId: ce.id,
    type: parsedType.type,
    schemaVersion: parsedType.schemaVersion,
    data,
    metadata: metadata as unknown as EventMetadata,
    streamId,
    streamVersion,
    globalPosition: BigInt(position),
    recordedAt: ce.time ?? headers[CE_HEADERS.time],
    context: parsedType.context,
    source: ce.source,
    ...(ce.dataschema === undefined ? {} : { dataschema: ce.dataschema }),
  };
}

/** Kafka header values arrive as Buffers (or arrays of them); the binding needs strings. */
function headersAsStrings(raw: IncomingKafkaMessage['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!raw) return headers;
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    const single = Array.isArray(value) ? value[value.length - 1] : value;
    if (single === undefined) continue;
    headers[name.toLowerCase()] = typeof single === 'string' ? single : (single as Buffer).toString('utf8');
  }
  return headers;
}

function keyAsString(key: IncomingKafkaMessage['key']): string | undefined {
  if (key === null || key === undefined) return undefined;
  return typeof key === 'string' ? key : key.toString('utf8');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
