import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// A test-only page for the "your own images" parts before they are wired into the app: built
// into <the tested dist>/image-lab by the spec that uses it, never part of the app's bundle.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  worker: { format: 'es' },
  logLevel: 'warn',
  build: {
    target: 'es2022',
    outDir: resolve(import.meta.dirname, '../../..', process.env.E2E_DIST ?? 'dist', 'image-lab'),
    emptyOutDir: true,
  },
} as never);
