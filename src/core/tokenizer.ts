// Word tokenizer for the CLIP text encoder: a fixed vocabulary (the caption generators'
// words), case and punctuation insensitive, with a pad token and an unknown-word token.
// Unknown words are reported, never silently dropped, so search can name them.

export const PAD_ID = 0;
export const UNK_ID = 1;

/** Lower-case words, punctuation dropped; a hyphen splits ("top-left" is "top left"). */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[-_/]/g, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/** Token ids of a batch: count rows of maxLen ids, right-padded with PAD_ID. */
export interface TokenBatch {
  ids: Int32Array;
  count: number;
  maxLen: number;
}

export interface Encoded extends TokenBatch {
  /** Distinct words outside the vocabulary, in order of first appearance. */
  unknown: string[];
  /** Whether any text had more words than maxLen (the rest were cut). */
  truncated: boolean;
}

export class Tokenizer {
  private readonly ids = new Map<string, number>();
  readonly vocab: string[];

  constructor(vocabulary: string[]) {
    this.vocab = ['<pad>', '<unk>'];
    for (const w of vocabulary.flatMap(words)) {
      if (this.ids.has(w)) continue;
      this.ids.set(w, this.vocab.length);
      this.vocab.push(w);
    }
  }

  get size(): number {
    return this.vocab.length;
  }

  id(word: string): number {
    return this.ids.get(word) ?? UNK_ID;
  }

  encode(texts: string[], maxLen: number): Encoded {
    const ids = new Int32Array(texts.length * maxLen); // PAD_ID is 0
    const unknown: string[] = [];
    let truncated = false;
    texts.forEach((t, r) => {
      const ws = words(t);
      if (ws.length > maxLen) truncated = true;
      ws.slice(0, maxLen).forEach((w, k) => {
        const id = this.id(w);
        if (id === UNK_ID && !unknown.includes(w)) unknown.push(w);
        ids[r * maxLen + k] = id;
      });
    });
    return { ids, count: texts.length, maxLen, unknown, truncated };
  }

  decode(ids: ArrayLike<number>): string {
    return Array.from(ids)
      .filter((i) => i !== PAD_ID)
      .map((i) => this.vocab[i] ?? '<unk>')
      .join(' ');
  }
}
