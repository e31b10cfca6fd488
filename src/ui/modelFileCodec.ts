// The page's side of the model-file worker: decode a chosen file or the stored copy, encode a
// saved run, each as a promise, without blocking the page.
import type { Decoded, ModelState } from '../core/modelFile';

export type ModelFileRequest =
  { id: number; op: 'decode'; input: ArrayBuffer | string } | { id: number; op: 'encode'; state: ModelState };

export type ModelFileReply =
  | { id: number; op: 'decode'; result: Decoded }
  | { id: number; op: 'encode'; text: string }
  | { id: number; op: 'failed'; message: string };

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, (r: ModelFileReply) => void>();

type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

function call(req: Unsent<ModelFileRequest>, transfer: Transferable[] = []): Promise<ModelFileReply> {
  if (!worker) {
    worker = new Worker(new URL('./modelFileWorker.ts', import.meta.url), { type: 'module', name: 'model-file' });
    worker.onmessage = (e: MessageEvent<ModelFileReply>) => {
      waiting.get(e.data.id)?.(e.data);
      waiting.delete(e.data.id);
    };
    worker.onerror = () => {
      for (const [id, done] of waiting) done({ id, op: 'failed', message: 'the file reader stopped' });
      waiting.clear();
      worker = null;
    };
  }
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    worker!.postMessage({ ...req, id } as ModelFileRequest, transfer);
  });
}

/** Decodes a file's bytes (transferred: the caller gives them up) or the stored text. */
export async function decodeOffPage(input: ArrayBuffer | string): Promise<Decoded> {
  const r = await call({ op: 'decode', input }, typeof input === 'string' ? [] : [input]);
  if (r.op === 'decode') return r.result;
  return { ok: false, error: `Not loaded (training is unchanged): ${r.op === 'failed' ? r.message : 'no answer'}.` };
}

/** Encodes a run as the text of a saved-model file (the state's arrays are copied, not taken). */
export async function encodeOffPage(state: ModelState): Promise<string> {
  const r = await call({ op: 'encode', state });
  if (r.op === 'encode') return r.text;
  throw new Error(r.op === 'failed' ? r.message : 'no answer');
}
