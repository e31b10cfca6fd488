// Test-only fault injection: what a lost GPU, a crash or a hang does to the worker, on command,
// so the browser tests can check that the page recovers. Honoured only by a worker the page
// started under TEST_FAULTS_WORKER_NAME, which it does only when opened with ?test=faults.

import { TEST_FAULTS_WORKER_NAME, type FaultKind } from '../protocol';
import { loseDevice } from './deviceLoss';

/** How long an injected hang spins if nobody ends the worker (bounded, so a test run ends). */
const HANG_MS = 10 * 60_000;

export function faultsAllowed(): boolean {
  return (self as unknown as { name?: string }).name === TEST_FAULTS_WORKER_NAME;
}

/** Injects `fault`; returns a sentence when it cannot be injected here. */
export function injectFault(fault: FaultKind): string | null {
  if (!faultsAllowed()) return 'fault injection is for tests only';
  switch (fault) {
    case 'loseDevice':
      return loseDevice() ? null : 'this backend has no GPU device to lose';
    case 'throw':
      throw new Error('Injected worker crash (test)');
    case 'hang': {
      const end = Date.now() + HANG_MS;
      while (Date.now() < end) {
        /* spin: no heartbeat, no message is handled */
      }
      return null;
    }
  }
}
