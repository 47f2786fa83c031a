import { asError, backoffDelay } from './backoff';
import type { Subscription } from './event-store';

export interface ResubscribingOptions {
  /**
   * Opens a subscription from wherever its owner resumes (its stored
   * checkpoint); called at start and after every failure. Answers undefined
   * when there is nothing to open (e.g. stopped meanwhile).
   */
  readonly subscribe: () => Promise<Subscription | undefined>;
  /** Runs after a failed subscription has stopped and before the next one opens, e.g. let a send in flight settle. */
  readonly beforeResubscribe?: () => Promise<void>;
  readonly onError?: (error: Error) => void;
  /** Wait before re-subscribing: doubles from `initial` to `max` (default 500 ms to 30 s), with jitter. */
  readonly delayMs?: { readonly initial: number; readonly max: number };
}

/**
 * Keeps a store subscription alive for a long-running consumer of the log (the
 * Kafka relay, the embedded projection runner): when the subscription or its
 * handler fails, it reports the error, stops the failed subscription (it must
 * not deliver again while a new one starts), waits with exponential backoff
 * and subscribes again from the owner's checkpoint. `succeeded()` after
 * progress resets the backoff.
 */
export class Resubscribing {
  private subscription?: Subscription;
  private stoppingFailed?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private active = false;
  private failures = 0;

  constructor(private readonly options: ResubscribingOptions) {}

  /** True from `start()` until `stop()`, failures and waits included. */
  get running(): boolean {
    return this.active;
  }

  async start(): Promise<void> {
    if (this.active) return;
    this.active = true;
    await this.open();
  }

  /** The failed subscription stops, and a new one opens after the backoff. Safe to call repeatedly. */
  fail(error: Error): void {
    this.options.onError?.(error);
    const failed = this.subscription;
    this.subscription = undefined;
    if (failed) this.stoppingFailed = failed.stop().catch(() => undefined);
    if (!this.active || this.timer) return;
    const { initial, max } = this.options.delayMs ?? { initial: 500, max: 30_000 };
    this.timer = setTimeout(() => void this.reopen(), backoffDelay(this.failures++, initial, max));
  }

  /** The consumer made progress: the next failure waits the shortest time again. */
  succeeded(): void {
    this.failures = 0;
  }

  /** Stops the subscription (its batch in flight finishes) and any pending re-subscription. */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    await Promise.allSettled([subscription?.stop(), this.stoppingFailed]);
  }

  private async reopen(): Promise<void> {
    this.timer = undefined;
    await this.stoppingFailed;
    try {
      await this.options.beforeResubscribe?.();
    } catch (error) {
      this.fail(asError(error));
      return;
    }
    if (this.active) await this.open();
  }

  private async open(): Promise<void> {
    try {
      const subscription = await this.options.subscribe();
      if (this.active) this.subscription = subscription;
      else await subscription?.stop(); // stop() ran while it was opening and could not see it
    } catch (error) {
      this.fail(asError(error));
    }
  }
}
