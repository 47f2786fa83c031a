import { asError } from '@city/eventsourcing';

/** What a service may take to stop unless told otherwise: under Kubernetes' default grace period of 30 s. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;
/** Time kept back for each later step, so one step that hangs cannot leave the others none (closing a pool takes milliseconds). */
const RESERVE_PER_LATER_STEP_MS = 1000;

/** One step of a service's shutdown: stop the relay, close the store, ... */
export interface ShutdownStep {
  readonly name: string;
  run(): Promise<unknown> | unknown;
}

export interface ShutdownStepOutcome {
  readonly name: string;
  readonly outcome: 'done' | 'failed' | 'timed out';
  /** The error of a failed step. */
  readonly error?: Error;
}

/** Where a bounded shutdown says which step failed or did not finish in time. */
export type ShutdownLog = (message: string) => void;

/**
 * The time a service has left to stop. It starts when shutdown begins (a
 * SIGTERM, or `stop()`) and is shared by every step: draining HTTP, the
 * modules' hooks (consumers commit), then the service's own steps (relay,
 * producer, store, databases). Each step is bounded by it, so the process ends
 * within the orchestrator's grace period whatever the broker or a database does.
 */
export class ShutdownDeadline {
  private endsAt?: number;

  constructor(readonly timeoutMs: number = DEFAULT_SHUTDOWN_TIMEOUT_MS) {
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`Shutdown timeout must be a positive number of ms, got ${timeoutMs}`);
  }

  /** Starts the clock (once; later calls keep the first start). */
  begin(): void {
    this.endsAt ??= Date.now() + this.timeoutMs;
  }

  get started(): boolean {
    return this.endsAt !== undefined;
  }

  /** Milliseconds left (the whole timeout before `begin()`). */
  remainingMs(): number {
    return this.endsAt === undefined ? this.timeoutMs : Math.max(0, this.endsAt - Date.now());
  }

  /**
   * Runs `work`, giving up after `maxMs` (default: the time left). A step that
   * gives up is not cancelled: it goes on in the background, and the process
   * ends without waiting for it.
   */
  async bound(name: string, work: () => Promise<unknown> | unknown, maxMs = this.remainingMs()): Promise<ShutdownStepOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => {
      timer = setTimeout(() => resolve('timed out'), Math.max(0, maxMs));
      timer.unref();
    });
    try {
      const outcome = await Promise.race([
        Promise.resolve()
          .then(work)
          .then(() => 'done' as const),
        timedOut,
      ]);
      return { name, outcome };
    } catch (error) {
      return { name, outcome: 'failed', error: asError(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs the steps in order, each bounded by the time left minus a reserve for
   * the steps after it, and reports every step that failed or timed out. Never
   * throws: a step that fails does not keep the next ones from running.
   */
  async run(steps: readonly ShutdownStep[], log?: ShutdownLog): Promise<ShutdownStepOutcome[]> {
    this.begin();
    const outcomes: ShutdownStepOutcome[] = [];
    for (let i = 0; i < steps.length; i++) {
      const remaining = this.remainingMs();
      const reserve = Math.min(remaining / 2, (steps.length - 1 - i) * RESERVE_PER_LATER_STEP_MS);
      const outcome = await this.bound(steps[i].name, () => steps[i].run(), remaining - reserve);
      if (outcome.outcome === 'timed out') log?.(`Shutdown step "${outcome.name}" did not finish in time; going on without it`);
      if (outcome.outcome === 'failed') log?.(`Shutdown step "${outcome.name}" failed: ${outcome.error?.message ?? 'unknown error'}`);
      outcomes.push(outcome);
    }
    return outcomes;
  }
}
