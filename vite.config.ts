import { defineConfig } from 'vite';
import { wasmThreadsPlugin } from './scripts/lib/wasmThreadsPlugin.mjs';

// Plain Vite: its transformer handles TSX (automatic runtime, set in tsconfig) without a plugin.
// The worker is an ES module so it can import tfjs and share code with the page.
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  // tfjs (and so its wasm backend) is bundled in the workers only, whose plugins are their own.
  worker: { format: 'es', plugins: () => [wasmThreadsPlugin()] },
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
