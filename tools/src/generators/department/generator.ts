import { join } from 'node:path';
import { formatFiles, generateFiles, names, type Tree } from '@nx/devkit';
import { registerDeployment } from './deploy-registration';

export interface DepartmentGeneratorOptions {
  /** Kebab case, e.g. `traveller-health`: service folder, Nx project, stream prefix, topic, k8s folder. */
  readonly name: string;
  /** HTTP port (stack mode, compose); default: one above the highest default port of the services. */
  readonly port?: number;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const K8S = 'deploy/k8s';
const SERVICES = 'services';
const FIRST_PORT = 3001;
/** The image tag of a release when the workspace's package.json has no version. */
const FIRST_VERSION = '0.1.0';
/** The operations center's list of contexts: a department's figures and dashboard panel follow its entry. */
const OPERATIONS_REGISTRY = 'services/operations-center/src/contexts/registry.ts';

/**
 * `npx nx g @city/tools:department <name>`: a new department on the kit, with
 * a sample aggregate (a case, opened and closed) to replace by its own. Writes
 * the service (domain, application, api, module, stack, main, project.json),
 * its contracts topic (AsyncAPI 3, JSON Schemas, TypeScript types), its
 * Kubernetes overlay on the platform's base, its operations-center context
 * (figures of the sample case and a dashboard panel), and registers them where
 * the workspace lists them: the contracts index and TOPICS, tsconfig.base.json,
 * deploy/k8s, the compose stack (service, database, scrape job), the
 * departments whose tokens @city/auth accepts, the operations center's contexts.
 */
export default async function departmentGenerator(tree: Tree, options: DepartmentGeneratorOptions): Promise<void> {
  const { name } = options;
  if (!NAME.test(name)) throw new Error(`A department name is kebab case (e.g. traveller-health), not ${JSON.stringify(name)}`);
  for (const taken of [`services/${name}`, `contracts/src/${name}`, `${K8S}/${name}`]) {
    if (tree.exists(taken)) throw new Error(`${taken} exists already: ${name} is a department of the workspace`);
  }
  const n = names(name);
  const topic = `${name}.events.v1`;
  const substitutions = {
    tmpl: '',
    name,
    topic,
    title: name.charAt(0).toUpperCase() + name.slice(1).replace(/-/g, ' '),
    className: n.className,
    propertyName: n.propertyName,
    constantName: n.constantName,
    databaseName: name.replace(/-/g, '_'),
    port: options.port ?? nextFreePort(tree),
    version: releaseVersion(tree),
    events: [
      { type: `${n.className}CaseOpened`, summary: `A ${name} case was opened in a district.` },
      { type: `${n.className}CaseClosed`, summary: `A ${name} case was closed.` },
    ],
  };
  generateFiles(tree, join(__dirname, 'files'), '.', substitutions);

  insertAfterLast(tree, 'contracts/src/index.ts', /^export \* from '\.\/[^']+';$/, `export * from './${name}';`);
  insertAfterLast(tree, 'contracts/src/topics.ts', /^import .* from '\.\/.*';$/, `import { ${n.constantName}_TOPIC } from './${name}/events';`);
  insertBefore(tree, 'contracts/src/topics.ts', /^} as const;$/, `  '${name}': ${n.constantName}_TOPIC,`);
  addTsconfigPath(tree, `@city/${name}-service`, `services/${name}/src/index.ts`);
  registerDeployment(tree, { name, port: substitutions.port, databaseName: substitutions.databaseName });
  addDepartment(tree, name);
  generateFiles(tree, join(__dirname, 'files-ops'), '.', substitutions);
  addOperationsContext(tree, name, n.className, n.propertyName, substitutions.title);

  if (tree.exists('.prettierrc')) await formatFiles(tree);
}

/** One above the highest default PORT of the services (`PORT = 3001` in services/<name>/src/*-config.ts), so two local services never collide. */
function nextFreePort(tree: Tree): number {
  const ports = tree.exists(SERVICES)
    ? tree
        .children(SERVICES)
        .flatMap((service) => {
          const src = `${SERVICES}/${service}/src`;
          return tree.exists(src)
            ? tree
                .children(src)
                .filter((file) => file.endsWith('-config.ts'))
                .map((file) => `${src}/${file}`)
            : [];
        })
        .map((path) => Number(/\bPORT\s*=\s*(\d+)\s*;/.exec(tree.read(path, 'utf-8') ?? '')?.[1]))
        .filter((port) => Number.isInteger(port))
    : [];
  return ports.length === 0 ? FIRST_PORT : Math.max(...ports) + 1;
}

