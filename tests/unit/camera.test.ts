import { describe, expect, it } from 'vitest';
import { cameraProblem, CameraError, openCamera } from '../../src/ui/camera';

describe('camera problems in words', () => {
  it('tells a denied permission from a missing or busy camera', () => {
    expect(cameraProblem(new DOMException('Permission denied', 'NotAllowedError'))).toMatch(
      /^Camera permission was denied/,
    );
    expect(cameraProblem(new DOMException('Requested device not found', 'NotFoundError'))).toMatch(
      /^No camera was found/,
    );
    expect(cameraProblem(new DOMException('Could not start video source', 'NotReadableError'))).toMatch(
      /another program/,
    );
    expect(cameraProblem(new Error('boom'))).toBe('The camera could not be opened (boom).');
  });

  it('says so when the page has no camera API at all (Node here, or an insecure page)', async () => {
    await expect(openCamera()).rejects.toBeInstanceOf(CameraError);
    await expect(openCamera()).rejects.toThrow(/no camera \(a camera needs a secure page/);
  });
});
