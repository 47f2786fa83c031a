/**
 * kafkajs 2.2.4 keeps every broker connection's event loop busy when it has nothing to do.
 *
 * `RequestQueue.checkPendingRequests` (run after every answer from the broker) ends with
 * `scheduleCheckPendingRequests`, which arms a timer for `throttledUntil - Date.now()`
 * milliseconds even when no request is pending. Unthrottled, that delay is negative, node
 * runs the timer after 1 ms, the timer calls `checkPendingRequests` again, and so on: a 1 kHz
 * timer per connection, for the life of the connection. Measured here: each of a relay's two
 * producer worker threads took 3.3-3.5 % of a core with nothing to send (bench/README.md),
 * and every consumer, producer and admin connection of a service does the same on its thread.
 *
 * A pending request is the only thing that check can act on, and requests become pending
 * only in `push`, which schedules the check itself; answers and timeouts run the check
 * directly. So with nothing pending, no timer is needed: this patch arms it only then, and
 * leaves kafkajs' behaviour with pending requests (throttling, in-flight limits) as it is.
 * Upstream: tulios/kafkajs issue #1556 ("CPU hike on v2.2.4"), fixed the same way by the
 * unmerged pull request #1667; drop this patch once a release carries a fix.
 */
// kafkajs exports no RequestQueue; the patch reaches its module, pinned by the exact version in package.json.
const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: PatchableRequestQueue };

interface PatchableRequestQueue {
  pending: unknown[];
  scheduleCheckPendingRequests(): void;
  [PATCHED]?: true;
}

const PATCHED: unique symbol = Symbol('city.kafkajs.idle-timer-patched');

/** Applies the patch once per module instance of kafkajs (idempotent). */
export function patchKafkajsIdleTimer(): void {
  const proto = RequestQueue.prototype;
  if (proto[PATCHED]) return;
  const schedule = proto.scheduleCheckPendingRequests;
  proto.scheduleCheckPendingRequests = function (this: PatchableRequestQueue) {
    if (this.pending.length === 0) return;
    schedule.call(this);
  };
  proto[PATCHED] = true;
}

patchKafkajsIdleTimer();
