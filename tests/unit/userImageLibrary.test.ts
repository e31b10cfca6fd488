import { describe, expect, it } from 'vitest';
import { USER_IMAGE_BYTES } from '../../src/core/imagePixels';
import type { UserImage } from '../../src/core/userDataset';
import type { PathedFile } from '../../src/ui/droppedFiles';
import type { DecodeItem, DecodeOptions, DecodeOutcome } from '../../src/ui/imageDecode';
import { UserImageLibrary, type LibraryImage } from '../../src/ui/userImageLibrary';
import { UserStoreError } from '../../src/ui/userImageStore';

/** Decodes any name containing "bad" to a failure, everything else to pixels; in chunks of 2. */
const decoder = {
  async decode(items: readonly DecodeItem[], opts: DecodeOptions = {}): Promise<DecodeOutcome[]> {
    const all: DecodeOutcome[] = [];
    for (let s = 0; s < items.length; s += 2) {
      const chunk = items
        .slice(s, s + 2)
        .map((i): DecodeOutcome =>
          i.name.includes('bad')
            ? { name: i.name, ok: false, message: `${i.name} is not an image` }
            : { name: i.name, ok: true, pixels: new Uint8Array(USER_IMAGE_BYTES) },
        );
      all.push(...chunk);
      opts.onChunk?.(chunk, all.length, items.length);
    }
    return all;
  },
};

function memoryStore(fail?: UserStoreError) {
  let rows: LibraryImage[] = [];
  let next = 1;
  const guard = () => {
    if (fail) throw fail;
  };
  return {
    rows: () => rows,
    loadUserImages: async () => {
      guard();
      return rows.map((r) => ({ ...r, addedAt: 0 }));
    },
    addUserImages: async (imgs: readonly UserImage[]) => {
      guard();
      const added = imgs.map((i) => ({ ...i, id: next++, addedAt: 0 }));
      rows = [...rows, ...added];
      return added;
    },
    deleteUserImage: async (id: number) => {
      guard();
      rows = rows.filter((r) => r.id !== id);
    },
    deleteUserClass: async (c: string) => {
      guard();
      const n = rows.filter((r) => r.className === c).length;
      rows = rows.filter((r) => r.className !== c);
      return n;
    },
    deleteAllUserImages: async () => {
      guard();
      rows = [];
    },
  };
}

const file = (path: string): PathedFile => {
  const name = path.split('/').pop()!;
  return { name, webkitRelativePath: path.includes('/') ? path : '', file: new File([], name) };
};

describe('the user image library', () => {
  it('adds a folder and loose files, names each failure and keeps the rest in the store', async () => {
    const store = memoryStore();
    const lib = new UserImageLibrary(decoder, store);
    await lib.addFiles(
      [
        file('pets/cats/c1.png'),
        file('pets/cats/bad.png'),
        file('pets/dogs/d1.png'),
        file('mug.png'),
        file('.DS_Store'),
      ],
      'mugs',
    );
    const s = lib.getState();
    expect(s.images.map((i) => [i.className, i.name])).toEqual([
      ['cats', 'c1.png'],
      ['dogs', 'd1.png'],
      ['mugs', 'mug.png'],
    ]);
    expect(s.messages).toEqual(['bad.png is not an image']);
    expect(s.progress).toBeNull();
    expect(store.rows()).toHaveLength(3);
    expect(s.images.every((i) => i.id > 0)).toBe(true);
    // A new library (a reload) finds them.
    const again = new UserImageLibrary(decoder, store);
    await again.load();
    expect(again.getState().images).toHaveLength(3);
  });

  it('asks for a class name before adding loose files', async () => {
    const lib = new UserImageLibrary(decoder, memoryStore());
    await lib.addFiles([file('a.png')], '   ');
    expect(lib.getState().images).toHaveLength(0);
    expect(lib.getState().messages[0]).toMatch(/Name a class/);
  });

  it('keeps images on the page when the store is unavailable, saying so once', async () => {
    const lib = new UserImageLibrary(decoder, memoryStore(new UserStoreError('unavailable', 'no storage here')));
    await lib.load();
    await lib.addFiles([file('x/a/1.png'), file('x/a/2.png'), file('x/b/3.png')], 'm');
    const s = lib.getState();
    expect(s.images).toHaveLength(3);
    expect(s.images.every((i) => i.id < 0)).toBe(true);
    expect(s.persistent).toBe(false);
    expect(s.messages).toEqual(['no storage here']);
    await lib.removeClass('a');
    expect(lib.getState().images.map((i) => i.name)).toEqual(['3.png']);
  });

  it('keeps what fits under the cap and says how many', async () => {
    const store = memoryStore();
    const lib = new UserImageLibrary(decoder, store);
    const many = Array.from({ length: 5003 }, (_, i) => file(`f/c/${i}.png`));
    await lib.addFiles(many, 'm');
    expect(lib.getState().images).toHaveLength(5000);
    expect(lib.getState().messages[0]).toMatch(/^Kept 5,000 of the 5,003 images added/);
  });

  it('summarises many failures after naming the first ones', async () => {
    const lib = new UserImageLibrary(decoder, memoryStore());
    await lib.addFiles(
      Array.from({ length: 20 }, (_, i) => file(`f/c/bad${i}.png`)),
      'm',
    );
    const m = lib.getState().messages;
    expect(m).toHaveLength(13);
    expect(m[12]).toBe('…and 8 more files could not be added.');
  });

  it('deletes one image, a class, or all of them', async () => {
    const store = memoryStore();
    const lib = new UserImageLibrary(decoder, store);
    await lib.addFiles([file('p/a/1.png'), file('p/a/2.png'), file('p/b/3.png'), file('p/c/4.png')], 'm');
    await lib.removeImage(lib.getState().images[0].id);
    expect(store.rows().map((r) => r.name)).toEqual(['2.png', '3.png', '4.png']);
    await lib.removeClass('b');
    expect(lib.getState().images.map((r) => r.name)).toEqual(['2.png', '4.png']);
    await lib.removeAll();
    expect(lib.getState().images).toHaveLength(0);
    expect(store.rows()).toHaveLength(0);
  });
});
