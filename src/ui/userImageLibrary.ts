// The user's images on the page: what the gallery shows and the "My images" dataset is built
// from. Adding runs files through class assignment, the cap, the decode worker (chunk by
// chunk, so the gallery fills as it goes) and the store; every file that fails is named in a
// message and the rest are kept. When the store cannot keep them (a private window, a full
// disk) the images stay for this page's life and a message says so.

import { assignClasses, capToLimit, cleanClassName, type UserImage } from '../core/userDataset';
import type { PathedFile } from './droppedFiles';
import type { DecodeItem, DecodeOutcome, ImageDecoder } from './imageDecode';
import * as defaultStore from './userImageStore';
import { UserStoreError } from './userImageStore';

export type LibraryImage = UserImage & { id: number };

export interface LibraryState {
  images: LibraryImage[];
  /** While adding: items decoded so far of how many. */
  progress: { done: number; total: number } | null;
  messages: string[];
  /** False once the store has failed: images then last only as long as the page. */
  persistent: boolean;
  loaded: boolean;
}

type Store = Pick<
  typeof defaultStore,
  'loadUserImages' | 'addUserImages' | 'deleteUserImage' | 'deleteUserClass' | 'deleteAllUserImages'
>;

/** Failures named one by one up to this many per add; the rest are counted. */
const NAMED_FAILURES = 12;

export class UserImageLibrary {
  private state: LibraryState = { images: [], progress: null, messages: [], persistent: true, loaded: false };
  private listeners = new Set<() => void>();
  /** Keys for images the store could not keep: negative, so they never meet a store key. */
  private nextLocalId = -1;
  private storeProblemShown = false;

  constructor(
    private readonly decoder: Pick<ImageDecoder, 'decode'>,
    private readonly store: Store = defaultStore,
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = (): LibraryState => this.state;

  private set(patch: Partial<LibraryState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  private say(...messages: string[]): void {
    if (messages.length > 0) this.set({ messages: [...this.state.messages, ...messages] });
  }

  dismiss(index: number): void {
    this.set({ messages: this.state.messages.filter((_, i) => i !== index) });
  }

  private storeFailed(e: unknown): void {
    const message =
      e instanceof UserStoreError ? e.message : `Your images could not be saved (${(e as Error).message}).`;
    if (!this.storeProblemShown || (e instanceof UserStoreError && e.kind === 'quota')) this.say(message);
    this.storeProblemShown = true;
    this.set({ persistent: false });
  }

  async load(): Promise<void> {
    try {
      const images = await this.store.loadUserImages();
      this.set({ images: [...images, ...this.state.images.filter((i) => i.id < 0)], loaded: true });
    } catch (e) {
      this.storeFailed(e);
      this.set({ loaded: true });
    }
  }

  private async keep(images: UserImage[]): Promise<void> {
    let kept: LibraryImage[];
    if (this.state.persistent) {
      try {
        kept = await this.store.addUserImages(images);
      } catch (e) {
        this.storeFailed(e);
        kept = images.map((i) => ({ ...i, id: this.nextLocalId-- }));
      }
    } else {
      kept = images.map((i) => ({ ...i, id: this.nextLocalId-- }));
    }
    this.set({ images: [...this.state.images, ...kept] });
  }

  /** Decodes the items (each with its class), keeping the good ones chunk by chunk. */
  private async addDecoded(items: (DecodeItem & { className: string })[]): Promise<void> {
    const failures: string[] = [];
    let at = 0;
    // Chunks are kept one after another, so the store sees them in order.
    let keeping = Promise.resolve();
    this.set({ progress: { done: 0, total: items.length } });
    try {
      await this.decoder.decode(items, {
        onChunk: (outcomes: DecodeOutcome[], done, total) => {
          const chunk = items.slice(at, at + outcomes.length);
          at += outcomes.length;
          const good: UserImage[] = [];
          outcomes.forEach((o, k) => {
            if (o.ok) good.push({ className: chunk[k].className, name: o.name, pixels: o.pixels });
            else failures.push(o.message);
          });
          this.set({ progress: { done, total } });
          if (good.length > 0) keeping = keeping.then(() => this.keep(good));
        },
      });
    } catch (e) {
      failures.push(`Decoding stopped after ${at} of ${items.length} images: ${(e as Error).message}`);
    } finally {
      await keeping;
      this.set({ progress: null });
    }
    const named = failures.slice(0, NAMED_FAILURES);
    if (failures.length > NAMED_FAILURES)
      named.push(`…and ${failures.length - NAMED_FAILURES} more files could not be added.`);
    this.say(...named);
  }

  /** Files from a picker or a drop: folders give classes, loose files go to looseClass. */
  async addFiles(files: readonly PathedFile[], looseClass: string): Promise<void> {
    const hasLoose = files.some((f) => !f.webkitRelativePath.includes('/'));
    if (hasLoose && !cleanClassName(looseClass)) {
      this.say('Name a class for the images added without a folder, then add them again.');
      return;
    }
    const { assigned } = assignClasses(files, cleanClassName(looseClass) ?? 'images');
    const { kept, notice } = capToLimit(this.state.images.length, assigned);
    if (notice) this.say(notice);
    await this.addDecoded(kept.map(({ file, className }) => ({ name: file.name, source: file.file, className })));
  }

  /** Camera frames into one class (the frames are handed over: the caller must not close them). */
  async addFrames(frames: readonly ImageBitmap[], className: string): Promise<void> {
    const name = cleanClassName(className);
    if (!name) {
      frames.forEach((f) => f.close());
      this.say('Name the class the camera adds to.');
      return;
    }
    const { kept, notice } = capToLimit(this.state.images.length, frames);
    frames.slice(kept.length).forEach((f) => f.close());
    if (notice) this.say(notice);
    const start = this.state.images.filter((i) => i.className === name).length;
    await this.addDecoded(kept.map((f, k) => ({ name: `camera ${start + k + 1}`, source: f, className: name })));
  }

  private async remove(
    what: string,
    keep: (i: LibraryImage) => boolean,
    storeOp: () => Promise<unknown>,
  ): Promise<void> {
    if (this.state.persistent) {
      try {
        await storeOp();
      } catch (e) {
        this.say(e instanceof UserStoreError ? e.message : `Could not delete ${what} (${(e as Error).message}).`);
        return;
      }
    }
    this.set({ images: this.state.images.filter(keep) });
  }

  removeImage(id: number): Promise<void> {
    return this.remove(
      'the image',
      (i) => i.id !== id,
      () => (id >= 0 ? this.store.deleteUserImage(id) : Promise.resolve()),
    );
  }

  removeClass(className: string): Promise<void> {
    return this.remove(
      `class ${className}`,
      (i) => i.className !== className,
      () => this.store.deleteUserClass(className),
    );
  }

  /** "Delete my images". */
  removeAll(): Promise<void> {
    return this.remove(
      'your images',
      () => false,
      () => this.store.deleteAllUserImages(),
    );
  }
}
