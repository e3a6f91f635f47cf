// Lint, and the layers of the design enforced by folder: runner/ never imports Electron
// or React; renderer/ never imports Node, Electron, or runner/ code (types only);
// main/ stays a thin shell.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'worker_threads', 'url', 'stream'];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.venv/**', '.aqueduct-test/**', 'out/**', 'resources/**'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['runner/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'runner/ is plain Node: the desktop shell lives in main/.' },
            { group: ['react', 'react-dom', 'react/*', '@xyflow/*', 'zustand', 'recharts'], message: 'runner/ has no UI code.' },
            { group: ['**/renderer/**', '**/main/**'], message: 'runner/ must not depend on the UI or the shell.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'renderer/ is browser code: talk to the runner through renderer/client.' },
            ...nodeBuiltins.flatMap((m) => [
              { name: m, message: 'renderer/ is browser code: no Node modules.' },
              { name: `node:${m}`, message: 'renderer/ is browser code: no Node modules.' },
            ]),
          ],
          patterns: [
            {
              group: ['**/runner/**', '!**/runner/api/**', '!**/runner/spec/schema.ts'],
              allowTypeImports: true,
              message: 'renderer/ may import only types from runner/ (the API contract).',
            },
            { group: ['**/main/**'], message: 'renderer/ must not import the Electron shell.' },
          ],
        },
      ],
    },
  },
);
