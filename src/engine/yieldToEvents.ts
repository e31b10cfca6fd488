// Lets the worker's event loop run (so commands from the page are handled) without a timer:
// chained setTimeout(0) calls are clamped to 4 ms after five levels of nesting (HTML spec), and
// the training loop yields after every step (docs/decisions/0008). A message to ourselves is
// queued behind whatever has already arrived, with no clamp.

const channel = typeof MessageChannel === 'undefined' ? null : new MessageChannel();
const waiting: (() => void)[] = [];
if (channel) channel.port1.onmessage = () => waiting.shift()?.();

export function yieldToEvents(): Promise<void> {
  if (!channel) return new Promise((r) => setTimeout(r, 0));
  return new Promise((r) => {
    waiting.push(r);
    channel.port2.postMessage(null);
  });
}
