import type { Subscription } from './event-store';
import { Resubscribing } from './resubscribing';

/** A subscription that records whether it was stopped. */
function fakeSubscription(): Subscription & { stopped: boolean } {
  const s = {
    stopped: false,
    stop: async () => {
      s.stopped = true;
    },
  };
  return s;
}

// The backoff waits run on Jest's fake clock: the tests take no real time and do not depend on the machine's speed.
const tick = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('Resubscribing', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('stops a failed subscription, reports the error and subscribes again after the wait', async () => {
    const opened: ReturnType<typeof fakeSubscription>[] = [];
    const errors: string[] = [];
    const loop = new Resubscribing({
      subscribe: async () => {
        const s = fakeSubscription();
        opened.push(s);
        return s;
      },
      onError: (e) => errors.push(e.message),
      delayMs: { initial: 20, max: 20 },
    });
    await loop.start();
    loop.fail(new Error('broker gone'));
    loop.fail(new Error('still gone')); // a second report while waiting opens no second subscription
    expect(opened[0].stopped).toBe(true);
    expect(opened).toHaveLength(1);
    await tick(60);
    expect(opened).toHaveLength(2);
    expect(opened[1].stopped).toBe(false);
    expect(errors).toEqual(['broker gone', 'still gone']);
    await loop.stop();
    expect(opened[1].stopped).toBe(true);
    expect(loop.running).toBe(false);
  });

  it('keeps trying while subscribing itself fails, and runs the preparation before each retry', async () => {
    let attempts = 0;
    let prepared = 0;
    const loop = new Resubscribing({
      subscribe: async () => {
        attempts++;
        if (attempts < 3) throw new Error('database down');
        return fakeSubscription();
      },
      beforeResubscribe: async () => {
        prepared++;
      },
      delayMs: { initial: 5, max: 10 },
    });
    await loop.start();
    for (let i = 0; i < 50 && attempts < 3; i++) await tick(10);
    expect(attempts).toBe(3);
    expect(prepared).toBe(2);
    await loop.stop();
  });

  it('opens nothing once stopped while waiting to re-subscribe', async () => {
    let attempts = 0;
    const loop = new Resubscribing({
      subscribe: async () => {
        attempts++;
        return fakeSubscription();
      },
      delayMs: { initial: 20, max: 20 },
    });
    await loop.start();
    loop.fail(new Error('lost'));
    await loop.stop();
    await tick(60);
    expect(attempts).toBe(1);
  });

  it('stops a subscription that finished opening after stop()', async () => {
    let release: () => void = () => undefined;
    const late = fakeSubscription();
    const loop = new Resubscribing({
      subscribe: () => new Promise<Subscription>((resolve) => (release = () => resolve(late))),
    });
    const started = loop.start();
    await loop.stop();
    release();
    await started;
    expect(late.stopped).toBe(true);
  });
});
