// The Docker suites: real images from the project's Dockerfile on the Docker engine that
// DOCKER_HOST names (see docs/deployment.md, "Compose" and "Docker Swarm"). `npm run test:compose` and
// `npm run test:swarm` each name their suite; .ci/run runs both.
const base = require('./jest.config.js').projects[0];

module.exports = {
  ...base,
  displayName: 'compose',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 600_000,
};
