// Types for frames.mjs, so the browser test (TypeScript) can share it.
import type { Page } from '@playwright/test';

export function measureFrames(page: Page, ms: number): Promise<{ fps: number; longTasks: number; maxLongTask: number }>;
