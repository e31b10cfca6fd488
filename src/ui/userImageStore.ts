// The user's own images, kept in this browser (IndexedDB) so they survive a reload; nothing
// is sent anywhere. Each record is one 32 x 32 RGB image (3 KB), its class and its name.
// Its own database, apart from modelStore's, so neither has to upgrade the other's schema.
// Every failure is a UserStoreError whose message can be shown as it is: a private window
// without IndexedDB or a full disk stops images being kept, never the rest of the page.

import type { UserImage } from '../core/userDataset';

const DB_NAME = 'contrastive-playground-images';
const STORE = 'images';
const BY_CLASS = 'className';

export interface StoredImage extends UserImage {
  id: number;
  /** ms since the epoch: the gallery can show the newest first. */
  addedAt: number;
}

export type StoreProblem = 'unavailable' | 'quota' | 'failed';

export class UserStoreError extends Error {
  constructor(
    readonly kind: StoreProblem,
    message: string,
  ) {
    super(message);
    this.name = 'UserStoreError';
  }
}

const UNAVAILABLE =
  'Your images cannot be kept in this browser (no IndexedDB here, as in some private windows): ' +
  'they stay on this page until it is closed.';

function problem(err: DOMException | Error | null | undefined, what: string, unsaved = 0): UserStoreError {
  if (err?.name === 'QuotaExceededError') {
    return new UserStoreError(
      'quota',
      `The browser's storage for this page is full${unsaved > 0 ? `: ${unsaved} images were not saved` : ''}. ` +
        'Delete some of your images or free disk space; the images on the page stay until it is closed.',
    );
  }
  if (err?.name === 'SecurityError' || err?.name === 'InvalidStateError')
    return new UserStoreError('unavailable', UNAVAILABLE);
  return new UserStoreError(
    'failed',
    `Could not ${what} your images in this browser's storage (${err?.message || 'unknown error'}).`,
  );
}

let factory: () => IDBFactory | undefined = () => (typeof indexedDB === 'undefined' ? undefined : indexedDB);

/** Tests swap in a stand-in IndexedDB (or none). */
export function setIndexedDbForTests(f: () => IDBFactory | undefined): void {
  factory = f;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const idb = factory();
    if (!idb) {
      reject(new UserStoreError('unavailable', UNAVAILABLE));
      return;
    }
    let req: IDBOpenDBRequest;
    try {
      req = idb.open(DB_NAME, 1);
    } catch (e) {
      reject(problem(e as Error, 'open'));
      return;
    }
    req.onupgradeneeded = () => {
      const s = req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
      s.createIndex(BY_CLASS, BY_CLASS);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(problem(req.error, 'open'));
    req.onblocked = () =>
      reject(
        new UserStoreError(
          'failed',
          "Your images' storage is held by another tab of this page: close it and try again.",
        ),
      );
  });
}

async function transact<T>(
  mode: IDBTransactionMode,
  what: string,
  body: (s: IDBObjectStore) => () => T,
  unsaved = 0,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      let tx: IDBTransaction;
      let result: () => T;
      try {
        tx = db.transaction(STORE, mode);
        result = body(tx.objectStore(STORE));
      } catch (e) {
        reject(problem(e as Error, what, unsaved));
        return;
      }
      tx.oncomplete = () => resolve(result());
      tx.onabort = () => reject(problem(tx.error, what, unsaved));
    });
  } finally {
    db.close();
  }
}

/** Every stored image, oldest first (the order they were added). */
export async function loadUserImages(): Promise<StoredImage[]> {
  return transact('readonly', 'read', (s) => {
    const req = s.getAll();
    return () => (req.result as StoredImage[]).map((r) => ({ ...r, pixels: new Uint8Array(r.pixels) }));
  });
}

/** Stores the images in one transaction: all of them, or none and a UserStoreError. */
export async function addUserImages(images: readonly UserImage[]): Promise<StoredImage[]> {
  const addedAt = Date.now();
  return transact(
    'readwrite',
    'save',
    (s) => {
      const records = images.map((i) => ({ className: i.className, name: i.name, pixels: i.pixels, addedAt }));
      const reqs = records.map((r) => s.add(r));
      return () => records.map((r, k) => ({ ...r, id: reqs[k].result as number }));
    },
    images.length,
  );
}

export async function deleteUserImage(id: number): Promise<void> {
  await transact('readwrite', 'delete', (s) => {
    s.delete(id);
    return () => undefined;
  });
}

/** Deletes every image of the class; returns how many there were. */
export async function deleteUserClass(className: string): Promise<number> {
  return transact('readwrite', 'delete', (s) => {
    const keys = s.index(BY_CLASS).getAllKeys(className);
    keys.onsuccess = () => {
      for (const k of keys.result) s.delete(k);
    };
    return () => keys.result.length;
  });
}

/** "Delete my images": the whole store. */
export async function deleteAllUserImages(): Promise<void> {
  await transact('readwrite', 'delete', (s) => {
    s.clear();
    return () => undefined;
  });
}
