// Search by text: the 12 held-out images nearest to what was typed, each with its score and
// alt text saying what it shows; words outside the vocabulary are named. Clicking a result
// lists the captions that fit it best.

import { useEffect, useMemo, useState } from 'react';
import type { ClipSearch, Command } from '../../protocol';

export function SearchPanel({ result, send }: { result: ClipSearch | null; send: (c: Command) => void }) {
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<number | null>(null);
  useEffect(() => setPicked(null), [result]);
  const urls = useMemo(() => (result ? resultUrls(result) : []), [result]);
  const hit = picked !== null ? result?.hits[picked] : undefined;
  return (
    <section className="panel clip-search" aria-label="Search images by text" data-testid="clip-search">
      <h2>Search by text</h2>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) send({ type: 'clipSearch', text });
        }}
      >
        <input
          type="search"
          aria-label="Search images"
          placeholder="a red star"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">Search</button>
      </form>
      {result && result.unknown.length > 0 && (
        <p className="notice" role="status" data-testid="search-unknown">
          Not in the vocabulary: {result.unknown.map((w) => `"${w}"`).join(', ')}. The text encoder never saw{' '}
          {result.unknown.length > 1 ? 'these words' : 'this word'}, so it reads{' '}
          {result.unknown.length > 1 ? 'them' : 'it'} as one unknown token.
        </p>
      )}
      {result && (
        <>
          <p className="muted">
            The 12 held-out images nearest to “{result.query}” (step {result.step}); click one for the captions that fit
            it best.
          </p>
          <ol className="clip-results">
            {result.hits.map((h, k) => (
              <li key={h.index}>
                <button
                  className={picked === k ? 'clip-result picked' : 'clip-result'}
                  onClick={() => setPicked(k)}
                  aria-label={`Best captions for result ${k + 1}: ${h.alt}`}
                >
                  <img data-testid="search-result" src={urls[k]} alt={h.alt} width={48} height={48} />
                  <span className="tp-num">{h.score.toFixed(2)}</span>
                </button>
              </li>
            ))}
          </ol>
          {hit && (
            <div className="clip-best" data-testid="best-captions">
              <h3>Captions that fit “{hit.alt}” best</h3>
              <ol>
                {hit.captions.map((c) => (
                  <li key={c.text}>
                    {c.text} <span className="muted">{c.score.toFixed(2)}</span>
                  </li>
                ))}
              </ol>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** Each hit's pixels as a PNG data URL, so the results are real <img> elements with alt text. */
function resultUrls(r: ClipSearch): string[] {
  const { height: h, width: w, channels: ch, pixels } = r.images;
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d')!;
  return r.hits.map((_, k) => {
    const img = ctx.createImageData(w, h);
    const off = k * w * h * ch;
    for (let p = 0; p < w * h; p++) {
      for (let q = 0; q < 3; q++) img.data[4 * p + q] = pixels[off + p * ch + (ch === 3 ? q : 0)];
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return c.toDataURL();
  });
}
