import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'var/**', '.stryker-tmp/**', 'reports/**'] },
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
  // Boundaries: libs/ is shared by every app, so it never reaches up into an app, a script
  // or the bench; an app never reaches into another app (they talk over HTTP and events).
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/apps/**', '**/scripts/**', '**/bench/**'], message: 'libs/ must not import an app, scripts/ or bench/' }],
        },
      ],
    },
  },
  {
    files: ['apps/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/**', '../../*/src/**', '../../../*/src/**', '../../../../*/src/**'], message: 'an app must not import another app' },
            { group: ['**/scripts/**', '**/bench/**'], message: 'an app must not import scripts/ or bench/' },
          ],
          paths: [
            {
              name: '@nestjs/swagger',
              allowTypeImports: true,
              message: 'the API decorators come from @app/common, so a service does not load @nestjs/swagger',
            },
          ],
        },
      ],
    },
  },
);
