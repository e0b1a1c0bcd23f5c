import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'var/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'every test must run' },
        { object: 'it', property: 'skip', message: 'every test must run' },
        { object: 'describe', property: 'only', message: 'every test must run' },
        { object: 'describe', property: 'skip', message: 'every test must run' },
        { object: 'test', property: 'only', message: 'every test must run' },
        { object: 'test', property: 'skip', message: 'every test must run' },
      ],
    },
  },
);
