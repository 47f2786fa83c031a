import { Inject, Injectable } from '@nestjs/common';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions, type ReadinessCheck } from '../observability-options';

const DEFAULT_TIMEOUT_MS = 3000;

export interface ReadinessResult {
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed (error message, "timed out after …", "returned false"). */
  readonly reason?: string;
}

/**
 * The checks /health/ready runs. Modules that own a dependency (event store,
 * Kafka producer) add their own check at start-up with `add()`; once shutdown
 * begins the service reports not ready so load balancers stop sending traffic.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks: ReadinessCheck[] = [];
  private shuttingDown = false;

  constructor(@Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions) {
    for (const check of options.readiness ?? []) this.add(check);
  }

  add(check: ReadinessCheck): void {
    if (this.checks.some((c) => c.name === check.name)) {
      throw new Error(`Readiness check "${check.name}" is already registered`);
    }
    this.checks.push(check);
  }

  list(): readonly ReadinessCheck[] {
    return this.checks;
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Runs every check concurrently, each bounded by its timeout. */
  runAll(): Promise<ReadinessResult[]> {
    return Promise.all(this.checks.map(runCheck));
  }
}

async function runCheck(check: ReadinessCheck): Promise<ReadinessResult> {
  const timeoutMs = check.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(check.check), timeout]);
    return result === false ? { name: check.name, ok: false, reason: 'check returned false' } : { name: check.name, ok: true };
  } catch (error) {
    return { name: check.name, ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
