import { describe, expect, it } from 'vitest';
import { metadataTsv, parseVectorsTsv, vectorsTsv } from '../../src/core/embeddingTsv';
import { Rng } from '../../src/core/rng';

describe('Embedding Projector TSV', () => {
  it('writes one row per point and one column per dimension, no header', () => {
    const v = Float32Array.from([0.5, -0.25, 1, 0, 0.125, -3.5]);
    const text = vectorsTsv(v, 3, 2);
    expect(text).toBe('0.5\t-0.25\n1\t0\n0.125\t-3.5\n');
    const rows = parseVectorsTsv(text);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.length === 2)).toBe(true);
  });

  it('reads back every float32 exactly', () => {
    const rng = new Rng(5);
    const v = Float32Array.from({ length: 40 * 7 }, () => rng.normal() * 10 ** Math.floor(rng.random() * 6 - 3));
    const back = Float32Array.from(parseVectorsTsv(vectorsTsv(v, 40, 7)).flat());
    expect(back).toEqual(v);
  });

  it('refuses a vector array that is not count x dim', () => {
    expect(() => vectorsTsv(new Float32Array(5), 2, 3)).toThrow(/2 x 3/);
  });

  it('writes metadata with a header of column names and the value names in row order', () => {
    const text = metadataTsv(Int32Array.from([7, 3]), [
      { name: 'shape', values: [1, 0], classes: ['circle', 'square'] },
      { name: 'colour', values: [0, 2], classes: ['red', 'green', 'blue'] },
    ]);
    expect(text).toBe('index\tshape\tcolour\n7\tsquare\tred\n3\tcircle\tblue\n');
  });

  it('has two columns even for one label (the projector needs two to read a header)', () => {
    const lines = metadataTsv(
      [10, 11, 12],
      [{ name: 'digit', values: [0, 9, 4], classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] }],
    )
      .trimEnd()
      .split('\n');
    expect(lines).toEqual(['index\tdigit', '10\t0', '11\t9', '12\t4']);
  });

  it('keeps tabs and line breaks in names from breaking rows', () => {
    const text = metadataTsv([0], [{ name: 'a\tb', values: [0], classes: ['x\ny'] }]);
    expect(text).toBe('index\ta b\n0\tx y\n');
  });

  it('refuses a column whose length differs from the points', () => {
    expect(() => metadataTsv([1, 2], [{ name: 'digit', values: [0], classes: ['0'] }])).toThrow(/digit/);
  });
});
