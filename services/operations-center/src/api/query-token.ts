import type { IncomingMessage, Server } from 'node:http';

const QUERY_TOKEN = Symbol('queryAccessToken');
const TOKEN_IN_QUERY = /([?&]access_token=)([^&]*)/;

/**
 * An EventSource cannot send headers, so /api/stream takes the token as
 * `?access_token=`. Request logging captures the URL when the request arrives,
 * before any route handler runs; so this listener, placed in front of the
 * app's own, moves the token out of the URL (keeping it on the request for the
 * stream handler) and the logs only ever see `access_token=[redacted]`.
 */
export function installQueryTokenRedaction(server: Server, pathPrefix: string): void {
  server.prependListener('request', (req: IncomingMessage) => {
    if (!req.url?.startsWith(pathPrefix)) return;
    const match = TOKEN_IN_QUERY.exec(req.url);
    if (!match) return;
    (req as unknown as Record<symbol, string>)[QUERY_TOKEN] = safeDecode(match[2]);
    req.url = req.url.replace(TOKEN_IN_QUERY, '$1[redacted]');
  });
}

/** The token the listener took from the URL, if any. */
export function queryTokenOf(req: object): string | undefined {
  return (req as Record<symbol, string | undefined>)[QUERY_TOKEN];
}

/** A malformed escape must not throw here (it would crash the server): the token is then simply invalid (401). */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
