// "Your own images": add files or a folder (or drop them here) or camera frames, see each class with its
// count, remove an image, a class or everything. Messages name every file that could not be
// added. Nothing leaves the browser, and the panel says so.

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { sortedClassNames } from '../core/userDataset';
import { USER_IMAGE_SIDE } from '../core/imagePixels';
import { CameraCapture } from './CameraCapture';
import { droppedFiles, pickedFiles } from './droppedFiles';
import { ImageDecoder } from './imageDecode';
import { UserImageLibrary, type LibraryImage } from './userImageLibrary';
import './userImages.css';

/** Thumbnails drawn per class: a class of thousands would otherwise cost thousands of canvases. */
const THUMBS_PER_CLASS = 24;
const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,image/bmp,.jpg,.jpeg,.png,.webp,.gif,.bmp';

/** One library for the component's life, its stored images loaded on mount. */
export function useUserImageLibrary(): UserImageLibrary {
  const ref = useRef<{ lib: UserImageLibrary; decoder: ImageDecoder } | null>(null);
  if (!ref.current) {
    const decoder = new ImageDecoder();
    ref.current = { lib: new UserImageLibrary(decoder), decoder };
  }
  useEffect(() => {
    void ref.current!.lib.load();
    return () => ref.current?.decoder.dispose();
  }, []);
  return ref.current.lib;
}

function Thumb({ image, onSearch }: { image: LibraryImage; onSearch?: (image: LibraryImage) => void }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current?.getContext('2d');
    if (!c) return;
    const img = c.createImageData(USER_IMAGE_SIDE, USER_IMAGE_SIDE);
    for (let p = 0; p < USER_IMAGE_SIDE * USER_IMAGE_SIDE; p++) {
      img.data.set(image.pixels.subarray(3 * p, 3 * p + 3), 4 * p);
      img.data[4 * p + 3] = 255;
    }
    c.putImageData(img, 0, 0);
  }, [image]);
  const canvas = (
    <canvas
      ref={ref}
      className="ui-thumb"
      width={USER_IMAGE_SIDE}
      height={USER_IMAGE_SIDE}
      role="img"
      aria-label={`${image.className}: ${image.name}`}
    />
  );
  if (!onSearch) return canvas;
  return (
    <button
      type="button"
      className="ui-search"
      aria-label={`Search with ${image.name} (${image.className})`}
      title="Show its nearest neighbours"
      onClick={() => onSearch(image)}
    >
      {canvas}
    </button>
  );
}

interface PanelProps {
  library: UserImageLibrary;
  /** Search by example with a gallery image (absent: the thumbnails are not buttons). */
  onSearch?: (image: LibraryImage) => void;
  /** The class for loose files, when the page holds it (page-wide drops use it too). */
  looseClass?: string;
  onLooseClass?: (name: string) => void;
}

export function UserImagesPanel({ library, onSearch, looseClass: heldClass, onLooseClass }: PanelProps) {
  const state = useSyncExternalStore(library.subscribe, library.getState);
  const [ownClass, setOwnClass] = useState('my images');
  const looseClass = heldClass ?? ownClass;
  const setLooseClass = onLooseClass ?? setOwnClass;
  const [confirmAll, setConfirmAll] = useState(false);
  const [dragging, setDragging] = useState(false);
  const classes = sortedClassNames(state.images);
  const byClass = new Map<string, LibraryImage[]>(classes.map((c) => [c, []]));
  for (const img of state.images) byClass.get(img.className)!.push(img);

  const onDrop = async (e: React.DragEvent) => {
    e.preventDefault();
    // The page's own drop handler (if any) leaves a drop on the panel to the panel.
    e.stopPropagation();
    setDragging(false);
    const files = await droppedFiles(e.dataTransfer);
    await library.addFiles(files, looseClass);
  };

  return (
    <section
      className="panel ui-panel"
      aria-label="Your own images"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-dragging={dragging || undefined}
    >
      <p className="ui-privacy">
        Your images stay in this browser: nothing you add is uploaded.
        {state.persistent
          ? ' They are kept here until you delete them.'
          : ' They will be gone when this page is closed.'}
      </p>
      <div className="ui-add">
        <label>
          Class for loose images and camera frames{' '}
          <input
            type="text"
            list="ui-class-names"
            value={looseClass}
            maxLength={40}
            onChange={(e) => setLooseClass(e.target.value)}
          />
        </label>
        <datalist id="ui-class-names">
          {classes.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <label className="ui-file">
          Add images
          <input
            type="file"
            multiple
            accept={ACCEPT}
            aria-label="Add images"
            onChange={(e) => {
              const f = pickedFiles(e.target.files);
              e.target.value = '';
              void library.addFiles(f, looseClass);
            }}
          />
        </label>
        <label className="ui-file">
          Add a folder
          <input
            type="file"
            multiple
            aria-label="Add a folder"
            ref={(el) => {
              el?.setAttribute('webkitdirectory', '');
            }}
            onChange={(e) => {
              const f = pickedFiles(e.target.files);
              e.target.value = '';
              void library.addFiles(f, looseClass);
            }}
          />
        </label>
        <span className="ui-hint">or drop files and folders here; a folder's name becomes the class.</span>
      </div>
      <CameraCapture library={library} className={looseClass} />
      {state.progress && (
        <progress aria-label="Adding images" max={state.progress.total} value={state.progress.done}>
          {state.progress.done} of {state.progress.total}
        </progress>
      )}
      {state.messages.length > 0 && (
        <ul className="ui-messages" role="status" aria-live="polite">
          {state.messages.map((m, i) => (
            <li key={i} data-testid="user-image-message">
              <span>{m}</span>
              <button type="button" aria-label="Dismiss message" onClick={() => library.dismiss(i)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {classes.map((c) => {
        const imgs = byClass.get(c)!;
        return (
          <section key={c} className="ui-class" aria-label={`Class ${c}`}>
            <div className="ui-class-head">
              <h4>
                <span data-testid="user-class-name">{c}</span>{' '}
                <span className="ui-count" data-testid="user-class-count">
                  {imgs.length}
                </span>
              </h4>
              <button type="button" onClick={() => void library.removeClass(c)}>
                Remove class {c}
              </button>
            </div>
            <div className="ui-thumbs">
              {imgs.slice(0, THUMBS_PER_CLASS).map((img) => (
                <span key={img.id} className="ui-item">
                  <Thumb image={img} onSearch={onSearch} />
                  <button
                    type="button"
                    aria-label={`Remove ${img.name}`}
                    title={`Remove ${img.name}`}
                    onClick={() => void library.removeImage(img.id)}
                  >
                    ×
                  </button>
                </span>
              ))}
              {imgs.length > THUMBS_PER_CLASS && (
                <span className="ui-more">+{imgs.length - THUMBS_PER_CLASS} more</span>
              )}
            </div>
          </section>
        );
      })}
      {state.images.length > 0 &&
        (confirmAll ? (
          <p className="ui-confirm">
            Delete all {state.images.length} of your images from this browser?{' '}
            <button
              type="button"
              onClick={() => {
                setConfirmAll(false);
                void library.removeAll();
              }}
            >
              Yes, delete them
            </button>{' '}
            <button type="button" onClick={() => setConfirmAll(false)}>
              Keep them
            </button>
          </p>
        ) : (
          <button type="button" onClick={() => setConfirmAll(true)}>
            Delete my images
          </button>
        ))}
    </section>
  );
}
