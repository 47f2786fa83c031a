// One Jest configuration for the whole workspace, split into three projects so that
// the fast pure-logic tests can run alone (`--selectProjects unit`), while
// integration tests (real PostgreSQL and Kafka) and end-to-end tests run in CI.
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');

const swc = ['@swc/jest', { swcrc: false, jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true } }];
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: pathsToModuleNameMapper(),
  setupFiles: ['reflect-metadata'],
  roots: ['<rootDir>/contracts', '<rootDir>/libs', '<rootDir>/services', '<rootDir>/e2e', '<rootDir>/deploy'],
};

module.exports = {
  // Integration and end-to-end tests talk to real servers; Jest reads the timeout only at the root.
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['**/*.spec.ts'], testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$', '/node_modules/'] },
    { ...base, displayName: 'integration', testMatch: ['**/*.int.spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'] },
  ],
};
