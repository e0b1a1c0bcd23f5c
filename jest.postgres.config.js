// `npm run test:postgres`: the e2e suites of the services that run on PostgreSQL, again, with
// their databases in a throwaway PostgreSQL cluster instead of SQLite files (README, "PostgreSQL").
const { projects } = require('./jest.config.js');
const e2e = projects.find((project) => project.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'e2e-postgres',
  testMatch: ['<rootDir>/apps/{users,timelines,monitor}/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/postgres.global-setup.ts',
  globalTeardown: '<rootDir>/test/postgres.global-teardown.ts',
};
