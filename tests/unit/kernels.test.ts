// The hand-written WebAssembly kernels: the committed bytes are those of their .wat sources
// (scripts/build-kernels.mjs writes them; run `npm run kernels` after editing a .wat).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without type declarations
import { assemble, moduleText } from '../../scripts/build-kernels.mjs';

const DIR = path.resolve(__dirname, '../../src/engine/kernels');

describe('WebAssembly kernels', () => {
  const sources = readdirSync(DIR).filter((f) => f.endsWith('.wat'));
  it('has sources', () => expect(sources.length).toBeGreaterThan(0));
  for (const file of sources) {
    it(`${file}: the committed module holds the bytes of its source`, async () => {
      const name = file.slice(0, -4);
      const bytes: Buffer<ArrayBuffer> = await assemble(path.join(DIR, file));
      const shared: Buffer<ArrayBuffer> = await assemble(path.join(DIR, file), { shared: true });
      expect(WebAssembly.validate(bytes)).toBe(true);
      expect(WebAssembly.validate(shared)).toBe(true);
      // The shared variant links to a shared memory, as the threaded tfjs-backend-wasm has.
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
      expect(() => new WebAssembly.Instance(new WebAssembly.Module(shared), { env: { memory } })).not.toThrow();
      expect(readFileSync(path.join(DIR, `${name}Wasm.ts`), 'utf8')).toBe(moduleText(name, bytes, shared));
    });
  }
});
