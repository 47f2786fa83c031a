/**
 * Checks of the "deployed" run mode files (deploy/docker, compose, k8s, prometheus,
 * alertmanager, grafana) that need no Docker engine and no cluster:
 * - promtool validates the Prometheus configuration and rules and runs the rule unit tests;
 *   amtool validates the Alertmanager configuration and where each alert is routed;
 * - every Kubernetes overlay builds on the base and renders with `kubectl kustomize`; the
 *   rendered manifests validate against the Kubernetes and prometheus-operator schemas
 *   (kubernetes-models) and hang together (names, probes, secrets by reference, generated
 *   configuration, selectors, autoscaler, network policy, monitoring);
 * - the compose stack runs every deployable, each with its database and scrape job;
 * - the Grafana dashboard and every rule expression use only documented metric
 *   names, and those are exactly the names @city/observability registers, so a
 *   renamed metric fails here instead of silently emptying a panel or an alert.
 * promtool and amtool come from Debian's `prometheus` and `prometheus-alertmanager` packages
 * (CI installs them, see .ci/run); kubectl is part of the machine image (see KUSTOMIZE below).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import * as YAML from 'yaml';
import * as prometheusOperatorModels from '@kubernetes-models/prometheus-operator';
import * as kubernetesModels from 'kubernetes-models';
import { parseTrustedIssuers } from '@city/auth';
import { checkKafkaSecurity } from '@city/kafka';
import { CityMetrics, createServiceRegistry, HttpMetrics } from '@city/observability';
import { PROMETHEUS_RULE_FILE, ruleGroups } from './prometheus/prometheus-rule';

const ROOT = join(__dirname, '..');
const DEPLOY = __dirname;
const PROMETHEUS_DIR = join(DEPLOY, 'prometheus');
const RULES_FILE = join(PROMETHEUS_DIR, 'rules', 'city.rules.yml');
const RULES_TEST_FILE = join(PROMETHEUS_DIR, 'rules', 'city.rules.test.yml');
const DASHBOARD_FILE = join(DEPLOY, 'grafana', 'dashboards', 'city-operations.json');
const COMPOSE_FILE = join(DEPLOY, 'compose', 'docker-compose.yml');
const K8S_DIR = join(DEPLOY, 'k8s');
const ALERTMANAGER_FILE = join(DEPLOY, 'alertmanager', 'alertmanager.yml');
const NAMESPACE = 'city-ops';
/** Folders of deploy/k8s that are not a deployable's overlay. */
const NOT_OVERLAYS = new Set(['base', 'components', 'monitoring']);
/** One overlay per deployable: every other folder of deploy/k8s. */
const OVERLAYS = readdirSync(K8S_DIR)
  .filter((entry) => !NOT_OVERLAYS.has(entry) && statSync(join(K8S_DIR, entry)).isDirectory())
  .sort();
/** The base's image, which each overlay replaces with its own, pinned. */
const BASE_IMAGE = 'city-operations/city-service';
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A release tag: anything Docker accepts but `latest`. */
const VERSION_TAG = /^(?!latest$)\w[\w.-]{0,127}$/;
/** Keys of the Secret every service takes by reference. */
const SECRET_KEYS = ['DATABASE_URL', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'];

/**
 * The metric names SREs may build on (ARCHITECTURE.md, "Metric names"), with their
 * types; city_auth_refusals_total is the refusal count of decision 8.
 */
const DOCUMENTED_METRICS: Record<string, 'counter' | 'gauge' | 'histogram'> = {
  city_commands_total: 'counter',
  city_command_duration_seconds: 'histogram',
  city_events_appended_total: 'counter',
  city_relay_lag_events: 'gauge',
  city_relay_published_total: 'counter',
  city_projection_lag_seconds: 'gauge',
  city_projection_events_total: 'counter',
  city_projection_checkpoint_position: 'gauge',
  city_dlq_messages_total: 'counter',
  city_auth_refusals_total: 'counter',
  city_http_rate_limited_total: 'counter',
  http_request_duration_seconds: 'histogram',
};

/** Series Prometheus itself creates for every target. */
const PROMETHEUS_SYNTHETIC = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

// ------------------------------------------------------------------ helpers

type Json = Record<string, any>;

function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.error) throw new Error(`cannot run ${command}: ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/**
 * `kubectl kustomize` with kustomize 5 (components, `labels`), or why not. kubectl is part of
 * this machine's image (the kubectl package of the Google Cloud CLI's Debian repository, not
 * reachable from here); Debian's own kubernetes-client 1.20 embeds kustomize 2, too old.
 */
const KUSTOMIZE: { available: true } | { available: false; reason: string } = (() => {
  if (!hasCommand('kubectl')) return { available: false, reason: 'kubectl is not installed (it comes with the machine image)' };
  const version = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  const kustomize = /"kustomizeVersion":\s*"v?(\d+)/.exec(version.stdout ?? '')?.[1];
  if (kustomize === undefined || Number(kustomize) < 5) {
    return {
      available: false,
      reason: `kubectl's kustomize is ${kustomize ? `v${kustomize}` : 'unknown'}; the overlays need kustomize 5 (kubectl 1.27 or later)`,
    };
  }
  return { available: true };
})();

