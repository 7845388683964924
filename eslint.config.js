import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/coverage/**', '**/node_modules/**', '**/.turbo/**', '**/*.d.ts', '**/.floe/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A curated index.ts per package: every export is named on purpose.
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Name each export: no `export *` (curated index.ts).' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Plugins see @floe/core only through its public entry point, as a third party would.
    files: ['plugins/**/*.ts', 'packages/floe-cli/**/*.ts', 'packages/floe-lakehouse/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@floe/*/src/*', '@floe/*/dist/*', '**/floe-core/src/*'],
              message: 'Import @floe packages by their public entry point.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'URL',
          'Buffer',
          'performance',
          'setTimeout',
          'clearTimeout',
          'setImmediate',
          'AbortController',
          'TextEncoder',
          'TextDecoder',
          'fetch',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
