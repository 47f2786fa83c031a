/**
 * A one-slot doorbell: `ring()` wakes the current `wait()`, or the next one if
 * nobody waits yet, so a ring between "read the log" and "wait" is never lost.
 */
export class Wakeup {
  private rung = false;
  private waiter?: () => void;

  ring(): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter();
    } else {
      this.rung = true;
    }
  }

  /** Resolves on a ring (true) or after `timeoutMs` (false), whichever comes first. */
  wait(timeoutMs: number): Promise<boolean> {
    if (this.rung) {
      this.rung = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(false);
      }, timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
