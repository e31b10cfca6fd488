// The headless Chromium every script launches: the system browser (never a download), with
// WebGPU on (SwiftShader when there is no GPU) and nothing that reaches the network.
// playwright.config.ts passes these same flags to the browser tests.
import { chromium } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
