import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import * as YAML from 'yaml';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import departmentGenerator from './generator';

/**
 * The generator's file plan on a virtual tree holding the workspace's own files
 * where a department is registered (read from this checkout, so the test fails
 * when one of them changes shape). That the output lints, type-checks and
 * passes its tests is shown by department.int.spec.ts on a copy of the workspace.
 */
const ROOT = join(__dirname, '..', '..', '..', '..');
const REGISTRATION_FILES = [
  'contracts/src/index.ts',
  'contracts/src/topics.ts',
  'tsconfig.base.json',
  'package.json',
  'deploy/k8s/kustomization.yaml',
  'deploy/compose/docker-compose.yml',
  'deploy/compose/postgres-init/01-databases.sql',
  'deploy/prometheus/prometheus.yml',
  'services/canvass/src/canvass-config.ts',
  'services/operations-center/src/operations-center-config.ts',
  'libs/auth/src/access/actor.ts',
];
/** Where the operations center lists its contexts. */
const OPERATIONS_REGISTRY = 'services/operations-center/src/contexts/registry.ts';
REGISTRATION_FILES.push(OPERATIONS_REGISTRY);

function workspaceTree(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  // The workspace's Prettier settings (if it has them) instead of the empty workspace's: the generator formats with them.
  tree.delete('.prettierrc');
  for (const path of [...REGISTRATION_FILES, '.prettierrc']) if (existsSync(join(ROOT, path))) tree.write(path, readFileSync(join(ROOT, path), 'utf8'));
  return tree;
}

