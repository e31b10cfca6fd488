import { defineConfig } from 'vite';

// Plain Vite: its transformer handles TSX (automatic runtime, set in tsconfig) without a plugin.
// The worker is an ES module so it can import tfjs and share code with the page.
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // The app, and the benchmark page that scripts/bench.mjs drives.
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
} as never);
