// Types for wasmThreadsPlugin.mjs, so vite.config.ts and the unit test can import it.
import type { Plugin } from 'vite';

export function pthreadScript(): string;
export function patchBackendWasm(code: string, id: string, workerUrl: string): string | null;
export function wasmThreadsPlugin(): Plugin;
