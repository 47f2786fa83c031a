/**
 * One thing a service needs before it may take traffic, e.g. "event store ping"
 * or "kafka broker reachable". The check passes when it resolves to anything
 * but `false`; it fails when it returns `false`, throws, or outlives `timeoutMs`.
 */
export interface ReadinessCheck {
  /** Short stable name; it appears in the /health/ready body (e.g. `event-store`). */
  readonly name: string;
  readonly check: () => unknown | Promise<unknown>;
  /** How long the check may take before it counts as failed (default 3000 ms). */
  readonly timeoutMs?: number;
}

export interface ObservabilityOptions {
  /** Service name: the `service` label of every metric and a field of every log line. */
  readonly serviceName: string;
  /** Checks that must all pass for /health/ready to answer 200. More can be added via `ReadinessChecks`. */
  readonly readiness?: readonly ReadinessCheck[];
  /** Log level; defaults to env LOG_LEVEL, else `info`. `silent` turns logging off. */
  readonly logLevel?: string;
  /** Where JSON log lines go (default stdout). Tests pass a stream to inspect them. */
  readonly logDestination?: NodeJS.WritableStream;
  /** Serve GET /metrics on this app (default true); false when a management app serves it (`ManagementModule`). */
  readonly metricsRoute?: boolean;
}

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
