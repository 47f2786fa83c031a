import { httpErrorOf } from './http-error';
import type { HttpRequest, HttpResponse, NextFunction } from './http-types';

/**
 * Express error middleware placed right after the body parsers: malformed JSON
 * (400 `malformed_json`) and oversized bodies (413 `payload_too_large`) get the
 * platform's JSON error body instead of Nest's generic one. Other errors go on.
 */
export function bodyParserErrorHandler(error: unknown, _req: HttpRequest, res: HttpResponse, next: NextFunction): void {
  const { status, body, isServerError } = httpErrorOf(error);
  if (isServerError || res.headersSent || typeof body.error !== 'string' || !isBodyError(error)) {
    next(error);
    return;
  }
  res.status(status).json(body);
}

function isBodyError(error: unknown): boolean {
  return typeof (error as { type?: unknown } | null)?.type === 'string';
}
