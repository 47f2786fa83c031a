import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

/** The error answers every command route of a department may give (bodies from the CityErrorFilter). */
export function ApiErrors(options: { notFound?: string; conflict?: string } = {}) {
  return applyDecorators(
    ApiBadRequestResponse({ description: 'Invalid body or parameters: `{ error: "invalid", fields: { "<field>": ["<why>"] } }`' }),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired bearer token' }),
    ApiForbiddenResponse({ description: 'Wrong role, another district, or a record the caller may not touch' }),
    ...(options.notFound ? [ApiNotFoundResponse({ description: options.notFound })] : []),
    ...(options.conflict ? [ApiConflictResponse({ description: options.conflict })] : []),
  );
}

/** 201 for a new record, 200 for an idempotent retry of one (nothing appended). */
export function ApiCreatedOrRetried(type: Type<unknown>) {
  return applyDecorators(
    ApiCreatedResponse({ type, description: 'Recorded' }),
    ApiOkResponse({ type, description: 'Already recorded (idempotent retry): nothing appended, same answer' }),
  );
}
