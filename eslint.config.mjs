// eslint (typescript-eslint, type-aware) for the whole TypeScript tree. What it guards: no promise left floating
// (an unawaited NetSuite call or signal is a silent loss), and workflow code importing nothing that does I/O
// (the workflow sandbox's determinism; test/boundaries.test.ts checks the same from the other side).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'test-artifacts/', '.temporal/', '.sim/', '.demo/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@stylistic': stylistic },
    rules: {
      // prettier wraps code at 160 columns but not comments; strings (messages read whole) may run longer.
      '@stylistic/max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // A `let` assigned once, after a closure that reads it was made (e.g. a simulator's webhook manager).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      // Type-only imports are erased before the workflow bundle is built, so they are allowed.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'child_process', 'crypto'],
              allowTypeImports: true,
              message: 'Workflow code must not do I/O: Node built-ins are not allowed in src/workflows.',
            },
            {
              group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker', 'axios', 'pg', 'pino', 'nodemailer', 'fastify'],
              allowTypeImports: true,
              message: 'Workflow code must not do I/O: call an activity instead.',
            },
            {
              group: [
                '**/activities/*',
                '**/netsuite/client',
                '**/woocommerce/client',
                '**/woocommerce/client-*',
                '**/state/*',
                '**/outbox/*',
                '**/config',
                '**/config/*',
              ],
              allowTypeImports: true,
              message: 'Workflows reach activities through proxyActivities and their types only.',
            },
            {
              group: ['**/config', '**/config/*'],
              allowTypeImports: true,
              message: 'Workflow code must not read settings (the environment): they come in the input or from an activity.',
            },
          ],
        },
      ],
    },
  },
);
