// Mounts the drawing pad and exposes the decoder, the store and the drawing preparation on
// window.imageLab for tests/e2e/userImages.spec.ts to drive.
import { createRoot } from 'react-dom/client';
import { prepareMnistDrawing, type PreparedDrawing } from '../../../src/core/drawingPrep';
import { DrawingPad } from '../../../src/ui/DrawingPad';
import { UserImagesPanel, useUserImageLibrary } from '../../../src/ui/UserImagesPanel';
import { ImageDecoder } from '../../../src/ui/imageDecode';
import * as camera from '../../../src/ui/camera';
import * as store from '../../../src/ui/userImageStore';

const lab = {
  decoder: new ImageDecoder(),
  store,
  camera,
  prepared: null as PreparedDrawing | null,
  rasters: 0,
};
(window as unknown as { imageLab: typeof lab }).imageLab = lab;

function Lab() {
  const library = useUserImageLibrary();
  return (
    <main>
      <DrawingPad
        onRaster={(r) => {
          lab.rasters++;
          lab.prepared = prepareMnistDrawing(r);
        }}
      />
      <UserImagesPanel library={library} />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<Lab />);
