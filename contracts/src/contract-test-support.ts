/**
 * Helpers shared by the contract tests of this package (not exported from the index).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { eventContractOf } from './event-catalog';
import { readContractFiles, type ContractFiles, type SchemaFile } from './schema-files';

export const contractFiles: ContractFiles = readContractFiles();

export const allSchemaFiles: readonly SchemaFile[] = [...contractFiles.common, ...contractFiles.topics.flatMap((t) => [t.key, ...t.shared, ...t.events])];

/** A fresh ajv that knows every contract schema (so cross-file $refs resolve). */
export function ajvWithAllSchemas(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const file of allSchemaFiles) ajv.addSchema(file.schema);
  return ajv;
}

let shared: Ajv2020 | undefined;

/**
 * Checks data against the schema of an event type/version, for the contract
 * tests only: the validators that services run live in `@city/event-schemas`.
 */
export function validateEventData(type: string, schemaVersion: number, data: unknown): { valid: true } | { valid: false; errors: unknown } {
  const contract = eventContractOf(type, schemaVersion);
  if (!contract) throw new Error(`No contract for ${type} v${schemaVersion}`);
  shared ??= ajvWithAllSchemas();
  const validate = shared.getSchema(contract.schema.$id);
  if (!validate) throw new Error(`${contract.path} did not compile`);
  return validate(data) ? { valid: true } : { valid: false, errors: validate.errors };
}

export function examplesOf(file: SchemaFile): readonly unknown[] {
  const examples = file.schema.examples;
  return Array.isArray(examples) ? examples : [];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON-pointer-ish paths of every plain object inside `value`, the root included (`[]`). */
export function objectPaths(value: unknown, path: readonly (string | number)[] = []): (string | number)[][] {
  const here: (string | number)[][] = isPlainObject(value) ? [[...path]] : [];
  if (isPlainObject(value)) return [...here, ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...path, k]))];
  if (Array.isArray(value)) return value.flatMap((v, i) => objectPaths(v, [...path, i]));
  return here;
}

export function at(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
