// NestJS 12 (and content-disposition, which @fastify/static loads for /docs) ship ESM only: @swc/jest compiles them to CommonJS like our own code.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const LIBS = '(common|config|database|csv-import|auth|health|testing|topology|idempotency|events)';

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc, 'node_modules/.+\\.m?js$': swc },
  // masto (and what it imports) and cookie are ESM only too; @fastify/cookie import()s cookie,
  // which jest's CommonJS runtime cannot do unless it is compiled to a require.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|content-disposition|masto|change-case|events-to-async|@fastify/cookie|cookie)/)'],
  moduleNameMapper: {
    [`^@app/${LIBS}$`]: '<rootDir>/libs/$1/src',
    [`^@app/${LIBS}/(.*)$`]: '<rootDir>/libs/$1/src/$2',
  },
};

/** Fast tests: rules, services with stubbed collaborators, apps booted in-process. */
const unit = { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts,test}/**/*.spec.ts'] };
/** Real processes: services, HAProxy, the init command. */
const e2e = {
  ...shared,
  displayName: 'e2e',
  testMatch: ['<rootDir>/{apps,scripts,haproxy,ops}/**/test/**/*.e2e-spec.ts'],
  slowTestThreshold: 60,
};

// `jest` runs both; `JEST_PROJECT=unit jest <path>` one, still filtered by path
// (jest's --selectProjects would take the path for a project name).
const only = process.env.JEST_PROJECT;
module.exports = only ? { ...{ unit, e2e }[only] } : { projects: [unit, e2e] };
