// NestJS 12 ships ESM only: its packages are compiled to CommonJS by @swc/jest like our own code.
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

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc, 'node_modules/.+\\.m?js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  moduleNameMapper: {
    '^@app/(common|config|database|auth|health|testing)$': '<rootDir>/libs/$1/src',
    '^@app/(common|config|database|auth|health|testing)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/apps/*/test/**/*.e2e-spec.ts'], slowTestThreshold: 60 },
  ],
};
