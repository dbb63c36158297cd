/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // canonicalize, dt-sql-parser and its antlr4-c3 are published as ESM only (antlr4-c3 as .mjs): let ts-jest turn
    // them into CommonJS too.
    '^.+\\.m?[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(canonicalize|dt-sql-parser|antlr4-c3)/)'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  testTimeout: 60000,
  // Integration suites start Java and Node servers: two workers fit this 2-core machine.
  maxWorkers: 2,
};
