// "My images" on the page: the user's library, sent to the worker as the 'user' dataset
// (pixels transferred) whenever it changes while that dataset is chosen, and what it can run
// yet in words (too few images, one class, the batch capped to the training images).

import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { buildUserDataset, capBatchSize, userReadiness, userSplit, USER_DATASET_ID } from '../core/userDataset';
import type { Settings } from '../core/settings';
import type { Command } from '../protocol';
import { useUserImageLibrary } from './UserImagesPanel';

/** Images added in a burst (a folder, a held camera button) rebuild the run once. */
const SETTLE_MS = 400;

export function useUserData(send: (cmd: Command, transfer?: Transferable[]) => void, settings: Settings) {
  const library = useUserImageLibrary();
  const state = useSyncExternalStore(library.subscribe, library.getState);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const chosen = settings.dataset === USER_DATASET_ID;

  const sendUserData = useCallback(() => {
    const { dataset } = buildUserDataset(library.getState().images);
    send({ type: 'userData', pixels: dataset.pixels, labels: dataset.labels, classNames: dataset.classNames }, [
      dataset.pixels.buffer,
    ]);
  }, [library, send]);

  // While "My images" is chosen, each settled change of the images rebuilds the run with them
  // (and the first load starts it: the page holds back its first configure until then).
  const images = state.images;
  const loaded = state.loaded;
  const sentFor = useRef<unknown>(null);
  useEffect(() => {
    if (!chosen || !loaded || sentFor.current === images) return;
    const first = sentFor.current === null;
    const t = setTimeout(
      () => {
        sentFor.current = images;
        sendUserData();
        send({ type: 'configure', settings: settingsRef.current, assetBase: document.baseURI });
      },
      first ? 0 : SETTLE_MS,
    );
    return () => clearTimeout(t);
  }, [chosen, loaded, images, sendUserData, send]);

  /** Call before a 'configure' that switches to "My images". */
  const beforeConfigure = useCallback(
    (next: Settings) => {
      if (next.dataset !== USER_DATASET_ID) return;
      sentFor.current = library.getState().images;
      sendUserData();
    },
    [library, sendUserData],
  );

  const notices = useMemo(() => {
    if (!chosen || !loaded) return [];
    const { dataset } = buildUserDataset(images);
    if (dataset.count === 0)
      return ['My images: add images under "Your own images" (two classes of at least 5 each measure kNN).'];
    const split = userSplit(dataset.labels, dataset.classNames, settings.seed);
    const out = userReadiness(dataset.labels, dataset.classNames, split).messages.map((m) => `My images: ${m}`);
    const cap = capBatchSize(settings.batchSize, split.train.length);
    if (cap.notice && split.train.length > 0) out.push(cap.notice);
    return out;
  }, [chosen, loaded, images, settings.seed, settings.batchSize]);

  return { library, beforeConfigure, notices };
}