/** The manifests `kubectl kustomize <dir>` renders. */
function kustomize(dir: string): Json[] {
  const result = spawnSync('kubectl', ['kustomize', dir], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${relative(ROOT, dir)} failed:\n${result.stderr}`);
  return YAML.parseAllDocuments(result.stdout).map((document) => document.toJSON() as Json);
}

type Model = { apiVersion: string; kind: string; new (data: Json): { validate(): void } };

/** Every resource class of kubernetes-models and @kubernetes-models/prometheus-operator, by `apiVersion/kind`. */
const MODELS: Map<string, Model> = (() => {
  const models = new Map<string, Model>();
  const seen = new Set<unknown>();
  const visit = (exports: unknown): void => {
    if (exports === null || typeof exports !== 'object' || seen.has(exports)) return;
    seen.add(exports);
    for (const value of Object.values(exports)) {
      const model = value as Partial<Model>;
      if (typeof value === 'function' && typeof model.apiVersion === 'string' && typeof model.kind === 'string')
        models.set(`${model.apiVersion}/${model.kind}`, value as Model);
      else visit(value);
    }
  };
  visit(kubernetesModels);
  visit(prometheusOperatorModels);
  return models;
})();

/** Why a manifest does not match its schema, or undefined when it does. */
function schemaError(manifest: Json): string | undefined {
  const Model = MODELS.get(`${manifest.apiVersion}/${manifest.kind}`);
  if (Model === undefined) return `no schema for ${manifest.apiVersion} ${manifest.kind}`;
  try {
    new Model(manifest).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function filesUnder(dir: string, test: (file: string) => boolean): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return filesUnder(path, test);
    return test(path) ? [path] : [];
  });
}

const isYaml = (file: string): boolean => /\.ya?ml$/.test(file);

/** Every document of a YAML file (merge keys `<<:` resolved, as compose does). */
function yamlDocuments(file: string): Json[] {
  const documents = YAML.parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${relative(ROOT, file)}: ${document.errors.map(String).join('; ')}`);
  }
  return documents.map((document) => document.toJSON()).filter((value) => value !== null && value !== undefined);
}

function yamlFile(file: string): Json {
  const [document] = yamlDocuments(file);
  return document;
}

const PROMQL_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'atan2',
  'inf',
  'nan',
]);

/**
 * Metric names a PromQL expression reads: identifiers left after removing string
 * literals, label matchers, ranges and grouping label lists, that are neither
 * keywords nor function calls.
 */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w:.$])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)) {
    if (!PROMQL_KEYWORDS.has(match[1].toLowerCase())) names.add(match[1]);
  }
  return [...names];
}

/** The series names a metric of this type exposes (histograms: _bucket, _sum, _count). */
function seriesNames(name: string, type: string): string[] {
  return type === 'histogram' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}

async function nodeDefaultMetricNames(): Promise<string[]> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = await registry.getMetricsAsJSON();
  return metrics.flatMap((metric) => seriesNames(metric.name, String(metric.type)));
}

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function rules(): Rule[] {
  return (yamlFile(RULES_FILE).groups as Array<{ rules: Rule[] }>).flatMap((group) => group.rules);
}

/** Everything a dashboard or rule may read: documented metrics, Node defaults, Prometheus' own, recording rules. */
async function allowedNames(): Promise<Set<string>> {
  return new Set([
    ...Object.entries(DOCUMENTED_METRICS).flatMap(([name, type]) => seriesNames(name, type)),
    ...(await nodeDefaultMetricNames()),
    ...PROMETHEUS_SYNTHETIC,
    ...rules().flatMap((rule) => (rule.record ? [rule.record] : [])),
  ]);
}

function expectOnlyAllowed(where: string, expr: string, allowed: Set<string>): void {
  const unknown = metricNamesIn(expr).filter((name) => !allowed.has(name));
  expect({ where, unknown }).toEqual({ where, unknown: [] });
}

// ------------------------------------------------------------------ tests

describe('metric name extraction (the guard of the checks below)', () => {
  it('finds metrics and ignores functions, labels, ranges and keywords', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (service, le) (rate(city_command_duration_seconds_bucket{service=~"$service", x="a b"}[$__rate_interval]))) > 1e3 and on () up offset 5m',
      ).sort(),
    ).toEqual(['city_command_duration_seconds_bucket', 'up']);
    expect(metricNamesIn('sum(rate(city_commands_total[5m])) by (service) / ignoring(outcome) group_left city:x:rate5m')).toEqual([
      'city_commands_total',
      'city:x:rate5m',
    ]);
  });
});

