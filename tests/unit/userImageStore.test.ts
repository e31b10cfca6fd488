// The store's failure paths, with stand-ins for IndexedDB (Node has none); the browser test
// covers the real thing (add, reload, delete).
import { afterEach, describe, expect, it } from 'vitest';
import { USER_IMAGE_BYTES } from '../../src/core/imagePixels';
import {
  addUserImages,
  deleteAllUserImages,
  loadUserImages,
  setIndexedDbForTests,
  UserStoreError,
} from '../../src/ui/userImageStore';

const named = (name: string) => Object.assign(new Error(name), { name });
const image = { className: 'cats', name: 'c.png', pixels: new Uint8Array(USER_IMAGE_BYTES) };

/** An IndexedDB whose database opens, and whose every transaction aborts with `abortWith`. */
function abortingDb(abortWith: Error): IDBFactory {
  const store = { add: () => ({ result: 1 }), getAll: () => ({ result: [] }), clear: () => ({}) };
  const db = {
    transaction: () => {
      const tx: Record<string, unknown> = { objectStore: () => store, error: null };
      setTimeout(() => {
        tx.error = abortWith;
        (tx.onabort as () => void)();
      }, 0);
      return tx;
    },
    close: () => {},
  };
  return {
    open: () => {
      const req: Record<string, unknown> = { result: db };
      setTimeout(() => (req.onsuccess as () => void)(), 0);
      return req;
    },
  } as unknown as IDBFactory;
}

async function failure(p: Promise<unknown>): Promise<UserStoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UserStoreError);
    return e as UserStoreError;
  }
  throw new Error('expected a failure');
}

describe('user image store failures', () => {
  afterEach(() => setIndexedDbForTests(() => undefined));

  it('says so clearly when there is no IndexedDB (a private window)', async () => {
    setIndexedDbForTests(() => undefined);
    const e = await failure(loadUserImages());
    expect(e.kind).toBe('unavailable');
    expect(e.message).toMatch(/cannot be kept in this browser/);
    expect((await failure(deleteAllUserImages())).kind).toBe('unavailable');
  });

  it('treats a refused open as unavailable', async () => {
    setIndexedDbForTests(
      () =>
        ({
          open: () => {
            throw named('SecurityError');
          },
        }) as unknown as IDBFactory,
    );
    expect((await failure(addUserImages([image]))).kind).toBe('unavailable');
  });

  it('reports a full disk with how many images were not saved', async () => {
    setIndexedDbForTests(() => abortingDb(named('QuotaExceededError')));
    const e = await failure(addUserImages([image, image, image]));
    expect(e.kind).toBe('quota');
    expect(e.message).toMatch(/storage for this page is full: 3 images were not saved/);
  });

  it("names other failures with the browser's reason", async () => {
    setIndexedDbForTests(() => abortingDb(Object.assign(new Error('disk on fire'), { name: 'UnknownError' })));
    const e = await failure(loadUserImages());
    expect(e.kind).toBe('failed');
    expect(e.message).toBe("Could not read your images in this browser's storage (disk on fire).");
  });
});