const created = (tree: Tree) =>
  tree
    .listChanges()
    .filter((c) => c.type === 'CREATE' && !REGISTRATION_FILES.includes(c.path) && /^(contracts|services|deploy)\//.test(c.path))
    .map((c) => c.path)
    .sort();

describe('department generator', () => {
  let tree: Tree;

  beforeEach(async () => {
    tree = workspaceTree();
    await departmentGenerator(tree, { name: 'sample-relief' });
  });

  it('writes the service, its contracts topic and its Kubernetes overlay', () => {
    expect(created(tree)).toEqual(
      [
        'contracts/src/sample-relief/events.ts',
        'contracts/src/sample-relief/index.ts',
        'contracts/topics/sample-relief.events.v1/asyncapi.yaml',
        'contracts/topics/sample-relief.events.v1/key.schema.json',
        'contracts/topics/sample-relief.events.v1/schemas/SampleReliefCaseClosed.v1.schema.json',
        'contracts/topics/sample-relief.events.v1/schemas/SampleReliefCaseOpened.v1.schema.json',
        'deploy/k8s/sample-relief/kustomization.yaml',
        'services/sample-relief/README.md',
        'services/sample-relief/project.json',
        'services/sample-relief/src/api/cases.api.int.spec.ts',
        'services/sample-relief/src/api/cases.controller.ts',
        'services/sample-relief/src/api/dto/case.dto.ts',
        'services/sample-relief/src/application/case-commands.ts',
        'services/sample-relief/src/application/case-queries.ts',
        'services/sample-relief/src/domain/access-policy.ts',
        'services/sample-relief/src/domain/case.decider.spec.ts',
        'services/sample-relief/src/domain/case.decider.ts',
        'services/sample-relief/src/domain/command-context.ts',
        'services/sample-relief/src/domain/index.ts',
        'services/sample-relief/src/domain/rules.ts',
        'services/sample-relief/src/index.ts',
        'services/sample-relief/src/main.ts',
        'services/sample-relief/src/sample-relief-app.ts',
        'services/sample-relief/src/sample-relief-config.ts',
        'services/sample-relief/src/sample-relief-stack.ts',
        'services/sample-relief/src/sample-relief.module.ts',
        'services/operations-center/src/contexts/sample-relief/sample-relief-figures.dto.ts',
        'services/operations-center/src/contexts/sample-relief/sample-relief-figures.ts',
        'services/operations-center/src/contexts/sample-relief/sample-relief-read-model.ts',
        'services/operations-center/src/contexts/sample-relief/sample-relief.projection.spec.ts',
        'services/operations-center/src/contexts/sample-relief/sample-relief.projection.ts',
        'services/operations-center/src/web/assets/js/panels/sample-relief.js',
      ].sort(),
    );
  });

  it('leaves no template syntax or placeholder behind', () => {
    for (const path of created(tree)) {
      const text = tree.read(path, 'utf-8') ?? '';
      expect({ path, leftovers: text.match(/<%|%>|__name__|__className__|__tmpl__/g) }).toEqual({ path, leftovers: null });
    }
  });

  it('names the types, streams and topic after the department', () => {
    const events = tree.read('contracts/src/sample-relief/events.ts', 'utf-8');
    expect(events).toContain("export const SAMPLE_RELIEF_TOPIC = 'sample-relief.events.v1';");
    expect(events).toContain('case: (caseId: string): string => `${SAMPLE_RELIEF_STREAM_PREFIX}case-${caseId}`');
    expect(tree.read('services/sample-relief/src/sample-relief-stack.ts', 'utf-8')).toContain('export function startSampleReliefStack(');
    expect(JSON.parse(tree.read('services/sample-relief/project.json', 'utf-8') ?? '')).toMatchObject({
      name: 'sample-relief',
      projectType: 'application',
      tags: ['type:service', 'scope:sample-relief'],
      targets: { serve: expect.any(Object), build: expect.any(Object), lint: expect.any(Object), test: expect.any(Object) },
    });
  });

  it('registers the department where the workspace lists departments', () => {
    expect(tree.read('contracts/src/index.ts', 'utf-8')).toContain("export * from './sample-relief';");
    expect(tree.read('contracts/src/topics.ts', 'utf-8')).toMatch(/TOPICS = \{[^}]*'sample-relief': SAMPLE_RELIEF_TOPIC,\n\} as const;/);
    const paths = JSON.parse(tree.read('tsconfig.base.json', 'utf-8') ?? '').compilerOptions.paths;
    expect(paths['@city/sample-relief-service']).toEqual(['services/sample-relief/src/index.ts']);
    expect(tree.read('deploy/k8s/kustomization.yaml', 'utf-8')).toMatch(/^ {2}- sample-relief$/m);
    expect(tree.read('libs/auth/src/access/actor.ts', 'utf-8')).toMatch(/DEPARTMENTS = \[[^\]]*'sample-relief'\] as const;/);
    expect(tree.read(OPERATIONS_REGISTRY, 'utf-8')).toMatch(/OPERATIONS_CONTEXTS[^;]*key: 'sampleRelief',\n {4}readModel: sampleReliefReadModel,/);
  });

  it('gives it a Kubernetes overlay on the base: its name, label, pinned image and KurrentDB, nothing copied', () => {
    const overlay = YAML.parse(tree.read('deploy/k8s/sample-relief/kustomization.yaml', 'utf-8') ?? '');
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(overlay).toMatchObject({
      resources: ['../base'],
      namePrefix: 'sample-relief-',
      components: ['../components/eventstoredb'],
      labels: [{ pairs: { 'app.kubernetes.io/name': 'sample-relief' }, includeSelectors: true }],
      images: [{ name: 'city-operations/city-service', newName: 'city-operations/sample-relief', newTag: version }],
    });
    expect(version).not.toBe('latest');
    // The same overlay as canvass', the model department, but for the names.
    const canvass = readFileSync(join(ROOT, 'deploy/k8s/canvass/kustomization.yaml'), 'utf8');
    expect(tree.read('deploy/k8s/sample-relief/kustomization.yaml', 'utf-8')?.replace(/sample-relief/g, 'canvass')).toBe(canvass);
  });

  it('takes the port one above the highest default port of the services, in its config and its compose service', () => {
    const ports = REGISTRATION_FILES.filter((p) => p.endsWith('-config.ts')).map((p) => Number(/PORT = (\d+);/.exec(tree.read(p, 'utf-8') ?? '')?.[1]));
    const port = Math.max(...ports) + 1;
    expect(ports.every((p) => Number.isInteger(p))).toBe(true);
    expect(tree.read('services/sample-relief/src/sample-relief-config.ts', 'utf-8')).toContain(`override PORT = ${port};`);
    const compose = YAML.parse(tree.read('deploy/compose/docker-compose.yml', 'utf-8') ?? '', { merge: true });
    expect(compose.services['sample-relief'].environment.PORT).toBe(String(port));
  });

  it('runs it in the compose stack with its database, scraped by the compose Prometheus', () => {
    const compose = YAML.parse(tree.read('deploy/compose/docker-compose.yml', 'utf-8') ?? '', { merge: true });
    const canvass = compose.services.canvass;
    const service = compose.services['sample-relief'];
    expect(service).toMatchObject({
      build: { ...canvass.build, args: { SERVICE: 'sample-relief' } },
      healthcheck: canvass.healthcheck,
      depends_on: canvass.depends_on,
      environment: { DATABASE_URL: expect.stringMatching(/@postgres:5432\/sample_relief$/), EVENT_STORE: 'eventstoredb' },
    });
    expect(tree.read('deploy/compose/postgres-init/01-databases.sql', 'utf-8')).toMatch(/^CREATE DATABASE sample_relief;$/m);
    const prometheus = YAML.parse(tree.read('deploy/prometheus/prometheus.yml', 'utf-8') ?? '');
    expect(prometheus.scrape_configs).toContainEqual({
      job_name: 'sample-relief',
      metrics_path: '/metrics',
      static_configs: [{ targets: [`sample-relief:${service.environment.MANAGEMENT_PORT}`], labels: { platform: 'city' } }],
    });
  });

  it('refuses a department that exists, and a name that is not kebab case', async () => {
    await expect(departmentGenerator(tree, { name: 'sample-relief' })).rejects.toThrow(/exists already/);
    await expect(departmentGenerator(workspaceTree(), { name: 'Sample Relief' })).rejects.toThrow(/kebab case/);
  });

  it('replaces the planned line of a department that was announced, and lists it once among the departments', async () => {
    const planned = workspaceTree();
    planned.write('deploy/k8s/kustomization.yaml', `${planned.read('deploy/k8s/kustomization.yaml', 'utf-8')}  # - health-desk\n`);
    await departmentGenerator(planned, { name: 'health-desk', port: 3100 });
    await departmentGenerator(planned, { name: 'canvass-two', port: 3101 });
    const kustomization = planned.read('deploy/k8s/kustomization.yaml', 'utf-8') ?? '';
    expect(kustomization).not.toContain('# - health-desk');
    expect(kustomization.match(/^ {2}- health-desk$/gm)).toHaveLength(1);
    expect(planned.read('services/health-desk/src/health-desk-config.ts', 'utf-8')).toContain('override PORT = 3100;');
    const auth = planned.read('libs/auth/src/access/actor.ts', 'utf-8') ?? '';
    expect(auth.match(/'health-desk'/g)).toHaveLength(1);
  });

  it('takes the planned compose slot, database line and scrape job of an announced department', async () => {
    const planned = workspaceTree();
    // Announce health-desk as the deploy files do for a department still to come (deploy/README.md).
    const compose = planned.read('deploy/compose/docker-compose.yml', 'utf-8') ?? '';
    planned.write(
      'deploy/compose/docker-compose.yml',
      compose.replace(/^volumes:$/m, "  # health-desk:\n  #   <<: *city-service\n  #   environment:\n  #     PORT: '3002'\n\nvolumes:"),
    );
    planned.write(
      'deploy/compose/postgres-init/01-databases.sql',
      `${planned.read('deploy/compose/postgres-init/01-databases.sql', 'utf-8')}-- CREATE DATABASE health_desk;\n`,
    );
    planned.write(
      'deploy/prometheus/prometheus.yml',
      `${planned.read('deploy/prometheus/prometheus.yml', 'utf-8')}  # - job_name: health-desk\n  #   static_configs:\n  #     - targets: ['health-desk:3002']\n`,
    );
    await departmentGenerator(planned, { name: 'health-desk', port: 3104 });
    const composeText = planned.read('deploy/compose/docker-compose.yml', 'utf-8') ?? '';
    expect(composeText).not.toMatch(/^ {2}# health-desk:/m);
    expect(composeText).not.toContain("#     PORT: '3002'");
    const parsed = YAML.parse(composeText, { merge: true });
    expect(parsed.services['traveller-health'].environment.PORT).toBe('3002'); // a department already there stays as it was
    expect(parsed.services['health-desk'].environment.PORT).toBe('3104');
    const databases = planned.read('deploy/compose/postgres-init/01-databases.sql', 'utf-8') ?? '';
    expect(databases).toMatch(/^CREATE DATABASE health_desk;$/m);
    expect(databases).not.toContain('-- CREATE DATABASE health_desk;');
    const prometheus = planned.read('deploy/prometheus/prometheus.yml', 'utf-8') ?? '';
    expect(prometheus).not.toContain('# - job_name: health-desk');
    expect(prometheus.match(/job_name: health-desk$/gm)).toHaveLength(1);
    expect(YAML.parse(prometheus).scrape_configs.map((job: { job_name: string }) => job.job_name)).toContain('health-desk');
  });
});
