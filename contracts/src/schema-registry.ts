/**
 * Runtime validation of event data against the JSON Schemas in contracts/topics.
 *
 * Keyed by event type name, which is unique across contexts, and schema version.
 * The files are read and compiled (ajv, draft 2020-12, with formats) on first use,
 * so importing `@city/contracts` for its types and constants costs nothing.
 *
 * An unknown type or version is not "invalid data": every function here throws
 * `UnknownEventTypeError` for it, so that callers can tell the two apart (a consumer
 * that meets an event newer than its contracts has to be upgraded, not fed a DLQ).
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { UnknownEventTypeError, ValidationError } from '@city/eventsourcing';
import { readContractFiles, type JsonSchemaDocument } from './schema-files';
import { TOPICS } from './topics';

export type SchemaValidation = { readonly valid: true } | { readonly valid: false; readonly errors: readonly string[] };

interface EventContract {
  readonly type: string;
  readonly schemaVersion: number;
  readonly topic: string;
  readonly schema: JsonSchemaDocument;
  readonly validate: ValidateFunction;
}

interface Registry {
  /** `type` → versions, ascending. */
  readonly events: ReadonlyMap<string, readonly EventContract[]>;
  readonly keys: ReadonlyMap<string, ValidateFunction>;
}

let registry: Registry | undefined;

function loaded(): Registry {
  registry ??= loadRegistry();
  return registry;
}

function loadRegistry(): Registry {
  const files = readContractFiles();
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const file of [...files.common, ...files.topics.flatMap((t) => [t.key, ...t.shared, ...t.events])]) {
    try {
      ajv.addSchema(file.schema);
    } catch (error) {
      throw new Error(`${file.path}: ${messageOf(error)}`);
    }
  }
  const compile = (path: string, id: string): ValidateFunction => {
    try {
      const validate = ajv.getSchema(id);
      if (!validate) throw new Error(`schema ${id} was not added`);
      return validate;
    } catch (error) {
      throw new Error(`${path}: ${messageOf(error)}`);
    }
  };

  const knownTopics = new Set<string>(Object.values(TOPICS));
  const events = new Map<string, EventContract[]>();
  const keys = new Map<string, ValidateFunction>();
  for (const topic of files.topics) {
    if (!knownTopics.has(topic.topic)) throw new Error(`contracts/topics/${topic.topic} is not in TOPICS (contracts/src/topics.ts)`);
    keys.set(topic.topic, compile(topic.key.path, topic.key.schema.$id));
    for (const file of topic.events) {
      const versions = events.get(file.type) ?? [];
      const elsewhere = versions.find((v) => v.topic !== topic.topic);
      if (elsewhere) throw new Error(`${file.path}: event type ${file.type} is already a contract of ${elsewhere.topic}`);
      versions.push({ type: file.type, schemaVersion: file.schemaVersion, topic: topic.topic, schema: file.schema, validate: compile(file.path, file.schema.$id) });
      events.set(file.type, versions);
    }
  }
  for (const [type, versions] of events) {
    versions.sort((a, b) => a.schemaVersion - b.schemaVersion);
    // Versions are 1, 2, …: a gap would mean an upcaster from a version nobody defined.
    versions.forEach((v, i) => {
      if (v.schemaVersion !== i + 1) throw new Error(`Event type ${type} has versions ${versions.map((x) => x.schemaVersion).join(', ')}; expected 1..n`);
    });
  }
  return { events, keys };
}

function contractOf(type: string, schemaVersion: number): EventContract {
  const contract = loaded().events.get(type)?.find((c) => c.schemaVersion === schemaVersion);
  if (!contract) throw new UnknownEventTypeError(type, schemaVersion);
  return contract;
}

function versionsOf(type: string): readonly EventContract[] {
  const versions = loaded().events.get(type);
  if (!versions) throw new UnknownEventTypeError(type);
  return versions;
}

/** Validates the `data` of an event. Throws `UnknownEventTypeError` for a type/version without a schema. */
export function validateEventData(type: string, schemaVersion: number, data: unknown): SchemaValidation {
  const { validate } = contractOf(type, schemaVersion);
  return validate(data) ? { valid: true } : { valid: false, errors: (validate.errors ?? []).map(describe) };
}

/**
 * Throws `ValidationError` (with `fields` keyed by the dotted path of each offending
 * property, `(root)` for the object itself) when `data` breaks the contract, and
 * `UnknownEventTypeError` when there is no contract for the type/version.
 */
export function assertValidEventData(type: string, schemaVersion: number, data: unknown): void {
  const { validate } = contractOf(type, schemaVersion);
  if (validate(data)) return;
  const errors = validate.errors ?? [];
  const fields: Record<string, string[]> = {};
  for (const error of errors) (fields[fieldOf(error)] ??= []).push(messageOfError(error));
  throw new ValidationError(`${type} v${schemaVersion} data breaks its contract: ${errors.map(describe).join('; ')}`, fields);
}

/** True when a schema exists for the type (and, if given, the version). Suits `FromCloudEventOptions.isKnownType`. */
export function isKnownEventType(type: string, schemaVersion?: number): boolean {
  const versions = loaded().events.get(type);
  return versions !== undefined && (schemaVersion === undefined || versions.some((v) => v.schemaVersion === schemaVersion));
}

/** Every event type that has a schema, in all contexts, sorted. */
export function knownEventTypes(): readonly string[] {
  return [...loaded().events.keys()].sort();
}

/** The newest schema version of a type: what producers write and upcasters lead to. */
export function latestSchemaVersion(type: string): number {
  const versions = versionsOf(type);
  return versions[versions.length - 1].schemaVersion;
}

/** The `$id` of the schema of a type/version (e.g. for the CloudEvents `dataschema`). */
export function eventSchemaId(type: string, schemaVersion: number): string {
  return contractOf(type, schemaVersion).schema.$id;
}

/** The JSON Schema document of a type/version, as stored in contracts/topics. */
export function eventSchema(type: string, schemaVersion: number): JsonSchemaDocument {
  return contractOf(type, schemaVersion).schema;
}

/** The Kafka topic that carries a type. */
export function topicOfEventType(type: string): string {
  return versionsOf(type)[0].topic;
}

/** The event types a topic carries, sorted; empty for a topic without contracts. */
export function eventTypesOfTopic(topic: string): readonly string[] {
  return [...loaded().events.values()]
    .filter((versions) => versions[0].topic === topic)
    .map((versions) => versions[0].type)
    .sort();
}

/** Validates a Kafka key (the stream id) against the key schema of a topic. */
export function validateMessageKey(topic: string, key: unknown): SchemaValidation {
  const validate = loaded().keys.get(topic);
  if (!validate) throw new Error(`No contract for topic ${topic}`);
  return validate(key) ? { valid: true } : { valid: false, errors: (validate.errors ?? []).map(describe) };
}

/** `/findings/problems/0: must have required property 'category'`. */
function describe(error: ErrorObject): string {
  return `${error.instancePath || '/'}: ${messageOfError(error)}`;
}

function messageOfError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `must NOT have additional property '${String(params.additionalProperty)}'`;
  if (error.keyword === 'enum') return `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
  return error.message ?? error.keyword;
}

/** The property an error is about, dotted: a missing or extra property names itself. */
function fieldOf(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') segments.push(String(params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(params.additionalProperty));
  return segments.length === 0 ? '(root)' : segments.join('.');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
