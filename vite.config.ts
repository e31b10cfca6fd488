import { defineConfig } from 'vite';

// Plain Vite: its transformer handles TSX (automatic runtime, set in tsconfig) without a plugin.
// The worker is an ES module so it can import tfjs and share code with the page.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  oxc: { jsx: { runtime: 'automatic' } },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
} as never);
