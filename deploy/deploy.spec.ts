/**
 * Checks of the "deployed" run mode files (deploy/docker, compose, k8s, prometheus,
 * grafana) that need no Docker engine and no cluster:
 * - promtool validates the Prometheus configuration and rules and runs the rule unit tests;
 * - every Kubernetes and compose YAML parses, and the manifests hang together
 *   (probes, resource requests, secrets, selectors, ports, kustomizations);
 * - the Grafana dashboard and every rule expression use only documented metric
 *   names, and those are exactly the names @city/observability registers, so a
 *   renamed metric fails here instead of silently emptying a panel or an alert.
 * promtool comes from Debian's `prometheus` package (CI installs it, see .ci/run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import * as YAML from 'yaml';
import { CityMetrics, createServiceRegistry, HttpMetrics } from '@city/observability';

const ROOT = join(__dirname, '..');
const DEPLOY = __dirname;
const PROMETHEUS_DIR = join(DEPLOY, 'prometheus');
const RULES_FILE = join(PROMETHEUS_DIR, 'rules', 'city.rules.yml');
const RULES_TEST_FILE = join(PROMETHEUS_DIR, 'rules', 'city.rules.test.yml');
const DASHBOARD_FILE = join(DEPLOY, 'grafana', 'dashboards', 'city-operations.json');
const COMPOSE_FILE = join(DEPLOY, 'compose', 'docker-compose.yml');
const K8S_DIR = join(DEPLOY, 'k8s');
const NAMESPACE = 'city-ops';

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
    new CityMetrics(registry);
    new HttpMetrics(registry);
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

  it('alert on what SREs need, each with severity, summary, description and a runbook section', () => {
    const alerts = rules().filter((rule) => rule.alert);
    expect(alerts.map((rule) => rule.alert)).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
    const readme = readFileSync(join(DEPLOY, 'README.md'), 'utf8');
    for (const alert of alerts) {
      expect({ alert: alert.alert, severity: alert.labels?.severity }).toEqual({
        alert: alert.alert,
        severity: expect.stringMatching(/^(critical|warning|info)$/),
      });
      expect(Object.keys(alert.annotations ?? {}).sort()).toEqual(['description', 'runbook', 'summary']);
      expect(alert.annotations?.runbook).toBe(`deploy/README.md#${alert.alert!.toLowerCase()}`);
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

describe('Kubernetes manifests', () => {
  const serviceDirs = readdirSync(K8S_DIR)
    .map((entry) => join(K8S_DIR, entry))
    .filter((path) => statSync(path).isDirectory());
  const documents = filesUnder(K8S_DIR, isYaml).flatMap((file) => yamlDocuments(file).map((doc) => ({ file, doc })));
  const deployments = documents.filter(({ doc }) => doc.kind === 'Deployment');

  it('parse, one folder per deployable with a Deployment each', () => {
    expect(serviceDirs.map((dir) => basename(dir))).toEqual(expect.arrayContaining(['canvass', 'operations-center']));
    expect(deployments.map(({ file }) => basename(dirname(file))).sort()).toEqual(serviceDirs.map((dir) => basename(dir)).sort());
  });

  it('give every container liveness and readiness probes and resource requests', () => {
    expect(deployments.length).toBeGreaterThan(0);
    for (const { doc } of deployments) {
      for (const container of doc.spec.template.spec.containers as Json[]) {
        const where = `${doc.metadata.name}/${container.name}`;
        const portNames = (container.ports as Json[]).map((port) => port.name);
        expect({ where, liveness: container.livenessProbe?.httpGet?.path, readiness: container.readinessProbe?.httpGet?.path }).toEqual({
          where,
          liveness: '/health/live',
          readiness: '/health/ready',
        });
        expect(portNames).toContain(container.livenessProbe.httpGet.port);
        expect(portNames).toContain(container.readinessProbe.httpGet.port);
        expect({ where, requests: container.resources?.requests }).toEqual({
          where,
          requests: { cpu: expect.any(String), memory: expect.any(String) },
        });
        expect(container.resources?.limits?.memory).toEqual(expect.any(String));
      }
    }
  });

  it('take JWT_SECRET and DATABASE_URL from Secrets, never from literals or ConfigMaps', () => {
    for (const { doc } of deployments) {
      const [container] = doc.spec.template.spec.containers as Json[];
      const env = Object.fromEntries((container.env as Json[]).map((entry) => [entry.name, entry]));
      for (const name of ['JWT_SECRET', 'DATABASE_URL']) {
        expect({ name, value: env[name]?.value, secret: env[name]?.valueFrom?.secretKeyRef?.key }).toEqual({ name, value: undefined, secret: name });
      }
    }
    const configMaps = documents.filter(({ doc }) => doc.kind === 'ConfigMap');
    for (const { doc } of configMaps) {
      expect(Object.keys(doc.data)).not.toEqual(expect.arrayContaining(['JWT_SECRET']));
      expect(Object.keys(doc.data)).not.toEqual(expect.arrayContaining(['DATABASE_URL']));
    }
  });

  it('wire each folder together: selectors, ports, ConfigMap, Service, PDB, scrape annotations', () => {
    for (const dir of serviceDirs) {
      const name = basename(dir);
      const inDir = documents.filter(({ file }) => dirname(file) === dir).map(({ doc }) => doc);
      const byKind = (kind: string): Json => {
        const found = inDir.filter((doc) => doc.kind === kind);
        expect({ name, kind, count: found.length }).toEqual({ name, kind, count: 1 });
        return found[0];
      };
      const deployment = byKind('Deployment');
      const template = deployment.spec.template;
      const podLabels = template.metadata.labels;
      const [container] = template.spec.containers as Json[];
      const httpPort = (container.ports as Json[]).find((port) => port.name === 'http')?.containerPort;

      expect(podLabels).toMatchObject(deployment.spec.selector.matchLabels);
      expect(podLabels['app.kubernetes.io/name']).toBe(name);
      const configMap = byKind('ConfigMap');
      expect(container.envFrom).toContainEqual({ configMapRef: { name: configMap.metadata.name } });
      expect(Number(configMap.data.PORT)).toBe(httpPort);
      const service = byKind('Service');
      expect(podLabels).toMatchObject(service.spec.selector);
      expect(service.spec.ports.map((port: Json) => port.targetPort)).toContain('http');
      expect(podLabels).toMatchObject(byKind('PodDisruptionBudget').spec.selector.matchLabels);
      expect(template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(httpPort),
        'prometheus.io/path': '/metrics',
      });
      expect(template.spec.securityContext.runAsNonRoot).toBe(true);
    }
  });

  it('list every manifest in a kustomization with namespace city-ops, combined at deploy/k8s', () => {
    const top = yamlFile(join(K8S_DIR, 'kustomization.yaml'));
    expect(top.resources).toEqual(expect.arrayContaining(serviceDirs.map((dir) => basename(dir))));
    for (const resource of top.resources as string[]) expect(existsSync(join(K8S_DIR, resource))).toBe(true);
    const namespace = yamlFile(join(K8S_DIR, 'namespace.yaml'));
    expect(namespace).toMatchObject({ kind: 'Namespace', metadata: { name: NAMESPACE } });
    for (const dir of serviceDirs) {
      const kustomization = yamlFile(join(dir, 'kustomization.yaml'));
      expect(kustomization.namespace).toBe(NAMESPACE);
      const manifests = readdirSync(dir).filter((file) => isYaml(file) && file !== 'kustomization.yaml');
      expect([...kustomization.resources].sort()).toEqual(manifests.sort());
    }
  });

  const kubectl = hasCommand('kubectl');
  (kubectl ? it : it.skip)(`build with kustomize (kubectl kustomize)${kubectl ? '' : ' — SKIPPED: kubectl not installed'}`, () => {
    const { status, output } = run('kubectl', ['kustomize', 'deploy/k8s']);
    expect({ status, output: status === 0 ? '' : output }).toEqual({ status: 0, output: '' });
    const built = YAML.parseAllDocuments(output).map((document) => document.toJSON() as Json);
    const namespaced = built.filter((doc) => doc.kind !== 'Namespace');
    for (const doc of namespaced)
      expect({ name: doc.metadata.name, namespace: doc.metadata.namespace }).toEqual({ name: doc.metadata.name, namespace: NAMESPACE });
    const builtDeployments = built.filter((doc) => doc.kind === 'Deployment');
    expect(builtDeployments.map((doc) => doc.metadata.name).sort()).toEqual(serviceDirs.map((dir) => basename(dir)).sort());
    for (const doc of builtDeployments) {
      expect(doc.spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('city-operations');
      expect(doc.spec.template.spec.containers[0].image).toMatch(/^city-operations\/[a-z-]+:.+$/);
    }
  });
});

describe('docker compose stack', () => {
  const compose = yamlFile(COMPOSE_FILE);
  const services = compose.services as Record<string, Json>;
  const cityServices = Object.entries(services).filter(([, service]) => service.build?.args?.SERVICE);

  it('parses, like every YAML under deploy/compose', () => {
    for (const file of filesUnder(join(DEPLOY, 'compose'), isYaml)) expect(yamlDocuments(file).length).toBeGreaterThan(0);
  });

  it('runs KurrentDB, Kafka 4, PostgreSQL 16, Prometheus, Grafana, canvass and operations-center', () => {
    expect(services.kurrentdb.image).toMatch(/kurrentdb|eventstore/);
    expect(services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services.postgres.image).toMatch(/^postgres:16/);
    expect(services.prometheus.volumes).toEqual(
      expect.arrayContaining(['../prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro', '../prometheus/rules:/etc/prometheus/rules:ro']),
    );
    expect(services.grafana.volumes).toContain('../grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(cityServices.map(([name]) => name)).toEqual(expect.arrayContaining(['canvass', 'operations-center']));
  });

  it('builds each city service from the one Dockerfile, healthchecked, started after healthy dependencies', () => {
    for (const [name, service] of cityServices) {
      expect(service.build.args.SERVICE).toBe(name);
      expect(existsSync(join(DEPLOY, 'compose', service.build.context, service.build.dockerfile))).toBe(true);
      expect(service.healthcheck.test.join(' ')).toContain('/health/ready');
      expect(Object.keys(service.depends_on)).toEqual(expect.arrayContaining(['postgres', 'kafka']));
      for (const [dependency, condition] of Object.entries(service.depends_on as Record<string, Json>)) {
        expect({ name, dependency, condition: condition.condition }).toEqual({ name, dependency, condition: 'service_healthy' });
        expect(services[dependency].healthcheck).toBeDefined();
      }
      for (const key of ['PORT', 'DATABASE_URL', 'KAFKA_BROKERS', 'JWT_SECRET', 'LOG_LEVEL']) {
        expect({ name, key, set: key in service.environment }).toEqual({ name, key, set: true });
      }
    }
  });

  it('is scraped by Prometheus: one job per city service, on its PORT', () => {
    const prometheus = yamlFile(join(PROMETHEUS_DIR, 'prometheus.yml'));
    const scraped = new Map<string, string>();
    for (const job of prometheus.scrape_configs as Json[]) {
      for (const staticConfig of job.static_configs ?? []) {
        if (staticConfig.labels?.platform !== 'city') continue;
        for (const target of staticConfig.targets as string[]) scraped.set(job.job_name, target);
      }
    }
    expect([...scraped.keys()].sort()).toEqual(cityServices.map(([name]) => name).sort());
    for (const [name, service] of cityServices) expect(scraped.get(name)).toBe(`${name}:${service.environment.PORT}`);
  });

  it('uses the same ports as the Kubernetes manifests', () => {
    for (const [name, service] of cityServices) {
      const configMap = yamlFile(join(K8S_DIR, name, 'configmap.yaml'));
      expect({ name, port: configMap.data.PORT }).toEqual({ name, port: service.environment.PORT });
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
