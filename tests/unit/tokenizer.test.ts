import { describe, expect, it } from 'vitest';
import { captionVocabulary } from '../../src/core/captions';
import { COLOUR_NAMES, SHAPE_NAMES } from '../../src/core/shapes';
import { PAD_ID, Tokenizer, UNK_ID, words } from '../../src/core/tokenizer';

describe('tokenizer', () => {
  const tok = new Tokenizer(captionVocabulary());

  it('reserves the pad and unknown tokens and holds every caption word once', () => {
    expect(tok.vocab[PAD_ID]).toBe('<pad>');
    expect(tok.vocab[UNK_ID]).toBe('<unk>');
    expect(new Set(tok.vocab).size).toBe(tok.size);
    for (const w of [...SHAPE_NAMES, ...COLOUR_NAMES, 'seven', '7', 'background', 'left'])
      expect(tok.id(w)).toBeGreaterThan(UNK_ID);
  });

  it('ignores case and punctuation, and splits hyphenated words', () => {
    expect(words('A Star, RED; large!')).toEqual(['a', 'star', 'red', 'large']);
    expect(words('top-left')).toEqual(['top', 'left']);
    const a = tok.encode(['A Red STAR.'], 6),
      b = tok.encode(['a red star'], 6);
    expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
  });

  it('encodes to fixed-length rows padded with PAD', () => {
    const e = tok.encode(['red star', 'a small blue ring on the left'], 5);
    expect(e.ids).toBeInstanceOf(Int32Array);
    expect(e.ids.length).toBe(10);
    expect([e.count, e.maxLen]).toEqual([2, 5]);
    expect(Array.from(e.ids.slice(0, 5))).toEqual([tok.id('red'), tok.id('star'), PAD_ID, PAD_ID, PAD_ID]);
    expect(tok.decode(e.ids.slice(0, 5))).toBe('red star');
    // Longer than the row: cut, and said so.
    expect(e.truncated).toBe(true);
    expect(tok.decode(e.ids.slice(5))).toBe('a small blue ring on');
  });

  it('maps unknown words to UNK and names each once', () => {
    const e = tok.encode(['a violet star', 'violet hexagon', 'red star'], 4);
    expect(e.ids[1]).toBe(UNK_ID);
    expect(e.unknown).toEqual(['violet', 'hexagon']);
    expect(tok.encode(['red star'], 4).unknown).toEqual([]);
  });
});
