/**
 * Runtime validation of event data (and Kafka keys) against the JSON Schemas of
 * `@city/contracts` (ajv, draft 2020-12, with formats).
 *
 * Every contract schema is added to one ajv instance on first use, so that
 * cross-file `$ref`s resolve; a type/version is compiled the first time an event
 * of it is validated and the compiled function is kept, so the hot path
 * (every append, every consumed message) is one Map lookup and the compiled check.
 *
 * An unknown type or version is not "invalid data": every function here throws
 * `UnknownEventTypeError` for it, so that callers can tell the two apart (a consumer
 * that meets an event newer than its contracts has to be upgraded).
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { eventCatalog, eventContractOf } from '@city/contracts';
import { UnknownEventTypeError, ValidationError } from '@city/eventsourcing';

export type SchemaValidation = { readonly valid: true } | { readonly valid: false; readonly errors: readonly string[] };

let ajv: Ajv2020 | undefined;
/** `<type>@<version>` → compiled validator. */
const eventValidators = new Map<string, ValidateFunction>();
const keyValidators = new Map<string, ValidateFunction>();

function loadedAjv(): Ajv2020 {
  if (ajv) return ajv;
  const instance = new Ajv2020({ strict: true, allErrors: true });
  addFormats(instance);
  for (const file of eventCatalog().schemas) {
    try {
      instance.addSchema(file.schema);
    } catch (error) {
      throw new Error(`${file.path}: ${messageOf(error)}`);
    }
  }
  ajv = instance;
  return instance;
}

function compiled(path: string, id: string): ValidateFunction {
  try {
    const validate = loadedAjv().getSchema(id);
    if (!validate) throw new Error(`schema ${id} was not added`);
    return validate;
  } catch (error) {
    throw new Error(`${path}: ${messageOf(error)}`);
  }
}

function eventValidator(type: string, schemaVersion: number): ValidateFunction {
  const key = `${type}@${schemaVersion}`;
  let validate = eventValidators.get(key);
  if (!validate) {
    const contract = eventContractOf(type, schemaVersion);
    if (!contract) throw new UnknownEventTypeError(type, schemaVersion);
    validate = compiled(contract.path, contract.schema.$id);
    eventValidators.set(key, validate);
  }
  return validate;
}

/** Validates the `data` of an event. Throws `UnknownEventTypeError` for a type/version without a schema. */
export function validateEventData(type: string, schemaVersion: number, data: unknown): SchemaValidation {
  const validate = eventValidator(type, schemaVersion);
  return validate(data) ? { valid: true } : { valid: false, errors: (validate.errors ?? []).map(describe) };
}

/**
 * Throws `ValidationError` (with `fields` keyed by the dotted path of each offending
 * property, `(root)` for the object itself) when `data` breaks the contract, and
 * `UnknownEventTypeError` when there is no contract for the type/version.
 */
export function assertValidEventData(type: string, schemaVersion: number, data: unknown): void {
  const validate = eventValidator(type, schemaVersion);
  if (validate(data)) return;
  const errors = validate.errors ?? [];
  const fields: Record<string, string[]> = {};
  for (const error of errors) (fields[fieldOf(error)] ??= []).push(messageOfError(error));
  throw new ValidationError(`${type} v${schemaVersion} data breaks its contract: ${errors.map(describe).join('; ')}`, fields);
}

/** Validates a Kafka key (the stream id) against the key schema of a topic. */
export function validateMessageKey(topic: string, key: unknown): SchemaValidation {
  let validate = keyValidators.get(topic);
  if (!validate) {
    const file = eventCatalog().keys.get(topic);
    if (!file) throw new Error(`No contract for topic ${topic}`);
    validate = compiled(file.path, file.schema.$id);
    keyValidators.set(topic, validate);
  }
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
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') segments.push(String(params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(params.additionalProperty));
  return segments.length === 0 ? '(root)' : segments.join('.');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
