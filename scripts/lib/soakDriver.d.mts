// Types for soakDriver.mjs, so the browser test (TypeScript) can share the driver.
import type { Page } from '@playwright/test';

export interface SoakSample {
  t: number;
  generation: number;
  heap: number;
  frames: number;
  long: number[];
  numTensors: number | null;
  numBytes: number | null;
  wasmHeapBytes: number | null;
  backend: string;
  probeRunning: boolean;
  step: number;
  config: string;
}
export interface SoakAction {
  name: string;
  resets?: boolean;
  run: (page: Page, rng: () => number) => Promise<boolean>;
}
export interface SoakResult {
  seconds: number;
  every: number;
  seed: number;
  samples: SoakSample[];
  actions: { t: number; name: string; done: boolean; failure?: string }[];
  heapMarks: { t: number; heap: number }[];
  errors: string[];
}
export interface Range {
  min: number;
  max: number;
}
export interface TensorSegment {
  config: string;
  from: number;
  samples: number;
  level: number;
  range: Range;
  grew: boolean;
  levelBefore?: number;
  flat: boolean;
}
export interface Verdict {
  ranges: Record<
    'numTensors' | 'tensorBytes' | 'wasmHeapBytes' | 'jsHeapBytes' | 'framesPerSecond' | 'longTaskMs',
    Range | null
  >;
  summary: {
    consoleErrors: number;
    heapGrowth: { from: { t: number; heap: number }; to: { t: number; heap: number }; growth: number };
    longTasks: { count: number; over: number; max: number };
    actionsDone: number;
    actionsFailed: string[];
    steps: Range | null;
    backends: string[];
  };
  segments: TensorSegment[];
  failures: string[];
}

export const ACTIONS: SoakAction[];
export function openForSoak(page: Page, url: string): Promise<string[]>;
export function runSoak(
  page: Page,
  options: {
    seconds: number;
    every?: number;
    seed?: number;
    heapAt?: number[];
    log?: (line: string) => void;
    errors?: string[];
  },
): Promise<SoakResult>;
export function tensorSegments(samples: SoakSample[]): TensorSegment[];
export function judge(
  result: SoakResult,
  options: { heapFrom: number; heapTo: number; heapGrowthMax?: number; longTaskMax?: number; judgeLongTasks?: boolean },
): Verdict;
