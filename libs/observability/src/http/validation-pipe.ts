import { ValidationPipe, type ArgumentMetadata, type ValidationError as ClassValidationError } from '@nestjs/common';
import { ValidationError } from '@city/eventsourcing';
import { cacheValidationMetadata } from './validation-metadata-cache';

/**
 * The platform's ValidationPipe: strips nothing silently (unknown fields are
 * rejected), converts payloads into DTO instances, and fails with a typed
 * ValidationError whose `fields` map each field path to its messages, e.g.
 * `{ "address.postcode": ["postcode must be a string"], "extra": ["property extra should not exist"] }`.
 * The CityErrorFilter turns that into 400 `{ error: "invalid", message, fields }`.
 */
export function cityValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new CityValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = fieldMessages(errors);
      const count = Object.keys(fields).length;
      return new ValidationError(`Invalid request: ${count} field${count === 1 ? '' : 's'} failed validation`, fields);
    },
  });
}

/**
 * JSON.parse keeps `__proto__` and `constructor` as own keys, but class-transformer
 * drops them, so the whitelist never sees them and a body carrying them passed as
 * if they were not there. They are refused like any unknown field, at any depth.
 */
class CityValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const fields = prototypeKeysIn(value);
      if (Object.keys(fields).length > 0) {
        throw new ValidationError(`Invalid request: ${Object.keys(fields).length} field(s) failed validation`, fields);
      }
      // A DTO registered with `acceptWhenValid`: a value its acceptance walk accepts is answered as it is (see accepting-validation.ts).
      if (metadata.metatype !== undefined && acceptances.get(metadata.metatype)?.(value) === true) return value;
    }
    return super.transform(value, metadata);
  }
}

/** The acceptance walks of the DTO classes registered with `acceptWhenValid`, by class. */
const acceptances = new Map<unknown, (value: unknown) => boolean>();

/** Registers a DTO class's acceptance walk with the platform's pipes (made before or after). */
export function registerAcceptance(dto: unknown, acceptance: (value: unknown) => boolean): void {
  acceptances.set(dto, acceptance);
}

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The paths of prototype keys in a parsed body, as `fields` (built from entries: `fields['__proto__'] = …` would set a prototype).
 * Every body goes through it, nearly all without one: a path is joined only when found, and the own keys are enumerated without a list of them.
 */
function prototypeKeysIn(value: unknown): Record<string, string[]> {
  const found: [string, string[]][] = [];
  const path: string[] = [];
  const visit = (key: string, child: unknown): void => {
    path.push(key);
    if (PROTOTYPE_KEYS.has(key)) found.push([path.join('.'), [`property ${key} should not exist`]]);
    else walk(child);
    path.pop();
  };
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visit(String(i), node[i]);
      return;
    }
    for (const key in node) if (Object.prototype.hasOwnProperty.call(node, key)) visit(key, (node as Record<string, unknown>)[key]);
  };
  walk(value);
  return Object.fromEntries(found);
}

/** Flattens class-validator's nested errors into `{ "a.b.0.c": [messages] }`. */
export function fieldMessages(errors: readonly ClassValidationError[], prefix = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const key = path || '(body)';
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) fields[key] = [...(fields[key] ?? []), ...messages];
    Object.assign(fields, fieldMessages(error.children ?? [], path));
  }
  return fields;
}
