import './kafkajs-idle-timer';

// The class the patch changes (kafkajs exports it from no public module).
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  destroy(): void;
};

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function queue() {
  return new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'b:9092', logger });
}

describe('kafkajs RequestQueue, patched (kafkajs-idle-timer)', () => {
  it('arms no timer after a check that finds nothing pending (unpatched: a 1 ms timer, again and again)', () => {
    const q = queue();
    q.checkPendingRequests(); // what every answer from the broker runs
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.destroy();
  });

  it('still arms the check while a request is pending', () => {
    const q = queue();
    q.pending.push({ correlationId: 1 });
    q.throttleCheckTimeoutId = null;
    // With the in-flight limit reached nothing can be sent, so the request stays pending and a later check is scheduled.
    (q as unknown as { inflight: Map<number, unknown> }).inflight.set(0, {});
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    q.destroy();
  });
});
