// The AWS SDK's Node.js 20 deprecation warning, 9 lines per test file: see commands/shared/sdk-node-warning.ts.
// Set here, in jest's own process, so that its workers and every process a test starts inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // canonicalize (the tests' RFC 8785 reference), dt-sql-parser and its antlr4-c3 are published as ESM only
    // (antlr4-c3 as .mjs): let ts-jest turn them into CommonJS too.
    '^.+\\.m?[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(canonicalize|dt-sql-parser|antlr4-c3)/)'],
  // canonicalize 4.x's exports map has an `import` condition only, which jest's CommonJS resolver does not match.
  moduleNameMapper: { '^canonicalize$': '<rootDir>/node_modules/canonicalize/lib/canonicalize.js' },
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  // The limit of every other test: only a hang reaches it, even on a loaded machine, where an infra test that
  // synthesizes and bundles the app took over a minute (4 s unloaded). Heavy tests set their own
  // (test/support/loaded-machine.ts).
  testTimeout: 300_000,
  // Integration suites start Java and Node servers: two workers fit this 2-core machine.
  maxWorkers: 2,
};
