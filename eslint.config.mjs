// Lint: typescript-eslint's recommended rules, plus the layering rules of the README's layout
// (pure code under src/core and src/shared imports neither vscode, Node, nor an outer layer).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const outer = ['engine', 'extension', 'webview', 'worker', 'cli'].flatMap((d) => [`../${d}/*`, `../../${d}/*`, `../../../${d}/*`, `../../../../${d}/*`]);

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', '.bench-data/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Flags the initial values of hot-loop locals, which the scanners keep so that V8 sees
      // one representation (a small integer) from the first assignment on.
      'no-useless-assignment': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Pure code (src/core, src/shared) must not import vscode.' }],
          patterns: [
            { group: ['node:*'], message: 'Pure code (src/core, src/shared) runs in the webview too: no Node modules.' },
            { group: outer, message: 'Dependencies point inward: src/core and src/shared import no outer layer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Pure code (src/core) must not import vscode.' }],
          patterns: [
            { group: ['node:*'], message: 'Pure code (src/core) runs in the webview too: no Node modules.' },
            { group: [...outer, '../shared/*', '../../shared/*', '../../../shared/*'], message: 'Dependencies point inward: src/core imports no outer layer.' },
          ],
        },
      ],
    },
  },
  {
    // Node scripts and tests; the e2e scenarios also run functions inside the webview page.
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Published coefficients (AS241, Cody's erf) and tests of number parsing are written with every digit.
    files: ['src/core/tasks/regression/view/qq.ts', 'src/core/tasks/regression/variance.ts', 'test/**/*.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },
);
