import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The parts of ../shared/design/architecture.md, each with what it must not import: arrows run from commands and
 * rigs down to the stand-ins, infra and the Lambda code, never back up.
 */
const forbid = (...parts) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: parts.map((part) => ({
        group: part.includes('/') || part.includes('-lib') || part === 'constructs' ? [part] : [`**/${part}/**`],
        message: `This part may not import from ${part} (see ../shared/design/architecture.md).`,
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '**/*.js', '**/*.d.ts'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lambda/**'],
    rules: forbid('lib', 'bin', 'local-aws', 'commands', 'rigs', 'test', 'aws-cdk-lib', 'constructs'),
  },
  { files: ['lib/**', 'bin/**'], rules: forbid('local-aws', 'commands', 'rigs', 'test') },
  { files: ['local-aws/**'], rules: forbid('commands', 'rigs', 'test') },
  { files: ['commands/**'], rules: forbid('rigs', 'test') },
  { files: ['rigs/**'], rules: forbid('test') },
);
