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

/** A wait a retry loop sleeps in, which its `stop()` can cut short: `wake()` resolves it at once. */
export interface WakeableSleep {
  readonly done: Promise<void>;
  wake(): void;
}

export function wakeableSleep(ms: number): WakeableSleep {
  let wake = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}

/** A start that is retried with backoff until it succeeds or `stop()` is called. */
export interface Retrying {
  /** True once `work` succeeded; false if stopped first. */
  readonly done: Promise<boolean>;
  /** No further attempts; a wait between attempts ends at once (an attempt in flight still finishes). */
  stop(): void;
}

/**
 * Retries `work` (connect a relay, start a consumer) with `backoffDelay` until
 * it succeeds: for what may start before its broker or database is up, so the
 * service itself starts, reports not ready, and catches up when it answers.
 */
export function retryWithBackoff(
  work: () => Promise<void>,
  options: { readonly initialMs: number; readonly maxMs: number; readonly onFailure?: (error: Error, attempt: number) => unknown },
): Retrying {
  let stopped = false;
  let wait: WakeableSleep | undefined;
  const done = (async () => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await work();
        return true;
      } catch (error) {
        await options.onFailure?.(asError(error), attempt);
        if (stopped) break;
        wait = wakeableSleep(backoffDelay(attempt, options.initialMs, options.maxMs));
        await wait.done;
      }
    }
    return false;
  })();
  return {
    done,
    stop: () => {
      stopped = true;
      wait?.wake();
    },
  };
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
