// One Jest configuration for the whole workspace, split into three projects so that
// the fast pure-logic tests can run alone (`--selectProjects unit`), while
// integration tests (real PostgreSQL and Kafka) and end-to-end tests run in CI.
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');

const swc = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
  },
];
const esmDependencies = '/@fastify/static/node_modules/';
const swcCommonJs = ['@swc/jest', { swcrc: false, jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const base = {
  testEnvironment: 'node',
  // jose ships only ES modules, and @fastify/static (Swagger UI's files on the Fastify adapter) requires
  // content-disposition 3, an ES module: Node 20.19+ loads them with require(), Jest gets them compiled.
  transform: { '^.+\\.ts$': swc, '/node_modules/jose/.+\\.js$': swc, [`${esmDependencies}.+\\.js$`]: swcCommonJs },
  transformIgnorePatterns: [`^(?!.*(${esmDependencies}|/node_modules/jose/)).*/node_modules/`],
  moduleNameMapper: pathsToModuleNameMapper(),
  setupFiles: ['reflect-metadata'],
  roots: ['<rootDir>/contracts', '<rootDir>/libs', '<rootDir>/services', '<rootDir>/e2e', '<rootDir>/deploy', '<rootDir>/tools', '<rootDir>/bench'],
};

// CITY_TEST_INFRA=testcontainers: start PostgreSQL, Kafka and KurrentDB as containers for the run
// (where a Docker engine exists) and hand their addresses to the suites; see
// libs/testing/src/containers. Unset or `local`: the servers of `npm run infra:up`. Wired into the
// projects that talk to servers only: Jest runs a project's global setup only when one of its tests
// runs (once for both, as the path is the same), so the unit tier never starts a container.
const infra = process.env.CITY_TEST_INFRA;
const containers =
  infra && infra !== 'local'
    ? {
        globalSetup: '<rootDir>/libs/testing/src/containers/containers-global-setup.ts',
        globalTeardown: '<rootDir>/libs/testing/src/containers/containers-global-teardown.ts',
      }
    : {};

module.exports = {
  // Integration and end-to-end tests talk to real servers; Jest reads the timeout only at the root.
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['**/*.spec.ts'], testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$', '/node_modules/'] },
    { ...base, ...containers, displayName: 'integration', testMatch: ['**/*.int.spec.ts'] },
    { ...base, ...containers, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'] },
  ],
};
