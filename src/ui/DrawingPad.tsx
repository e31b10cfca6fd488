// A canvas to draw a query on with a mouse, a finger or a pen. The pad keeps its own pixels;
// the parent gets the ink as a DrawingRaster (coverage 0..1 from the canvas's alpha), at most
// every throttleMs while drawing and once more when the stroke ends, and prepares it for the
// dataset (core/drawingPrep) itself. The throttle bounds how often the parent embeds a
// query, not the pad: strokes are drawn at once, whatever the parent does with a raster.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { DrawingRaster } from '../core/drawingPrep';
import './drawingPad.css';

type Tool = 'pen' | 'eraser';

interface Props {
  onRaster: (raster: DrawingRaster) => void;
  /** The raster's side in pixels (the canvas is drawn at this size and scaled by CSS). */
  size?: number;
  /** What the ink looks like on the pad (the raster itself is coverage, colourless). */
  penColour?: string;
  background?: string;
  /** Stroke width as a share of the side: MNIST's strokes are about an eighth of a digit's height. */
  penWidth?: number;
  throttleMs?: number;
}

export function DrawingPad({
  onRaster,
  size = 280,
  penColour = '#fff',
  background = '#000',
  penWidth = 0.075,
  throttleMs = 150,
}: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [tool, setTool] = useState<Tool>('pen');
  const stroke = useRef<{ id: number; x: number; y: number } | null>(null);
  const lastEmit = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onRasterRef = useRef(onRaster);
  onRasterRef.current = onRaster;

  const ctx = () => canvasRef.current?.getContext('2d', { willReadFrequently: true }) ?? null;

  const emit = useCallback(() => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    const c = ctx();
    if (!c) return;
    const data = c.getImageData(0, 0, size, size).data;
    const ink = new Float32Array(size * size);
    for (let p = 0; p < ink.length; p++) ink[p] = data[4 * p + 3] / 255;
    lastEmit.current = performance.now();
    onRasterRef.current({ width: size, height: size, ink });
  }, [size]);

  const schedule = useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, throttleMs - (performance.now() - lastEmit.current));
    timer.current = setTimeout(emit, wait);
  }, [emit, throttleMs]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const point = (e: PointerEvent | React.PointerEvent) => {
    const r = canvasRef.current!.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * size) / r.width, y: ((e.clientY - r.top) * size) / r.height };
  };

  const segment = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const c = ctx();
    if (!c) return;
    c.globalCompositeOperation = tool === 'eraser' ? 'destination-out' : 'source-over';
    c.strokeStyle = penColour;
    c.lineWidth = size * penWidth * (tool === 'eraser' ? 2 : 1);
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
  };

  const down = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = point(e);
    stroke.current = { id: e.pointerId, ...p };
    segment(p, p);
    schedule();
  };

  const move = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const s = stroke.current;
    if (!s || s.id !== e.pointerId) return;
    // Coalesced events: every position the pointer passed since the last frame, not just the last.
    const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
    let from = { x: s.x, y: s.y };
    for (const ev of events.length > 0 ? events : [e.nativeEvent]) {
      const to = point(ev);
      segment(from, to);
      from = to;
    }
    stroke.current = { id: s.id, ...from };
    schedule();
  };

  const up = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (stroke.current?.id !== e.pointerId) return;
    stroke.current = null;
    emit();
  };

  const clear = () => {
    ctx()?.clearRect(0, 0, size, size);
    emit();
  };

  return (
    <div className="dp">
      <canvas
        ref={canvasRef}
        className="dp-canvas"
        width={size}
        height={size}
        role="img"
        aria-label="Drawing pad"
        style={{ background, touchAction: 'none' }}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <div className="dp-tools" role="toolbar" aria-label="Drawing tools">
        <button type="button" aria-pressed={tool === 'pen'} onClick={() => setTool('pen')}>
          Pen
        </button>
        <button type="button" aria-pressed={tool === 'eraser'} onClick={() => setTool('eraser')}>
          Eraser
        </button>
        <button type="button" onClick={clear}>
          Clear drawing
        </button>
      </div>
    </div>
  );
}
