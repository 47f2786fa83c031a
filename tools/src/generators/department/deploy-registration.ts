import type { Tree } from '@nx/devkit';

/**
 * Where a new department joins the deployed mode besides its overlay (deploy/k8s/<name>):
 * the platform's kustomization, the compose stack (its service, its database) and the compose
 * Prometheus' scrape jobs. A department announced there as a commented "planned" slot takes
 * that slot's place.
 */
export interface DeployedDepartment {
  readonly name: string;
  readonly port: number;
  readonly databaseName: string;
}

const K8S_KUSTOMIZATION = 'deploy/k8s/kustomization.yaml';
const COMPOSE = 'deploy/compose/docker-compose.yml';
const DATABASES = 'deploy/compose/postgres-init/01-databases.sql';
const PROMETHEUS = 'deploy/prometheus/prometheus.yml';
/** MANAGEMENT_PORT of compose's x-city-env: every city container serves /metrics there. */
const COMPOSE_MANAGEMENT_PORT = 9464;

export function registerDeployment(tree: Tree, department: DeployedDepartment): void {
  addKustomizationResource(tree, department.name);
  if (tree.exists(COMPOSE)) addComposeService(tree, department);
  if (tree.exists(DATABASES)) addDatabase(tree, department.databaseName);
  if (tree.exists(PROMETHEUS)) addScrapeJob(tree, department);
}

function linesOf(tree: Tree, path: string): string[] {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`${path} is missing: the generator registers the department there`);
  return text.split('\n');
}

/** Removes the commented block that starts at `first` (its lines indented deeper, up to a line that is not). */
function withoutPlannedBlock(lines: string[], first: string, indent: string): string[] {
  const at = lines.findIndex((line) => line === first);
  if (at < 0) return lines;
  let end = at + 1;
  while (end < lines.length && lines[end].startsWith(indent)) end++;
  return [...lines.slice(0, at), ...lines.slice(end)];
}

/** The department's overlay in the platform's kustomization, in place of its "planned" comment if there is one. */
function addKustomizationResource(tree: Tree, name: string): void {
  const lines = linesOf(tree, K8S_KUSTOMIZATION).filter((line) => line.trim() !== `# - ${name}`);
  if (!lines.includes(`  - ${name}`)) lines.splice(lines.map((l) => /^ {2}- \S/.test(l)).lastIndexOf(true) + 1, 0, `  - ${name}`);
  tree.write(K8S_KUSTOMIZATION, lines.join('\n'));
}

/** The department's compose service, shaped like canvass, after the last city service. */
function addComposeService(tree: Tree, { name, port, databaseName }: DeployedDepartment): void {
  let lines = linesOf(tree, COMPOSE);
  if (lines.includes(`  ${name}:`)) return;
  lines = withoutPlannedBlock(lines, `  # ${name}:`, '  #   ');
  const block = [
    `  ${name}:`,
    '    <<: *city-service',
    `    image: city-operations/${name}:\${CITY_TAG:-dev}`,
    '    build:',
    '      context: ../..',
    '      dockerfile: deploy/docker/Dockerfile',
    `      args: { SERVICE: ${name} }`,
    '    environment:',
    '      <<: *city-env',
    `      PORT: '${port}'`,
    `      DATABASE_URL: postgres://city:\${POSTGRES_PASSWORD:-city}@postgres:5432/${databaseName}`,
    '      EVENT_STORE: eventstoredb',
    '      EVENTSTORE_CONNECTION_STRING: esdb://kurrentdb:2113?tls=false',
    `    ports: ['127.0.0.1:${port}:${port}']`,
    '    depends_on:',
    '      postgres: { condition: service_healthy }',
    '      kafka: { condition: service_healthy }',
    '      kurrentdb: { condition: service_healthy }',
    '',
  ];
  // Before the planned slots if the file has them, else before the top-level volumes.
  let at = lines.findIndex((line) => /^ {2}# -+ planned departments/.test(line));
  if (at < 0) at = lines.findIndex((line) => line === 'volumes:');
  if (at < 0) throw new Error(`${COMPOSE}: no "planned departments" comment or top-level volumes: to add ${name} before`);
  lines.splice(at, 0, ...block);
  tree.write(COMPOSE, lines.join('\n'));
}

/** `CREATE DATABASE <name>;` for the compose PostgreSQL, uncommenting the planned line if there is one. */
function addDatabase(tree: Tree, databaseName: string): void {
  const statement = `CREATE DATABASE ${databaseName};`;
  const lines = linesOf(tree, DATABASES).filter((line) => line.trim() !== `-- ${statement}`);
  if (!lines.includes(statement)) lines.splice(lines.map((l) => l.startsWith('CREATE DATABASE ')).lastIndexOf(true) + 1, 0, statement);
  tree.write(DATABASES, lines.join('\n'));
}

/** The compose Prometheus' job for the service (platform="city"), in place of its planned comment. */
function addScrapeJob(tree: Tree, { name }: DeployedDepartment): void {
  let lines = linesOf(tree, PROMETHEUS);
  if (lines.includes(`  - job_name: ${name}`)) return;
  lines = withoutPlannedBlock(lines, `  # - job_name: ${name}`, '  #   ');
  const job = [
    `  - job_name: ${name}`,
    '    metrics_path: /metrics',
    '    static_configs:',
    // The management port (x-city-env's MANAGEMENT_PORT), where /metrics is served; the same in every container.
    `      - targets: ['${name}:${COMPOSE_MANAGEMENT_PORT}']`,
    '        labels: { platform: city }',
    '',
  ];
  let at = lines.findIndex((line) => /^ {2}# Planned departments/.test(line));
  if (at < 0) {
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    lines.push('');
    at = lines.length;
  }
  lines.splice(at, 0, ...job);
  tree.write(PROMETHEUS, lines.join('\n'));
}
