import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'src/generated/**',
      'node_modules/**',
      '.data/**',
      'coverage/**',
      'test-results/**',
      'load-tests/results/**',
      'web/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Not enforced on purpose: NestJS injection reads constructor parameter types at run time
      // (emitDecoratorMetadata), so a class used "only as a type" there must stay a value import.
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', __ENV: 'readonly', __VU: 'readonly' },
    },
  },
  {
    files: ['src/cli/**', 'load-tests/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
