/** Exponential backoff with full jitter: attempt 0 waits up to `initialMs`, doubling up to `maxMs`. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
