import { HttpException, HttpStatus } from '@nestjs/common';
import { CityError, ConcurrencyError, ForbiddenError, NotFoundError, RuleViolationError, UnknownEventTypeError, ValidationError } from '@city/eventsourcing';

/** What a client gets for an error: status code and JSON body. */
export interface HttpErrorResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** True when the error is our fault (5xx): it must be logged with its stack. */
  readonly isServerError: boolean;
  /** The access refusal behind the answer, to count and log: a 401/403's reason, or a refusal answered as 404 (`NotFoundError.hiddenRefusal`). */
  readonly refusal?: string;
}

const GENERIC_MESSAGE = 'Internal server error';

/**
 * Maps the typed errors of @city/eventsourcing to HTTP (ARCHITECTURE.md
 * decision 10: client mistakes are 4xx, never 500). Bodies always carry
 * `statusCode`, `error` (a stable machine-readable code) and `message`:
 *
 * - ValidationError → 400 `{ error: "invalid", message, fields }`
 * - UnknownEventTypeError → 400 `{ error: "unknown_event_type", message }`
 * - ForbiddenError → 403 `{ error: "forbidden", message }` (+ `reason` when the error names one)
 * - NotFoundError → 404 `{ error: "not_found", message }`
 * - ConcurrencyError → 409 `{ error: "version_conflict", message }`
 * - RuleViolationError → 409 `{ error: "rule_violation", rule, message }`
 * - body-parser errors → 400 `{ error: "malformed_json" }`, 400 `{ error: "too_deeply_nested" }`, 413 `{ error: "payload_too_large" }`, ...
 * - Nest HttpException (e.g. terminus 503) → its own status and body, except that a 500 never shows its message
 * - anything else → 500 `{ error: "internal_error", message: "Internal server error" }` (details only in the log)
 */
export function httpErrorOf(error: unknown): HttpErrorResponse {
  if (error instanceof HttpException) return fromHttpException(error);
  if (error instanceof CityError) {
    const status = httpStatusOf(error);
    const body: Record<string, unknown> = { statusCode: status, error: error.code, message: error.message };
    if (error instanceof ValidationError) body.fields = error.fields;
    if (error instanceof RuleViolationError) body.rule = error.rule;
    if (error instanceof ForbiddenError && error.reason !== undefined) body.reason = error.reason;
    if (error instanceof ForbiddenError) return { status, body, isServerError: false, refusal: error.reason ?? 'forbidden' };
    if (error instanceof NotFoundError && error.hiddenRefusal !== undefined) return { status, body, isServerError: false, refusal: error.hiddenRefusal };
    return { status, body, isServerError: status >= 500 };
  }
  if (isBodyParserError(error)) {
    const code = BODY_ERROR_CODES[error.type] ?? error.type.replace(/\./g, '_');
    return { status: error.status, body: { statusCode: error.status, error: code, message: error.message }, isServerError: false };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { statusCode: 500, error: 'internal_error', message: GENERIC_MESSAGE },
    isServerError: true,
  };
}

/** The HTTP status of a typed error. */
export function httpStatusOf(error: CityError): number {
  if (error instanceof ValidationError || error instanceof UnknownEventTypeError) return HttpStatus.BAD_REQUEST;
  if (error instanceof ForbiddenError) return HttpStatus.FORBIDDEN;
  if (error instanceof NotFoundError) return HttpStatus.NOT_FOUND;
  if (error instanceof ConcurrencyError || error instanceof RuleViolationError) return HttpStatus.CONFLICT;
  return HttpStatus.INTERNAL_SERVER_ERROR;
}

function fromHttpException(error: HttpException): HttpErrorResponse {
  const status = error.getStatus();
  const response = error.getResponse();
  const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : { statusCode: status, message: String(response) };
  if (status === HttpStatus.INTERNAL_SERVER_ERROR) {
    // Never echo internals of a server error to the client.
    return { status, body: { statusCode: status, error: 'internal_error', message: GENERIC_MESSAGE }, isServerError: true };
  }
  // Other statuses were chosen on purpose (e.g. 503 from /health/ready with the failed checks).
  if (status === HttpStatus.UNAUTHORIZED || status === HttpStatus.FORBIDDEN) {
    return { status, body, isServerError: false, refusal: typeof body.reason === 'string' ? body.reason : status === 401 ? 'unauthorized' : 'forbidden' };
  }
  return { status, body, isServerError: status > 503 };
}

const BODY_ERROR_CODES: Readonly<Record<string, string>> = {
  'entity.parse.failed': 'malformed_json',
  'entity.too.large': 'payload_too_large',
  'entity.too.deep': 'too_deeply_nested',
  'encoding.unsupported': 'unsupported_encoding',
  'charset.unsupported': 'unsupported_charset',
};

/** Errors thrown by body-parser/raw-body carry `status`/`statusCode` 4xx and a `type` (e.g. `entity.too.large`). */
function isBodyParserError(error: unknown): error is Error & { status: number; type: string } {
  if (!(error instanceof Error)) return false;
  const { status, type } = error as Error & { status?: unknown; type?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string';
}
