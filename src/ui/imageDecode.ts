// The page's side of image decoding: hands files (or camera frames) to the decode worker a
// few at a time, so the page stays responsive while a folder of hundreds is added and each
// chunk's results can be shown and stored as they come. Outcomes come back in the order the
// items were given; a failure names its file and the rest go on.

export interface DecodeItem {
  /** The file's name (a camera frame gets one too), used in every message. */
  name: string;
  /** A File/Blob to sniff and decode, or a bitmap already decoded (a camera frame; transferred). */
  source: Blob | ImageBitmap;
}

export type DecodeOutcome =
  { name: string; ok: true; pixels: Uint8Array } | { name: string; ok: false; message: string };

export interface DecodeRequest {
  id: number;
  items: DecodeItem[];
}
export interface DecodeReply {
  id: number;
  outcomes: DecodeOutcome[];
}

export interface DecodeOptions {
  /** Items per message to the worker. */
  chunk?: number;
  /** Called after each chunk with its outcomes and how many items are done. */
  onChunk?: (outcomes: DecodeOutcome[], done: number, total: number) => void;
  /** Stops after the chunk in hand; the outcomes so far are returned. */
  signal?: AbortSignal;
}

const DEFAULT_CHUNK = 8;

export class ImageDecoder {
  private worker: Worker | null = null;
  private nextId = 1;
  private waiting = new Map<number, { resolve: (r: DecodeOutcome[]) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly makeWorker: () => Worker = () =>
      new Worker(new URL('./imageDecodeWorker.ts', import.meta.url), { type: 'module', name: 'image-decode' }),
  ) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = this.makeWorker();
    w.onmessage = (e: MessageEvent<DecodeReply>) => {
      const p = this.waiting.get(e.data.id);
      this.waiting.delete(e.data.id);
      p?.resolve(e.data.outcomes);
    };
    w.onerror = (e) => {
      e.preventDefault();
      this.failAll(new Error(`the image decoder stopped: ${e.message || 'unknown error'}`));
    };
    this.worker = w;
    return w;
  }

  private failAll(err: Error): void {
    for (const p of this.waiting.values()) p.reject(err);
    this.waiting.clear();
    this.worker?.terminate();
    this.worker = null;
  }

  private send(items: DecodeItem[]): Promise<DecodeOutcome[]> {
    const w = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const transfer = items.flatMap((i) => (i.source instanceof Blob ? [] : [i.source]));
      w.postMessage({ id, items } satisfies DecodeRequest, transfer);
    });
  }

  /** Decodes the items chunk by chunk; returns every outcome, in the items' order. */
  async decode(items: readonly DecodeItem[], opts: DecodeOptions = {}): Promise<DecodeOutcome[]> {
    const chunk = Math.max(1, opts.chunk ?? DEFAULT_CHUNK);
    const all: DecodeOutcome[] = [];
    for (let s = 0; s < items.length; s += chunk) {
      if (opts.signal?.aborted) break;
      const outcomes = await this.send(items.slice(s, s + chunk));
      all.push(...outcomes);
      opts.onChunk?.(outcomes, all.length, items.length);
    }
    return all;
  }

  dispose(): void {
    this.failAll(new Error('the image decoder was closed'));
  }
}
