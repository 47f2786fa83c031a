import { ValidationPipe, type ValidationError as ClassValidationError } from '@nestjs/common';
import { ValidationError } from '@city/eventsourcing';

/**
 * The platform's ValidationPipe: strips nothing silently (unknown fields are
 * rejected), converts payloads into DTO instances, and fails with a typed
 * ValidationError whose `fields` map each field path to its messages, e.g.
 * `{ "address.postcode": ["postcode must be a string"], "extra": ["property extra should not exist"] }`.
 * The CityErrorFilter turns that into 400 `{ error: "invalid", message, fields }`.
 */
export function cityValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
