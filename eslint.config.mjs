import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier/flat';

/**
 * Module boundaries (ARCHITECTURE.md, layout):
 * - contracts are a leaf: schemas, AsyncAPI, reference data and types, importing no lib;
 * - a service never imports another service; it may import contracts and libs;
 * - libs hold no service logic and import only libs and contracts;
 * - domain code (services/<name>/src/domain) imports no framework and no I/O library.
 */
const FRAMEWORK_IMPORTS = [
  '@nestjs/*',
  'express',
  'pg',
  'kafkajs',
  '@electric-sql/*',
  '@eventstore/*',
  'prom-client',
  'pino',
  'nestjs-pino',
  'class-validator',
  'class-transformer',
];

const config = [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'deploy/local/.cache', 'deploy/local/.data', 'data', 'test-output', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
            { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:service', 'type:lib', 'type:contracts'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:service', 'type:lib', 'type:contracts', 'type:composition'] },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:service', 'type:lib', 'type:contracts', 'type:composition'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests and benchmarks may use `any` where a library's test API forces it; domain code may not.
    files: ['**/*.spec.ts', 'bench/**/*.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['services/*/src/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: FRAMEWORK_IMPORTS, message: 'Domain code is pure: no framework or I/O imports.' }],
          // The root of @city/auth brings NestJS along; its access model has an entry point without it.
          paths: [{ name: '@city/auth', message: 'Domain code imports the access model from @city/auth/access (no framework).' }],
        },
      ],
    },
  },
  // Last, so that no rule above reports what Prettier decides (layout is `npm run format`'s job).
  // Nx's flat/typescript adds it too, but only when it finds the package installed.
  prettier,
];

/**
 * The deployable services are Nx applications (they have a `serve` target), and Nx forbids importing
 * an application anywhere. The embedded city, the end-to-end tests and the benchmarks exist to run
 * those services in one process, so they alone may import them (`@city/<name>-service`,
 * `@city/embedded-city`); every other rule above, and everywhere else, stays as it is.
 */
const [level, boundaries] = config.find((c) => c.rules?.['@nx/enforce-module-boundaries']).rules['@nx/enforce-module-boundaries'];
config.push({
  files: ['services/embedded-city/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
  rules: { '@nx/enforce-module-boundaries': [level, { ...boundaries, allow: [...boundaries.allow, '^@city/[a-z0-9-]+-service$', '^@city/embedded-city$'] }] },
});

export default config;
