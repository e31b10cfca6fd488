// The copy of the last saved model kept in this browser (IndexedDB), so a reload can continue
// it. The file's text is stored as is and read back through the same decoder as a download;
// a small summary is stored beside it so offering to restore does not read megabytes.

const DB_NAME = 'contrastive-playground';
const STORE = 'models';
const TEXT_KEY = 'latest';
const SUMMARY_KEY = 'latest-summary';

export interface StoredSummary {
  step: number;
  dataset: string;
  model: string;
  embeddingDim: number;
  seed: number;
  savedAt: string;
  bytes: number;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('this browser has no IndexedDB'));
      return;
    }
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB would not open'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

async function withStore<T>(
  mode: IDBTransactionMode,
  body: (s: IDBObjectStore) => IDBRequest<T> | void,
): Promise<T | undefined> {
  const db = await openDb();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = body(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req ? req.result : undefined);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted (storage full?)'));
    });
  } finally {
    db.close();
  }
}

export async function storeModel(text: string, summary: StoredSummary): Promise<void> {
  await withStore('readwrite', (s) => {
    s.put(text, TEXT_KEY);
    s.put(summary, SUMMARY_KEY);
  });
}

export async function storedSummary(): Promise<StoredSummary | null> {
  return (await withStore<StoredSummary>('readonly', (s) => s.get(SUMMARY_KEY))) ?? null;
}

export async function storedModelText(): Promise<string | null> {
  return (await withStore<string>('readonly', (s) => s.get(TEXT_KEY))) ?? null;
}

/**
 * Why the browser would not keep a copy, in words a user can act on. IndexedDB fails by name:
 * QuotaExceededError when the disk or the site's quota is full; SecurityError or
 * InvalidStateError where storage is blocked (private windows, site data turned off).
 */
export function storageProblem(e: unknown): string {
  const name = (e as { name?: unknown } | null)?.name;
  const detail =
    e instanceof Error || (e && typeof (e as { message?: unknown }).message === 'string')
      ? (e as { message: string }).message
      : String(e);
  if (name === 'QuotaExceededError' || /quota|storage full/i.test(detail)) {
    return 'its storage for this site is full (free some space, or clear old site data)';
  }
  if (name === 'SecurityError' || name === 'InvalidStateError' || /no IndexedDB/i.test(detail)) {
    return 'storage is blocked here (a private window, or site data turned off)';
  }
  return `storage failed: ${detail}`;
}
