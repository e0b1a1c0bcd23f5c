// The compose suite: real images from the project's Dockerfile on the Docker engine that
// DOCKER_HOST names (see README, "Compose"). Run by `npm run test:compose` and by .ci/run.
const base = require('./jest.config.js').projects[0];

module.exports = {
  ...base,
  displayName: 'compose',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 600_000,
};
