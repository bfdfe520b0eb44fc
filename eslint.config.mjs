// Type-checked ESLint for the whole monorepo; libs/appeal is kept pure by an import rule.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      'libs/event-store/src/testing/esdb-standin/proto/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['libs/appeal/src/**/*.ts'],
    ignores: ['libs/appeal/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@nestjs/*',
                'pg',
                'pg-*',
                'node:*',
                'fs',
                'path',
                'crypto',
                'os',
                'http',
                'https',
                'net',
                '@eventstore/*',
                'express',
              ],
              message: 'libs/appeal is pure: xstate and its own types only.',
            },
            { group: ['@appeal-ledger/*'], message: 'libs/appeal depends on nothing else in the monorepo.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'The domain never reads the clock: time comes in the command.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The domain never reads the clock: time comes in the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'The domain never uses random numbers.',
        },
      ],
    },
  },
  {
    // Problem (problem+json) is the HTTP edge's: services answer refusals as values (shared/outcome.ts),
    // controllers and the http/ folders map them (http/refusal-problem.ts, appeals/http/command-endpoint.ts).
    files: ['apps/api/src/**/*.ts'],
    ignores: [
      'apps/api/src/**/*.controller.ts',
      'apps/api/src/http/**',
      'apps/api/src/*/http/**',
      'apps/api/src/auth/**',
      'apps/api/src/**/*.spec.ts',
      'apps/api/src/**/*.int-spec.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/http/problem', '**/http/refusal-problem'],
              message:
                'Answer a refusal value (shared/outcome.ts, shared/read-refusal.ts); only controllers and http/ map it to problem+json.',
            },
          ],
        },
      ],
    },
  },
  {
    // The appeals' application layer takes plain data and answers values: the appeals' HTTP edge
    // (controllers, DTOs, the command routes, appeals/http/) depends on it, never the other way.
    files: ['apps/api/src/appeals/**/*.ts'],
    ignores: [
      'apps/api/src/appeals/http/**',
      'apps/api/src/appeals/**/*.controller.ts',
      'apps/api/src/appeals/**/*.dto.ts',
      'apps/api/src/appeals/**/*routes.ts',
      'apps/api/src/appeals/appeals.module.ts',
      'apps/api/src/appeals/**/*.spec.ts',
      'apps/api/src/appeals/**/*.int-spec.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/http/problem', '**/http/refusal-problem'],
              message:
                'Answer a refusal value (shared/outcome.ts, shared/read-refusal.ts); only controllers and http/ map it to problem+json.',
            },
            {
              group: ['./http/*', '../http/*', '**/*.dto', '**/*.controller', '**/command-routes'],
              message: 'The application layer imports no HTTP type: map the request at the controller.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  prettier,
);
