// A vertical drag handle on a panel's left edge: dragging (or arrow keys) changes the
// panel's width, kept between `min` and `max`.
import { useRef } from 'react';

export function ResizeHandle({ width, min, max, onResize, label }: { width: number; min: number; max: number; onResize(w: number): void; label: string }) {
  const start = useRef<{ x: number; w: number } | null>(null);
  const clamp = (w: number) => Math.round(Math.min(max, Math.max(min, w)));
  return (
    <div
      className="resize-handle"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={(e) => {
        start.current = { x: e.clientX, w: width };
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (start.current) onResize(clamp(start.current.w + start.current.x - e.clientX));
      }}
      onPointerUp={() => (start.current = null)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') onResize(clamp(width + 24));
        else if (e.key === 'ArrowRight') onResize(clamp(width - 24));
      }}
    />
  );
}
