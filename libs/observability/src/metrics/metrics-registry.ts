import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * Injection token of the app's own prom-client registry. Every Nest app gets a
 * fresh registry (never prom-client's global default one), so several services
 * can share one process (embedded mode, tests) without clashing metric names.
 */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * A registry whose every metric carries `service="<serviceName>"`, with Node's
 * default metrics (process_*, nodejs_*) collected into it exactly once.
 */
export function createServiceRegistry(serviceName: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics({ register: registry });
  // Gauges named *_total break the exposition conventions (`promtool check metrics`
  // fails on them); the same figures remain as nodejs_active_{handles,requests,resources}{type}.
  for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
  return registry;
}
