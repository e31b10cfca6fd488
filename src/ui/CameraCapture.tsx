// "Use camera": a live preview, and frames added to the chosen class while the capture button
// is held (pointer or keyboard), as Teachable Machine does. Frames go to the library a few at
// a time, so the class's count climbs while the button is down.

import { useEffect, useRef, useState } from 'react';
import { captureWhileHeld, closeCamera, openCamera } from './camera';
import type { UserImageLibrary } from './userImageLibrary';

/** Frames handed to the library together. */
const FRAMES_PER_ADD = 4;

export function CameraCapture({ library, className }: { library: UserImageLibrary; className: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [holding, setHolding] = useState(false);
  const stop = useRef<(() => void) | null>(null);
  const pending = useRef<ImageBitmap[]>([]);
  const chain = useRef(Promise.resolve());

  useEffect(
    () => () => {
      stop.current?.();
      closeCamera(stream);
    },
    [stream],
  );
  useEffect(() => {
    if (video.current && stream) {
      video.current.srcObject = stream;
      void video.current.play().catch(() => {});
    }
  }, [stream]);

  const flush = () => {
    const frames = pending.current.splice(0);
    if (frames.length > 0) chain.current = chain.current.then(() => library.addFrames(frames, className));
  };

  const start = async () => {
    setError(null);
    try {
      setStream(await openCamera());
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const press = () => {
    if (!video.current || !stream || stop.current) return;
    setHolding(true);
    stop.current = captureWhileHeld(video.current, (f) => {
      pending.current.push(f);
      if (pending.current.length >= FRAMES_PER_ADD) flush();
    });
  };

  const release = () => {
    if (!stop.current) return;
    stop.current();
    stop.current = null;
    setHolding(false);
    flush();
  };

  return (
    <div className="ui-camera">
      {!stream ? (
        <button type="button" onClick={() => void start()}>
          Use camera
        </button>
      ) : (
        <>
          <video ref={video} className="ui-preview" muted playsInline aria-label="Camera preview" />
          <button
            type="button"
            aria-pressed={holding}
            onPointerDown={(e) => {
              e.currentTarget.setPointerCapture(e.pointerId);
              press();
            }}
            onPointerUp={release}
            onPointerCancel={release}
            onBlur={release}
            onKeyDown={(e) => {
              if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
                e.preventDefault();
                press();
              }
            }}
            onKeyUp={(e) => {
              if (e.key === ' ' || e.key === 'Enter') release();
            }}
          >
            Hold to capture into {className}
          </button>
          <button
            type="button"
            onClick={() => {
              release();
              closeCamera(stream);
              setStream(null);
            }}
          >
            Stop camera
          </button>
        </>
      )}
      {error && (
        <p role="alert" data-testid="camera-error">
          {error}
        </p>
      )}
    </div>
  );
}
