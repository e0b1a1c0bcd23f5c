// npm run test:mutation: StrykerJS mutates the rules that the unit tests cover (validators, pagination and
// cursors, the services, the repositories over temporary SQLite files, the monitor's trending) and runs the unit project against each mutant.
// The score is in docs/testing.md; a run below `break` fails.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    enableFindRelatedTests: true,
  },
  coverageAnalysis: 'perTest',
  mutate: [
    'libs/common/src/pagination.ts',
    'libs/common/src/text.validator.ts',
    'libs/common/src/json-depth.ts',
    'apps/timelines/src/import/timestamp.ts',
    'apps/users/src/auth/login-throttle.service.ts',
    'apps/users/src/auth/sqlite-login-throttle.repository.ts',
    'apps/users/src/users/users.service.ts',
    'apps/timelines/src/posts/posts.service.ts',
    'apps/timelines/src/timelines/timelines.service.ts',
    'apps/timelines/src/posts/sqlite-posts.repository.ts',
    'apps/monitor/src/activity/activity.service.ts',
    'apps/monitor/src/activity/timelines-stream.consumer.ts',
    'apps/monitor/src/activity/sqlite-activity.repository.ts',
  ],
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 5000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: {
    fileName: 'reports/mutation/index.html',
  },
  jsonReporter: {
    fileName: 'reports/mutation/mutation.json',
  },
  thresholds: {
    high: 80,
    low: 60,
    break: 60,
  },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
