// `npm run test:postgres`: the e2e suites again, every service's database in a throwaway
// PostgreSQL cluster instead of a SQLite file, and init-db into PostgreSQL (docs/deployment.md, "PostgreSQL").
// The init-db suite for SQLite files reads them directly, so it runs on SQLite only.
const { projects } = require('./jest.config.js');
const e2e = projects.find((project) => project.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'e2e-postgres',
  testMatch: ['<rootDir>/{apps,haproxy,ops}/**/test/**/*.e2e-spec.ts', '<rootDir>/{scripts,libs/*,apps/*}/test/*.postgres-spec.ts'],
  globalSetup: '<rootDir>/test/postgres.global-setup.ts',
  globalTeardown: '<rootDir>/test/postgres.global-teardown.ts',
};