describe('documented metric names', () => {
  it('are exactly the city_* and http_* metrics @city/observability registers', async () => {
    const registry = createServiceRegistry('deploy-spec');
    const city = new CityMetrics(registry);
    new HttpMetrics(registry);
    // The relay's metrics are registered by the first relay that reports (a service running one).
    void city.relayLagEvents;
    void city.relayPublishedTotal;
    const registered = (await registry.getMetricsAsJSON())
      .filter((metric) => metric.name.startsWith('city_') || metric.name.startsWith('http_'))
      .map((metric) => [metric.name, String(metric.type)]);
    expect(Object.fromEntries(registered)).toEqual(DOCUMENTED_METRICS);
  });
});

describe('promtool', () => {
  beforeAll(() => {
    if (!hasCommand('promtool')) throw new Error('promtool not found: install Debian package `prometheus` (see .ci/run)');
  });

  it('accepts the compose scrape configuration and the rule files it loads', () => {
    const { status, output } = run('promtool', ['check', 'config', 'deploy/prometheus/prometheus.yml']);
    expect(output).toContain('SUCCESS');
    expect(output).toContain('city.rules.yml');
    expect(status).toBe(0);
  });

  it('accepts the Kubernetes scrape configuration', () => {
    const file = join(PROMETHEUS_DIR, 'prometheus-kubernetes.yml');
    const direct = run('promtool', ['check', 'config', file]);
    if (direct.status === 0) return;
    // Debian builds Prometheus without Kubernetes discovery; then check everything else
    // (relabelling, rule files) with the discovery swapped for a static target.
    expect(direct.output).toContain('kubernetes_sd_configs');
    const config = yamlFile(file);
    for (const job of config.scrape_configs as Json[]) {
      if (job.kubernetes_sd_configs) {
        delete job.kubernetes_sd_configs;
        job.static_configs = [{ targets: ['pod.example:3000'] }];
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'city-prometheus-'));
    try {
      cpSync(join(PROMETHEUS_DIR, 'rules'), join(dir, 'rules'), { recursive: true });
      writeFileSync(join(dir, 'prometheus.yml'), YAML.stringify(config));
      const { status, output } = run('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
      expect(output).toContain('city.rules.yml');
      expect(status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts the rules', () => {
    const { status, output } = run('promtool', ['check', 'rules', 'deploy/prometheus/rules/city.rules.yml']);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('passes the rule unit tests', () => {
    const { status, output } = run('promtool', ['test', 'rules', 'deploy/prometheus/rules/city.rules.test.yml']);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });
});

describe('Prometheus rules', () => {
  const REQUIRED_ALERTS = [
    'CityServiceDown',
    'CityRelayLagHigh',
    'CityProjectionLagHigh',
    'CityDeadLetterMessages',
    'CityCommandErrorRatioHigh',
    'CityCommandLatencyHigh',
    'CityAuthRefusalSpike',
  ];

  it('reference only documented metrics', async () => {
    const allowed = await allowedNames();
    for (const rule of rules()) expectOnlyAllowed(rule.alert ?? rule.record ?? '?', rule.expr, allowed);
  });

  it('alert on what SREs need, each with severity, summary, description and a runbook_url to its section of deploy/README.md', () => {
    const alerts = rules().filter((rule) => rule.alert);
    expect(alerts.map((rule) => rule.alert)).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
    const readme = readFileSync(join(DEPLOY, 'README.md'), 'utf8');
    for (const alert of alerts) {
      expect({ alert: alert.alert, severity: alert.labels?.severity }).toEqual({
        alert: alert.alert,
        severity: expect.stringMatching(/^(critical|warning|info)$/),
      });
      expect(Object.keys(alert.annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(alert.annotations?.runbook_url).toBe(`deploy/README.md#${alert.alert!.toLowerCase()}`);
      expect(readme).toContain(`### ${alert.alert}\n`);
    }
  });

  it('are all exercised by the promtool unit tests', () => {
    const tested = new Set((yamlFile(RULES_TEST_FILE).tests as Json[]).flatMap((test) => (test.alert_rule_test ?? []).map((t: Json) => t.alertname)));
    const untested = rules()
      .filter((rule) => rule.alert && !tested.has(rule.alert))
      .map((rule) => rule.alert);
    expect(untested).toEqual([]);
  });
});

describe('Alertmanager', () => {
  beforeAll(() => {
    if (!hasCommand('amtool')) throw new Error("amtool not found: install Debian's package `prometheus-alertmanager` (see .ci/run)");
  });

  /** The receivers amtool routes an alert with these labels to. */
  const receiversOf = (labels: Record<string, string>): string[] => {
    const args = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
    const { status, output } = run('amtool', ['config', 'routes', 'test', `--config.file=${relative(ROOT, ALERTMANAGER_FILE)}`, ...args]);
    expect({ labels, status }).toEqual({ labels, status: 0 });
    const line = output.split('\n').find((l) => l.trim() !== '' && !l.startsWith('Warning:')) ?? '';
    return line.trim().split(',').sort();
  };

  it('accepts the configuration (amtool check-config)', () => {
    const { status, output } = run('amtool', ['check-config', relative(ROOT, ALERTMANAGER_FILE)]);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('pages the on-call for every critical alert and tells the team channel of every critical and warning one', () => {
    const alerts = rules().filter((rule) => rule.alert);
    expect(alerts.some((rule) => rule.labels?.severity === 'critical')).toBe(true);
    for (const rule of alerts) {
      const severity = rule.labels!.severity;
      const expected = severity === 'critical' ? ['city-on-call', 'city-team-channel'] : ['city-team-channel'];
      expect({ alert: rule.alert, receivers: receiversOf({ alertname: rule.alert!, severity, service: 'canvass' }) }).toEqual({
        alert: rule.alert,
        receivers: expected,
      });
    }
    // (the route test can fail: an alert without severity pages nobody)
    expect(receiversOf({ alertname: 'Unlabelled' })).toEqual(['city-team-channel']);
  });

  it('receives the compose Prometheus alerts', () => {
    const prometheus = yamlFile(join(PROMETHEUS_DIR, 'prometheus.yml'));
    const targets = (prometheus.alerting.alertmanagers as Json[]).flatMap((am) => (am.static_configs as Json[]).flatMap((c) => c.targets));
    expect(targets).toEqual(['alertmanager:9093']);
    const compose = yamlFile(COMPOSE_FILE);
    expect(compose.services.alertmanager.volumes).toContain('../alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro');
  });
});

describe('Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Json;
  const panels = (dashboard.panels as Json[]).flatMap((panel) => [panel, ...((panel.panels as Json[]) ?? [])]);
  const targets = panels.flatMap((panel) => ((panel.targets as Json[]) ?? []).map((target) => ({ panel: panel.title, expr: String(target.expr) })));

  it('is the provisioned "City operations platform" dashboard', () => {
    expect(dashboard.title).toBe('City operations platform');
    expect(dashboard.uid).toBe('city-operations');
    const provider = yamlFile(join(DEPLOY, 'grafana', 'provisioning', 'dashboards', 'city.yml'));
    const compose = yamlFile(COMPOSE_FILE);
    const dashboardsMount = (compose.services.grafana.volumes as string[]).find((volume) => volume.startsWith('../grafana/dashboards:'));
    expect(dashboardsMount?.split(':')[1]).toBe(provider.providers[0].options.path);
    expect(compose.services.grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(
      `${provider.providers[0].options.path}/${basename(DASHBOARD_FILE)}`,
    );
    const datasource = yamlFile(join(DEPLOY, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'));
    expect(datasource.datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
  });

  it('uses only documented metric names in panels and variables', async () => {
    const allowed = await allowedNames();
    expect(targets.length).toBeGreaterThan(10);
    for (const { panel, expr } of targets) expectOnlyAllowed(`panel "${panel}"`, expr, allowed);
    for (const variable of dashboard.templating.list as Json[]) {
      if (variable.type !== 'query') continue;
      const query = String(variable.query?.query ?? variable.query);
      const labelValues = /^label_values\((.+),\s*\w+\)$/.exec(query);
      expectOnlyAllowed(`variable ${variable.name}`, labelValues ? labelValues[1] : query, allowed);
    }
  });

  it('shows commands, latency, events, relay and projection lag, DLQ, HTTP and Node runtime', () => {
    const used = new Set(targets.flatMap(({ expr }) => metricNamesIn(expr)));
    for (const name of [
      'city_commands_total',
      'city_command_duration_seconds_bucket',
      'city_events_appended_total',
      'city_relay_lag_events',
      'city_projection_lag_seconds',
      'city_dlq_messages_total',
      'http_request_duration_seconds_bucket',
      'nodejs_eventloop_lag_p99_seconds',
      'process_resident_memory_bytes',
    ]) {
      expect({ name, used: used.has(name) }).toEqual({ name, used: true });
    }
  });

  it('queries through the datasource variable, so it works on any Prometheus', () => {
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({ panel: panel.title, uid: '${datasource}' });
    }
  });
});

describe('Kubernetes overlays', () => {
  const top = yamlFile(join(K8S_DIR, 'kustomization.yaml'));

  it('one per deployable, each a kustomization on the base (no copied manifests), all listed in deploy/k8s', () => {
    expect(OVERLAYS).toEqual(expect.arrayContaining(['canvass', 'operations-center']));
    for (const name of OVERLAYS) {
      const dir = join(K8S_DIR, name);
      const kustomization = yamlFile(join(dir, 'kustomization.yaml'));
      expect({ name, base: kustomization.resources?.[0], namePrefix: kustomization.namePrefix }).toEqual({ name, base: '../base', namePrefix: `${name}-` });
      const copied = filesUnder(dir, isYaml).flatMap((file) => yamlDocuments(file).filter((doc) => doc.kind && doc.kind !== 'Kustomization'));
      expect({ name, copied: copied.map((doc) => doc.kind) }).toEqual({ name, copied: [] });
      expect(kustomization.labels).toContainEqual({ pairs: { 'app.kubernetes.io/name': name }, includeSelectors: true });
    }
    expect([...top.resources].sort()).toEqual(['namespace.yaml', ...OVERLAYS].sort());
    expect(yamlFile(join(K8S_DIR, 'namespace.yaml'))).toMatchObject({ kind: 'Namespace', metadata: { name: NAMESPACE } });
  });

  it('pin the image by version or digest, never latest', () => {
    for (const name of OVERLAYS) {
      const images = (yamlFile(join(K8S_DIR, name, 'kustomization.yaml')).images ?? []) as Json[];
      const image = images.find((entry) => entry.name === BASE_IMAGE);
      expect({ name, newName: image?.newName }).toEqual({ name, newName: expect.stringMatching(new RegExp(`(^|/)city-operations/${name}$`)) });
      const pinned = image?.digest !== undefined ? DIGEST.test(image.digest) : VERSION_TAG.test(String(image?.newTag ?? ''));
      expect({ name, tag: image?.newTag, digest: image?.digest, pinned }).toEqual({ name, tag: image?.newTag, digest: image?.digest, pinned: true });
    }
  });

  it('give Prometheus Operator users the same rules as deploy/prometheus/rules (regenerate: deploy/prometheus/prometheus-rule.ts)', () => {
    const prometheusRule = yamlFile(PROMETHEUS_RULE_FILE);
    expect(prometheusRule).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' });
    expect(prometheusRule.spec.groups).toEqual(ruleGroups());
  });
});

describe(`Kubernetes manifests rendered by kubectl kustomize${KUSTOMIZE.available ? '' : ` — SKIPPED: ${KUSTOMIZE.reason}`}`, () => {
  const describedIt = KUSTOMIZE.available ? it : it.skip;
  const rendered = new Map<string, Json[]>();
  const ofOverlay = (name: string): Json[] => rendered.get(name) ?? [];
  const one = (name: string, kind: string): Json => {
    const found = ofOverlay(name).filter((doc) => doc.kind === kind);
    expect({ name, kind, count: found.length }).toEqual({ name, kind, count: 1 });
    return found[0];
  };
  const containerOf = (name: string): Json => one(name, 'Deployment').spec.template.spec.containers[0];

  beforeAll(() => {
    if (!KUSTOMIZE.available) return;
    for (const name of [...OVERLAYS, 'monitoring']) rendered.set(name, kustomize(join(K8S_DIR, name)));
    rendered.set('.', kustomize(K8S_DIR));
  });

  describedIt('render every overlay, the whole platform and the monitoring', () => {
    for (const name of OVERLAYS) {
      expect({
        name,
        kinds: ofOverlay(name)
          .map((doc) => doc.kind)
          .sort(),
      }).toEqual({
        name,
        kinds: ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service'],
      });
    }
    const platform = ofOverlay('.');
    expect(
      platform
        .filter((doc) => doc.kind === 'Deployment')
        .map((doc) => doc.metadata.name)
        .sort(),
    ).toEqual(OVERLAYS.map((name) => `${name}-service`).sort());
    const ids = platform.map((doc) => `${doc.kind}/${doc.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      ofOverlay('monitoring')
        .map((doc) => doc.kind)
        .sort(),
    ).toEqual(['PodMonitor', 'PrometheusRule']);
  });

  describedIt('validate against the Kubernetes and prometheus-operator schemas', () => {
    const invalid = [...rendered.values()].flat().flatMap((doc) => {
      const error = schemaError(doc);
      return error === undefined ? [] : [`${doc.kind}/${doc.metadata?.name}: ${error}`];
    });
    expect(invalid).toEqual([]);
  });

  describedIt('(the schema check refuses a wrong field type, a missing required field and an unknown kind)', () => {
    const deployment = structuredClone(one('canvass', 'Deployment'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(schemaError(deployment)).toMatch(/containerPort must be integer/);
    const withoutSelector = structuredClone(one('canvass', 'Deployment'));
    delete withoutSelector.spec.selector;
    expect(schemaError(withoutSelector)).toMatch(/selector/);
    expect(schemaError({ apiVersion: 'example.com/v1', kind: 'Unknown', metadata: { name: 'x' } })).toMatch(/no schema/);
  });

  describedIt('name every resource after its service, in city-ops, with no placeholder of the base left', () => {
    for (const name of OVERLAYS) {
      for (const doc of ofOverlay(name)) {
        expect({ name, kind: doc.kind, resource: doc.metadata.name, namespace: doc.metadata.namespace }).toEqual({
          name,
          kind: doc.kind,
          resource: doc.kind === 'ConfigMap' ? expect.stringMatching(new RegExp(`^${name}-service-[a-z0-9]{10}$`)) : `${name}-service`,
          namespace: NAMESPACE,
        });
        expect(doc.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'city-operations' });
      }
      expect({ name, placeholders: YAML.stringify(ofOverlay(name)).match(/city-service/g) }).toEqual({ name, placeholders: null });
    }
  });

  describedIt('run the pinned image, probed on the management port, with resources, non-root and read-only', () => {
    for (const name of OVERLAYS) {
      const container = containerOf(name);
      const pod = one(name, 'Deployment').spec.template.spec;
      const [image, pin] = String(container.image).split(/[:@](?=[^/]*$)/);
      expect({ name, image, pinned: DIGEST.test(pin ?? '') || VERSION_TAG.test(pin ?? '') }).toEqual({
        name,
        image: expect.stringMatching(new RegExp(`(^|/)city-operations/${name}$`)),
        pinned: true,
      });
      const portNames = (container.ports as Json[]).map((port) => port.name);
      expect({ name, liveness: container.livenessProbe?.httpGet, readiness: container.readinessProbe?.httpGet }).toEqual({
        name,
        liveness: { path: '/health/live', port: 'management' },
        readiness: { path: '/health/ready', port: 'management' },
      });
      expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'management' });
      expect(portNames).toEqual(['http', 'management']);
      expect({ name, requests: container.resources?.requests, limit: container.resources?.limits?.memory }).toEqual({
        name,
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limit: expect.any(String),
      });
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    }
  });

  describedIt(
    'take DATABASE_URL and the Kafka credentials by reference from the Secret named after the service, and verify tokens against the issuers’ keys, never a shared secret',
    () => {
      for (const name of OVERLAYS) {
        const container = containerOf(name);
        const env = Object.fromEntries((container.env as Json[]).map((entry) => [entry.name, entry]));
        for (const key of SECRET_KEYS) {
          expect({ name, key, value: env[key]?.value, secret: env[key]?.valueFrom?.secretKeyRef }).toEqual({
            name,
            key,
            value: undefined,
            secret: { name: `${name}-service`, key },
          });
        }
        expect(Object.keys(one(name, 'ConfigMap').data)).not.toEqual(expect.arrayContaining([expect.stringMatching(/SECRET|PASSWORD|DATABASE_URL/)]));
        expect({ name, sharedSecret: env.JWT_SECRET }).toEqual({ name, sharedSecret: undefined });
        const data = one(name, 'ConfigMap').data;
        expect({ name, deployed: data.NODE_ENV, audience: data.JWT_AUDIENCE, issuers: parseTrustedIssuers(data.JWT_ISSUERS ?? '').ok }).toEqual({
          name,
          deployed: 'production',
          audience: expect.any(String),
          issuers: true,
        });
      }
    },
  );

  describedIt('connect every Kafka client over TLS with SCRAM-SHA-512: complete settings, the CA mounted from the service’s Secret', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'city-kafka-ca-'));
    try {
      const ca = join(scratch, 'ca.crt');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      for (const name of OVERLAYS) {
        const data = one(name, 'ConfigMap').data;
        expect({ name, ssl: data.KAFKA_SSL, mechanism: data.KAFKA_SASL_MECHANISM }).toEqual({ name, ssl: 'true', mechanism: 'scram-sha-512' });
        // The settings the service reads at start, with the Secret's values and the mounted CA: nothing missing.
        const env = { ...data, KAFKA_SASL_USERNAME: name, KAFKA_SASL_PASSWORD: 'from-the-secret', KAFKA_SSL_CA_FILE: ca };
        const checked = checkKafkaSecurity(env);
        expect({ name, problems: checked.ok ? [] : checked.problems }).toEqual({ name, problems: [] });
        const pod = one(name, 'Deployment').spec.template.spec;
        const mount = (containerOf(name).volumeMounts as Json[]).find((m) => data.KAFKA_SSL_CA_FILE?.startsWith(`${m.mountPath}/`));
        const volume = (pod.volumes as Json[]).find((v) => v.name === mount?.name);
        expect({ name, secret: volume?.secret }).toEqual({
          name,
          secret: { secretName: `${name}-service`, items: [{ key: 'kafka-ca.crt', path: relative(mount?.mountPath ?? '/', data.KAFKA_SSL_CA_FILE) }] },
        });
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  describedIt('configure through a generated ConfigMap on the ports the container listens on, so a change rolls the pods', () => {
    for (const name of OVERLAYS) {
      const configMap = one(name, 'ConfigMap');
      const container = containerOf(name);
      expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
      const httpPort = (container.ports as Json[]).find((port) => port.name === 'http')?.containerPort;
      const managementPort = (container.ports as Json[]).find((port) => port.name === 'management')?.containerPort;
      expect({ name, port: Number(configMap.data.PORT), management: Number(configMap.data.MANAGEMENT_PORT) }).toEqual({
        name,
        port: httpPort,
        management: managementPort,
      });
      expect(managementPort).not.toBe(httpPort);
      expect(one(name, 'Deployment').spec.template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(managementPort),
        'prometheus.io/path': '/metrics',
      });
    }
    // Changing one setting of an overlay renames its ConfigMap, and the Deployment's pod template with it.
    const copy = mkdtempSync(join(tmpdir(), 'city-k8s-'));
    try {
      cpSync(K8S_DIR, copy, { recursive: true });
      const file = join(copy, 'canvass', 'kustomization.yaml');
      const kustomization = yamlFile(file);
      const generator = kustomization.configMapGenerator[0];
      generator.literals = [...generator.literals.filter((literal: string) => !literal.startsWith('LOG_LEVEL=')), 'LOG_LEVEL=debug'];
      writeFileSync(file, YAML.stringify(kustomization));
      const changed = kustomize(join(copy, 'canvass'));
      const before = one('canvass', 'ConfigMap').metadata.name;
      const after = changed.find((doc) => doc.kind === 'ConfigMap')!;
      expect(after.data.LOG_LEVEL).toBe('debug');
      expect(after.metadata.name).not.toBe(before);
      expect(changed.find((doc) => doc.kind === 'Deployment')!.spec.template.spec.containers[0].envFrom).toEqual([
        { configMapRef: { name: after.metadata.name } },
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  describedIt("select the service's own pods from its Service, PodDisruptionBudget, autoscaler and NetworkPolicy", () => {
    for (const name of OVERLAYS) {
      const deployment = one(name, 'Deployment');
      const podLabels = deployment.spec.template.metadata.labels;
      expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
      expect(podLabels).toMatchObject(deployment.spec.selector.matchLabels);
      expect(podLabels['app.kubernetes.io/part-of']).toBe('city-operations');
      expect(one(name, 'Service').spec.selector).toEqual(deployment.spec.selector.matchLabels);
      expect(one(name, 'Service').spec.ports.map((port: Json) => port.targetPort)).toEqual(['http']);
      expect(one(name, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      expect(one(name, 'NetworkPolicy').spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      const autoscaler = one(name, 'HorizontalPodAutoscaler').spec;
      expect(autoscaler.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(autoscaler.minReplicas);
      expect(deployment.spec.replicas).toBeLessThanOrEqual(autoscaler.maxReplicas);
      expect(autoscaler.metrics[0].resource).toMatchObject({ name: 'cpu', target: { type: 'Utilization' } });
    }
  });

  describedIt('let a service receive on its API and management ports only and reach DNS, the broker and its stores, nothing else', () => {
    for (const name of OVERLAYS) {
      const policy = one(name, 'NetworkPolicy').spec;
      const config = one(name, 'ConfigMap').data;
      expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.ingress).toEqual([
        {
          ports: [
            { port: 'http', protocol: 'TCP' },
            { port: 'management', protocol: 'TCP' },
          ],
        },
      ]);
      const egress = (policy.egress as Json[]).map((rule) => ({
        namespaces: (rule.to as Json[]).map((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']),
        ports: (rule.ports as Json[]).map((port) => `${port.port}/${port.protocol}`),
      }));
      // The broker's and KurrentDB's namespaces are those of the addresses in the ConfigMap.
      const kafka = /^[^.,]+\.([^.,]+)\.svc[^:,]*:(\d+)/.exec(config.KAFKA_BROKERS);
      const expected = [
        { namespaces: ['kube-system'], ports: ['53/UDP', '53/TCP'] },
        { namespaces: [kafka?.[1]], ports: [`${kafka?.[2]}/TCP`] },
        { namespaces: ['postgres'], ports: ['5432/TCP'] },
      ];
      if (config.EVENT_STORE === 'eventstoredb') {
        const kurrentdb = /^(?:esdb|kurrentdb|kdb):\/\/[^.]+\.([^.]+)\.svc[^:]*:(\d+)/.exec(config.EVENTSTORE_CONNECTION_STRING);
        expected.push({ namespaces: [kurrentdb?.[1]], ports: [`${kurrentdb?.[2]}/TCP`] });
      }
      expect({ name, egress }).toEqual({ name, egress: expected });
    }
    expect(one('canvass', 'ConfigMap').data.EVENT_STORE).toBe('eventstoredb');
    expect(one('operations-center', 'ConfigMap').data.EVENT_STORE).toBeUndefined();
  });

  describedIt('monitor every city pod with the Prometheus Operator: a PodMonitor on the management port and the PrometheusRule', () => {
    const monitor = ofOverlay('monitoring').find((doc) => doc.kind === 'PodMonitor')!;
    expect(monitor.metadata.namespace).toBe(NAMESPACE);
    expect(monitor.spec.namespaceSelector.matchNames).toEqual([NAMESPACE]);
    expect(monitor.spec.jobLabel).toBe('app.kubernetes.io/name');
    expect(monitor.spec.podMetricsEndpoints[0]).toMatchObject({ port: 'management', path: '/metrics' });
    // platform="city", which CityServiceDown and the dashboard select on.
    expect(monitor.spec.podMetricsEndpoints[0].relabelings).toContainEqual({ action: 'replace', targetLabel: 'platform', replacement: 'city' });
    for (const name of OVERLAYS) expect(one(name, 'Deployment').spec.template.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    const rule = ofOverlay('monitoring').find((doc) => doc.kind === 'PrometheusRule')!;
    expect(rule.spec.groups).toEqual(ruleGroups());
  });
});

describe('docker compose stack', () => {
  const compose = yamlFile(COMPOSE_FILE);
  const services = compose.services as Record<string, Json>;
  const cityServices = Object.entries(services).filter(([, service]) => service.build?.args?.SERVICE);

  it('parses, like every YAML under deploy/compose', () => {
    for (const file of filesUnder(join(DEPLOY, 'compose'), isYaml)) expect(yamlDocuments(file).length).toBeGreaterThan(0);
  });

  it('runs KurrentDB, Kafka 4, PostgreSQL 16, Prometheus, Alertmanager, Grafana, canvass and operations-center', () => {
    expect(services.kurrentdb.image).toMatch(/kurrentdb|eventstore/);
    expect(services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services.postgres.image).toMatch(/^postgres:16/);
    expect(services.prometheus.volumes).toEqual(
      expect.arrayContaining(['../prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro', '../prometheus/rules:/etc/prometheus/rules:ro']),
    );
    expect(services.alertmanager.image).toMatch(/^prom\/alertmanager:v0\./);
    expect(services.grafana.volumes).toContain('../grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(cityServices.map(([name]) => name)).toEqual(expect.arrayContaining(['canvass', 'operations-center']));
  });

  it('builds each city service from the one Dockerfile, healthchecked, started after healthy dependencies', () => {
    for (const [name, service] of cityServices) {
      expect(service.build.args.SERVICE).toBe(name);
      expect(existsSync(join(DEPLOY, 'compose', service.build.context, service.build.dockerfile))).toBe(true);
      expect(service.healthcheck.test.join(' ')).toContain("process.env.MANAGEMENT_PORT + '/health/ready'");
      expect(Object.keys(service.depends_on)).toEqual(expect.arrayContaining(['postgres', 'kafka']));
      for (const [dependency, condition] of Object.entries(service.depends_on as Record<string, Json>)) {
        expect({ name, dependency, condition: condition.condition }).toEqual({ name, dependency, condition: 'service_healthy' });
        expect(services[dependency].healthcheck).toBeDefined();
      }
      expect({ name, sharedSecret: 'JWT_SECRET' in service.environment }).toEqual({ name, sharedSecret: false });
      for (const key of ['PORT', 'MANAGEMENT_PORT', 'DATABASE_URL', 'KAFKA_BROKERS', 'JWT_ISSUERS', 'JWT_AUDIENCE', 'LOG_LEVEL']) {
        expect({ name, key, set: key in service.environment }).toEqual({ name, key, set: true });
      }
    }
  });

  it('is scraped by Prometheus: one job per city service, on its MANAGEMENT_PORT', () => {
    const prometheus = yamlFile(join(PROMETHEUS_DIR, 'prometheus.yml'));
    const scraped = new Map<string, string>();
    for (const job of prometheus.scrape_configs as Json[]) {
      for (const staticConfig of job.static_configs ?? []) {
        if (staticConfig.labels?.platform !== 'city') continue;
        for (const target of staticConfig.targets as string[]) scraped.set(job.job_name, target);
      }
    }
    expect([...scraped.keys()].sort()).toEqual(cityServices.map(([name]) => name).sort());
    for (const [name, service] of cityServices) {
      expect(service.environment.MANAGEMENT_PORT).not.toBe(service.environment.PORT);
      expect(scraped.get(name)).toBe(`${name}:${service.environment.MANAGEMENT_PORT}`);
    }
  });

  it('runs every deployable of deploy/k8s, each on its own port, with its own database', () => {
    expect(cityServices.map(([name]) => name).sort()).toEqual(OVERLAYS);
    const ports = cityServices.map(([, service]) => service.environment.PORT);
    expect(new Set(ports).size).toBe(ports.length);
    const databases = readFileSync(join(DEPLOY, 'compose', 'postgres-init', '01-databases.sql'), 'utf8');
    for (const [name, service] of cityServices) {
      // The API port only: /metrics and /docs stay inside the compose network.
      expect(service.ports).toEqual([`127.0.0.1:${service.environment.PORT}:${service.environment.PORT}`]);
      const database = /\/([a-z_]+)$/.exec(service.environment.DATABASE_URL)?.[1];
      expect({ name, created: databases.includes(`\nCREATE DATABASE ${database};`) }).toEqual({ name, created: true });
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(DEPLOY, 'docker', 'Dockerfile'), 'utf8');

  it('builds any service on node:20-bookworm-slim, runs it as non-root with a liveness HEALTHCHECK', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^RUN npm ci /m);
    expect(dockerfile).toContain('bash scripts/build-project.sh "services/${SERVICE}"');
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/health\/live/m);
    expect(dockerfile).toContain('dist/services/${SERVICE}/src/main.js');
    // The entry point the build produces is where scripts/build-project.sh puts it.
    expect(readFileSync(join(ROOT, 'scripts', 'build-project.sh'), 'utf8')).toContain('-d dist');
  });
});
