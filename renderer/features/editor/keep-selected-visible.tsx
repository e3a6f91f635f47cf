// When the inspector opens, the canvas narrows and may hide the node just clicked; this
// pans (never zooms) just enough to bring the selected node back into view.
import { useEffect } from 'react';
import { useReactFlow, useStore, useStoreApi } from '@xyflow/react';
import { useUi } from '../../stores/ui-store.ts';
import { NODE_HEIGHT, NODE_WIDTH } from './graph-layout.ts';

const MARGIN = 40;

export function KeepSelectedVisible() {
  const selected = useUi((s) => s.selectedNodeId);
  const store = useStoreApi();
  // the pane's width changes when the inspector opens or is resized
  const paneWidth = useStore((s) => s.width);
  const flow = useReactFlow();

  useEffect(() => {
    if (!selected) return;
    // wait until the inspector has taken its width and React Flow has measured the pane
    const timer = setTimeout(() => {
      const node = flow.getNode(selected);
      if (!node) return;
      const { width, height, transform } = store.getState();
      const [tx, ty, zoom] = transform;
      const left = node.position.x * zoom + tx;
      const top = node.position.y * zoom + ty;
      const right = left + NODE_WIDTH * zoom;
      const bottom = top + NODE_HEIGHT * zoom;
      let dx = 0;
      let dy = 0;
      if (right > width - MARGIN) dx = width - MARGIN - right;
      if (left + dx < MARGIN) dx = MARGIN - left;
      if (bottom > height - MARGIN) dy = height - MARGIN - bottom;
      if (top + dy < MARGIN) dy = MARGIN - top;
      if (dx !== 0 || dy !== 0) void flow.setViewport({ x: tx + dx, y: ty + dy, zoom }, { duration: 250 });
    }, 60);
    return () => clearTimeout(timer);
  }, [selected, paneWidth, flow, store]);

  return null;
}