/** The workspace's version, the image tag the overlay pins (a release replaces it by its own tag or digest). */
function releaseVersion(tree: Tree): string {
  const version = tree.exists('package.json') ? (JSON.parse(tree.read('package.json', 'utf-8') ?? '{}') as { version?: string }).version : undefined;
  return version && version !== '0.0.0' ? version : FIRST_VERSION;
}

function linesOf(tree: Tree, path: string): string[] {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`${path} is missing: the generator registers the department there`);
  return text.split('\n');
}

function insertAfterLast(tree: Tree, path: string, after: RegExp, line: string): void {
  const lines = linesOf(tree, path);
  if (lines.includes(line)) return;
  const at = lines.map((l) => after.test(l)).lastIndexOf(true);
  lines.splice(at + 1, 0, line);
  tree.write(path, lines.join('\n'));
}

function insertBefore(tree: Tree, path: string, before: RegExp, line: string): void {
  const lines = linesOf(tree, path);
  if (lines.includes(line)) return;
  const at = lines.findIndex((l) => before.test(l));
  if (at < 0) throw new Error(`${path}: no line matching ${before} to insert ${line.trim()} before`);
  lines.splice(at, 0, line);
  tree.write(path, lines.join('\n'));
}

/** A path entry in tsconfig.base.json, written as a line of its own so the file keeps its one-line entries. */
function addTsconfigPath(tree: Tree, alias: string, target: string): void {
  const path = 'tsconfig.base.json';
  const paths = (JSON.parse(tree.read(path, 'utf-8') ?? '{}') as { compilerOptions?: { paths?: Record<string, string[]> } }).compilerOptions?.paths ?? {};
  if (alias in paths) return;
  insertAfterLast(tree, path, /^\s*"@city\/[^"]+-service": \[/, `      "${alias}": ["${target}"],`);
}

/** The department among those whose tokens @city/auth accepts (`DEPARTMENTS`), wherever in libs/auth the list lives. */
function addDepartment(tree: Tree, name: string): void {
  const list = /export const DEPARTMENTS = \[([^\]]*)\] as const;/;
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const child of tree.children(dir)) {
      const path = `${dir}/${child}`;
      if (tree.isFile(path)) files.push(path);
      else walk(path);
    }
  };
  walk('libs/auth/src');
  const path = files.find((file) => file.endsWith('.ts') && list.test(tree.read(file, 'utf-8') ?? ''));
  if (path === undefined) throw new Error('libs/auth/src has no `export const DEPARTMENTS = [...] as const;` to add the department to');
  const text = tree.read(path, 'utf-8') ?? '';
  const departments = [...(list.exec(text)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
  if (departments.includes(name)) return;
  tree.write(path, text.replace(list, `export const DEPARTMENTS = [${[...departments, name].map((d) => `'${d}'`).join(', ')}] as const;`));
}

/** The department's entry in the operations center's registry of contexts (its module, OpenAPI, rebuild CLI and dashboard follow it). */
function addOperationsContext(tree: Tree, name: string, className: string, propertyName: string, title: string): void {
  const path = OPERATIONS_REGISTRY;
  insertAfterLast(
    tree,
    path,
    /^import .* from '\.\/.*';$/,
    `import { ${className}DayFiguresDto, ${className}FiguresDto } from './${name}/${name}-figures.dto';`,
  );
  insertAfterLast(tree, path, /^import .* from '\.\/.*';$/, `import { ${propertyName}ReadModel } from './${name}/${name}-read-model';`);
  const lines = linesOf(tree, path);
  const start = lines.findIndex((l) => l.startsWith('export const OPERATIONS_CONTEXTS'));
  const end = lines.findIndex((l, i) => i > start && l === '];');
  if (start < 0 || end < 0) throw new Error(`${path}: no \`export const OPERATIONS_CONTEXTS = [ ... ];\` to add the context to`);
  lines.splice(
    end,
    0,
    '  {',
    `    key: '${propertyName}',`,
    `    readModel: ${propertyName}ReadModel,`,
    `    openApi: { description: '${title} figures.', figures: ${className}FiguresDto, dayFigures: ${className}DayFiguresDto },`,
    '  },',
  );
  tree.write(path, lines.join('\n'));
}
