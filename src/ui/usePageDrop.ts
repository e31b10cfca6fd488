// Files and folders dropped anywhere on the page join the user's images (a drop on the
// images panel is the panel's own; loose files go to the class named there).

import { useEffect, useRef } from 'react';
import { droppedFiles } from './droppedFiles';
import type { UserImageLibrary } from './userImageLibrary';

const carriesFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');

export function usePageDrop(library: UserImageLibrary, looseClass: string): void {
  const classRef = useRef(looseClass);
  classRef.current = looseClass;
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      // Without this the browser would open a dropped file in place of the page.
      e.preventDefault();
      e.dataTransfer!.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      if (e.defaultPrevented || !carriesFiles(e)) return;
      e.preventDefault();
      void droppedFiles(e.dataTransfer!).then((files) => library.addFiles(files, classRef.current));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [library]);
}
