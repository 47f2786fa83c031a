import { backoffDelay } from './backoff';

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
