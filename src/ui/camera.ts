// Webcam frames for "Use camera": open the camera, grab frames while the capture button is
// held (as Teachable Machine does), and every way it can fail said in words. A frame is an
// ImageBitmap handed to the decode worker, which crops and downscales it like a file.

export class CameraError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CameraError';
  }
}

/** What went wrong with getUserMedia, in words a student can act on. */
export function cameraProblem(err: unknown): string {
  const name = (err as { name?: string } | null)?.name ?? '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return "Camera permission was denied: allow the camera for this page in the browser's site settings, or add images from files.";
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found: plug one in, or add images from files.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera could not be started: another program may be using it.';
    default:
      return `The camera could not be opened (${(err as Error | null)?.message || name || 'unknown error'}).`;
  }
}

/** The front camera at a small size (frames end up 32 x 32 anyway); throws a CameraError. */
export async function openCamera(): Promise<MediaStream> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
    throw new CameraError('This browser gives this page no camera (a camera needs a secure page: https or localhost).');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 320 }, height: { ideal: 240 }, facingMode: 'user' },
      audio: false,
    });
  } catch (e) {
    throw new CameraError(cameraProblem(e));
  }
}

export function closeCamera(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}

/**
 * Grabs a frame from the playing video every intervalMs until the returned stop() is called
 * (the capture button released). A frame grabbed while the video has no picture yet is skipped.
 */
export function captureWhileHeld(
  video: HTMLVideoElement,
  onFrame: (frame: ImageBitmap) => void,
  intervalMs = 120,
): () => void {
  let stopped = false;
  let busy = false;
  const tick = async () => {
    if (stopped || busy || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return;
    busy = true;
    try {
      const frame = await createImageBitmap(video);
      if (stopped) frame.close();
      else onFrame(frame);
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
