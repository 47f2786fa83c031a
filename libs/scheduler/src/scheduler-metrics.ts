import { Counter, Gauge, Registry } from 'prom-client';

/** What became of one firing attempt. */
export type FiringOutcome = 'fired' | 'retried' | 'parked';

/**
 * The scheduler's metrics, in the platform's style (prefix `city_`, `_total` on
 * counters, no ids in labels). The `service` label comes from the registry's
 * default labels (`createServiceRegistry`), as for every other city metric.
 * The gauges are read from the database at scrape time, so every replica
 * reports the same figures, leader or not.
 */
export class SchedulerMetrics {
  readonly firings: Counter<'command' | 'outcome'>;

  constructor(registry: Registry, counts: () => Promise<readonly { kind: string; due: number; parked: number }[]>) {
    this.firings =
      existing(registry, 'city_scheduled_commands_total') ??
      new Counter({
        name: 'city_scheduled_commands_total',
        help: 'Firing attempts of scheduled commands, by command kind and outcome (fired, retried, parked).',
        labelNames: ['command', 'outcome'],
        registers: [registry],
      });
    // One query serves both gauges of a scrape.
    let pending: Promise<readonly { kind: string; due: number; parked: number }[]> | undefined;
    const read = () => {
      pending ??= counts().finally(() => setImmediate(() => (pending = undefined)));
      return pending;
    };
    const gauge = (name: string, help: string, pick: (c: { due: number; parked: number }) => number) =>
      existing(registry, name) ??
      new Gauge({
        name,
        help,
        labelNames: ['command'],
        registers: [registry],
        async collect() {
          // A scrape must not fail because the database is away: the last figures stay.
          const rows = await read().catch(() => undefined);
          if (!rows) return;
          this.reset();
          for (const row of rows) this.set({ command: row.kind }, pick(row));
        },
      });
    gauge('city_scheduled_commands_due', 'Scheduled commands whose due time has passed and that have not fired yet, by command kind.', (c) => c.due);
    gauge('city_scheduled_commands_parked', 'Scheduled commands given up after their retries, waiting for an operator, by command kind.', (c) => c.parked);
  }

  record(kind: string, outcome: FiringOutcome): void {
    this.firings.inc({ command: kind, outcome });
  }
}

/** A second scheduler on the same registry (one per service is normal) reuses the first one's metrics. */
function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}
