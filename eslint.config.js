// Lint: the layering rules the architecture depends on, plus the recommended sets.
// core/ is pure (page, worker and Node import it), ui/ is React over state, and only engine/
// (inside the worker) touches tfjs. The worker's URL in ui/useEngine.ts is a `new URL(...)`,
// not an import, so it needs no exception.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const tfjs = { group: ['@tensorflow/*'], message: 'tfjs lives in src/engine/ only (it runs in the worker).' };
const engine = {
  group: ['**/engine/*', '**/engine/**'],
  message: 'The UI talks to the engine through src/protocol.ts messages only.',
};
const ui = { group: ['**/ui/*', '**/ui/**'], message: 'core/ and engine/ know nothing of the UI.' };
const view = {
  group: ['react', 'react-dom', 'react-dom/*', 'd3', 'd3-*'],
  message: 'core/ is pure TypeScript: no React, no DOM views.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'screenshots/**',
      'public/**',
      'src/engine/kernels/gradientsWasm.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.tsx', 'src/ui/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error' },
  },
  // Tests build malformed files on purpose, through untyped JSON.
  { files: ['tests/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['src/core/**'], rules: { 'no-restricted-imports': ['error', { patterns: [tfjs, engine, ui, view] }] } },
  { files: ['src/ui/**', 'src/main.tsx'], rules: { 'no-restricted-imports': ['error', { patterns: [tfjs, engine] }] } },
  { files: ['src/engine/**'], rules: { 'no-restricted-imports': ['error', { patterns: [ui] }] } },
  // Nothing a user supplies (file names, URL values, labels) may ever be parsed as HTML: text
  // goes in through React or textContent only.
  {
    files: ['src/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML'].map((property) => ({
          property,
          message: 'Parses text as HTML: set textContent or render with React.',
        })),
        ...['write', 'writeln'].map((property) => ({ object: 'document', property, message: 'Parses text as HTML.' })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Parses text as HTML: render it with React instead.',
        },
        {
          selector: "Property[key.name='dangerouslySetInnerHTML']",
          message: 'Parses text as HTML: render it with React instead.',
        },
      ],
    },
  },
);
