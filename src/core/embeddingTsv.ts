// Embeddings as the TensorFlow Embedding Projector reads them (projector.tensorflow.org, "Load"):
// vectors.tsv with one row per point and one tab-separated number per dimension, no header;
// metadata.tsv with a header row of column names and then one row per point in the same order.
// The projector treats the first metadata row as a header only when there are two or more
// columns, so the image's index always comes first and a single-label dataset still has two.

export interface MetadataColumn {
  /** Column header, e.g. "digit", "shape", "colour". */
  name: string;
  /** Value index per point. */
  values: ArrayLike<number>;
  /** Names of the values (index = value). */
  classes: string[];
}

/** Nine significant digits: enough for every float32 to read back as itself. */
function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(9))) : 'NaN';
}

/** Tabs and line breaks inside a name would split a row; the projector has no quoting. */
function cell(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

export function vectorsTsv(vectors: ArrayLike<number>, count: number, dim: number): string {
  if (vectors.length !== count * dim) throw new Error(`vectorsTsv: ${vectors.length} values are not ${count} x ${dim}`);
  const rows: string[] = new Array(count);
  const row: string[] = new Array(dim);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) row[d] = num(vectors[i * dim + d]);
    rows[i] = row.join('\t');
  }
  return rows.join('\n') + '\n';
}

/** Header "index<TAB>name1<TAB>name2...", then per point its dataset index and each column's value name. */
export function metadataTsv(indices: ArrayLike<number>, columns: MetadataColumn[]): string {
  const count = indices.length;
  for (const c of columns)
    if (c.values.length !== count)
      throw new Error(`metadataTsv: column ${c.name} has ${c.values.length} values for ${count} points`);
  const lines = [['index', ...columns.map((c) => cell(c.name))].join('\t')];
  for (let i = 0; i < count; i++) {
    lines.push(
      [String(indices[i]), ...columns.map((c) => cell(c.classes[c.values[i]] ?? String(c.values[i])))].join('\t'),
    );
  }
  return lines.join('\n') + '\n';
}

/** Reads vectors.tsv back (for tests and for checking a round trip): rows of numbers. */
export function parseVectorsTsv(text: string): number[][] {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t').map(Number));
}
