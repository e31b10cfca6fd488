// "Still alive", every HEARTBEAT_MS, from a timer: it fires only when the worker's event loop
// turns, which the scheduler lets it do after every step and evaluation slice. A worker stuck
// in a loop (or killed for memory) goes silent, and the page replaces it.

import { HEARTBEAT_MS, type EngineEvent } from '../protocol';

export function startHeartbeat(post: (ev: EngineEvent) => void): void {
  setInterval(() => post({ type: 'heartbeat' }), HEARTBEAT_MS);
}
