/**
 * The one backoff of the platform, for every loop that retries something that
 * may come back (a broker, a database, a subscription, a transaction).
 *
 * Exponential with equal jitter: the ceiling is `initialMs * 2^attempt`, capped
 * at `maxMs`; the delay is half the ceiling plus a random part of the other
 * half. Half fixed, so a retry never fires at once against a server that just
 * refused; half random, so replicas that failed together do not retry together.
 * Attempt 0 waits between `initialMs / 2` and `initialMs`.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
