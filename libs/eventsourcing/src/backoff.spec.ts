import { backoffDelay, retryWithBackoff } from './backoff';

describe('backoffDelay (equal jitter)', () => {
  it('waits between half and all of the doubled ceiling, capped at the maximum', () => {
    for (let i = 0; i < 200; i++) {
      const first = backoffDelay(0, 100, 10_000);
      expect(first).toBeGreaterThanOrEqual(50);
      expect(first).toBeLessThanOrEqual(100);
      const third = backoffDelay(3, 100, 10_000);
      expect(third).toBeGreaterThanOrEqual(400);
      expect(third).toBeLessThanOrEqual(800);
      const capped = backoffDelay(1000, 100, 10_000);
      expect(capped).toBeGreaterThanOrEqual(5_000);
      expect(capped).toBeLessThanOrEqual(10_000);
    }
  });
});

describe('retryWithBackoff', () => {
  it('retries until the work succeeds, reporting each failure', async () => {
    const failures: number[] = [];
    let calls = 0;
    const retrying = retryWithBackoff(
      async () => {
        if (++calls < 3) throw new Error(`down ${calls}`);
      },
      { initialMs: 1, maxMs: 2, onFailure: (_error, attempt) => failures.push(attempt) },
    );
    await expect(retrying.done).resolves.toBe(true);
    expect(calls).toBe(3);
    expect(failures).toEqual([0, 1]);
  });

  it('gives up when stopped, cutting the wait short', async () => {
    let calls = 0;
    const retrying = retryWithBackoff(
      async () => {
        calls++;
        throw new Error('down');
      },
      // A wait far longer than Jest's timeout: only stop() can end it.
      { initialMs: 600_000, maxMs: 600_000, onFailure: () => retrying.stop() },
    );
    await expect(retrying.done).resolves.toBe(false);
    expect(calls).toBe(1);
  });
});
