/**
 * `npx nx g @city/tools:department` run for real, on a copy of this workspace
 * (the files git tracks or would track, node_modules linked): the new
 * department lints, the whole copy type-checks, the department's own tests pass,
 * the contract and deploy tests cover its topic, its Kubernetes overlay (rendered
 * and validated where kubectl is installed) and its compose service, and its
 * operations-center context lints and passes its tests.
 *
 * Slow (nx g, ESLint, a type-check of the workspace and Jest, in child processes):
 * each step has a budget that names what it waits for, sized for a loaded machine.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const NAME = 'sample-relief';
const MINUTE = 60_000;
/** Copying the workspace's files and one `nx g` (Nx builds the project graph of the copy first). */
const GENERATE_BUDGET = 5 * MINUTE;
/** ESLint with the Nx module-boundary rule over the new folders. */
const LINT_BUDGET = 5 * MINUTE;
/** `tsc --noEmit` of the whole workspace copy: about a minute on an idle machine. */
const TYPECHECK_BUDGET = 10 * MINUTE;
/** Jest on the new service, the contract tests and the deploy checks. */
const TEST_BUDGET = 10 * MINUTE;

let copy: string;
/** The department's context in the operations center. */
const OPERATIONS_CONTEXT = `services/operations-center/src/contexts/${NAME}`;

/** Runs in the copy; without colours, so the output can be matched (Nx sets FORCE_COLOR for its tasks). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd: copy,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0', ...env },
  });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Passes when the command exited 0; otherwise shows its output. */
function expectSuccess(result: { status: number | null; output: string }): void {
  expect({ status: result.status, output: result.status === 0 ? '' : result.output }).toEqual({ status: 0, output: '' });
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'city-department-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0')) {
    if (file === '' || file === 'node_modules' || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  expectSuccess(run('npx', ['nx', 'g', '@city/tools:department', NAME, '--no-interactive']));
}, GENERATE_BUDGET);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

it('generates the department on the kit and registers it', () => {
  expect(existsSync(join(copy, `services/${NAME}/src/main.ts`))).toBe(true);
  expect(readFileSync(join(copy, 'contracts/src/topics.ts'), 'utf8')).toContain(`'${NAME}': SAMPLE_RELIEF_TOPIC`);
  expect(readFileSync(join(copy, 'deploy/k8s/kustomization.yaml'), 'utf8')).toMatch(new RegExp(`^ {2}- ${NAME}$`, 'm'));
  // An overlay on the platform's base, not a copy of another department's manifests.
  expect(readFileSync(join(copy, `deploy/k8s/${NAME}/kustomization.yaml`), 'utf8')).toContain('  - ../base\n');
  expect(existsSync(join(copy, `deploy/k8s/${NAME}/deployment.yaml`))).toBe(false);
  expect(readFileSync(join(copy, 'deploy/compose/docker-compose.yml'), 'utf8')).toMatch(new RegExp(`^ {2}${NAME}:$`, 'm'));
});

it(
  'lints',
  () => {
    const folders = [`services/${NAME}`, `contracts/src/${NAME}`, 'contracts/src/topics.ts', 'contracts/src/index.ts', OPERATIONS_CONTEXT];
    expectSuccess(run('npx', ['eslint', '--max-warnings=0', ...folders]));
  },
  LINT_BUDGET,
);

it('type-checks with the rest of the workspace', () => expectSuccess(run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])), TYPECHECK_BUDGET);

it(
  "passes its own tests (decider, HTTP API on PGlite) and its figures' in the operations center, with the contract, deploy and operations-center tests",
  () => {
    const specs = [
      `services/${NAME}`,
      'contracts/src/asyncapi.spec.ts',
      'contracts/src/schema-contracts.spec.ts',
      'deploy/deploy.spec.ts',
      OPERATIONS_CONTEXT,
      // The operations center with the new context in its registry: its sections, OpenAPI and dashboard page.
      'services/operations-center/src/api/operations-center.api.int.spec.ts',
    ];
    const result = run('npx', ['jest', '--ci', '--verbose', ...specs], { NODE_OPTIONS: '--experimental-vm-modules' });
    expectSuccess(result);
    // The runs covered the new department: its decider and API specs, its AsyncAPI document, its schemas and its manifests.
    expect(result.output).toMatch(/PASS .*services\/sample-relief\/src\/domain\/case\.decider\.spec\.ts/);
    expect(result.output).toMatch(/PASS .*services\/sample-relief\/src\/api\/cases\.api\.int\.spec\.ts/);
    expect(result.output).toContain(`AsyncAPI document of ${NAME}.events.v1`);
    expect(result.output).toContain('event schema SampleReliefCaseOpened v1');
    expect(result.output).toMatch(/PASS .*contexts\/sample-relief\/sample-relief\.projection\.spec\.ts/);
    // The deploy checks ran over the copy, whose overlays and compose services now include the department.
    expect(result.output).toMatch(/PASS .*deploy\/deploy\.spec\.ts/);
  },
  TEST_BUDGET,
);
