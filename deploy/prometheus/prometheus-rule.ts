/**
 * Writes deploy/k8s/components/prometheus-operator/prometheusrule.yaml from the rule files
 * under deploy/prometheus/rules, so Prometheus Operator users load the same rules as the
 * compose Prometheus. deploy/deploy.spec.ts fails when the two differ. From the repository root:
 *   node -r @swc-node/register deploy/prometheus/prometheus-rule.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as YAML from 'yaml';

const RULES = join(__dirname, 'rules');
export const PROMETHEUS_RULE_FILE = join(__dirname, '..', 'k8s', 'components', 'prometheus-operator', 'prometheusrule.yaml');

/** The rule groups of every `*.rules.yml`, in file order. */
export function ruleGroups(): unknown[] {
  return readdirSync(RULES)
    .filter((file) => file.endsWith('.rules.yml'))
    .sort()
    .flatMap((file) => (YAML.parse(readFileSync(join(RULES, file), 'utf8')) as { groups: unknown[] }).groups);
}

export function prometheusRule(): string {
  const header = [
    '# Generated from deploy/prometheus/rules/*.rules.yml by deploy/prometheus/prometheus-rule.ts: edit those, then run',
    '#   node -r @swc-node/register deploy/prometheus/prometheus-rule.ts',
    '# The platform-wide recording rules and alerts (with runbook_url) for Prometheus Operator users.',
  ];
  const resource = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'city-operations', labels: { 'app.kubernetes.io/part-of': 'city-operations' } },
    spec: { groups: ruleGroups() },
  };
  return `${header.join('\n')}\n${YAML.stringify(resource, { lineWidth: 0, singleQuote: true })}`;
}

if (require.main === module) writeFileSync(PROMETHEUS_RULE_FILE, prometheusRule());
