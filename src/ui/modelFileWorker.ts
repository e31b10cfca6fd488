// Reads and writes saved-model files off the page's main thread: a model of a few MB is
// base64 and JSON, and decoding, checksumming or encoding it on the page took long enough to
// stall a frame (the soak measured tasks of up to a second after a load).
import { decodeModelFile, encodeModelFile, type ModelState } from '../core/modelFile';
import type { ModelFileReply, ModelFileRequest } from './modelFileCodec';

const buffersOf = (s: ModelState): ArrayBuffer[] => {
  const all = [...s.weights, ...(s.optimizer ? [...s.optimizer.firstMoment, ...s.optimizer.secondMoment] : [])];
  return all.map((t) => t.data.buffer as ArrayBuffer);
};

self.onmessage = (e: MessageEvent<ModelFileRequest>) => {
  const req = e.data;
  const post = (reply: ModelFileReply, transfer: Transferable[] = []) =>
    (self as unknown as Worker).postMessage(reply, transfer);
  try {
    if (req.op === 'encode') {
      post({ id: req.id, op: 'encode', text: encodeModelFile(req.state) });
    } else {
      const r = decodeModelFile(req.input);
      post({ id: req.id, op: 'decode', result: r }, r.ok ? buffersOf(r.state) : []);
    }
  } catch (err) {
    post({ id: req.id, op: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
};
