// What a new, empty workflow shows on its canvas: where to start (a Source node for the
// data file) and how the rest follows, until the first node is added.
import { useGraph } from '../../stores/graph-store.ts';

export function EmptyCanvasHint() {
  const empty = useGraph((s) => !!s.doc && s.doc.definition.nodes.length === 0);
  if (!empty) return null;
  return (
    <div className="empty-canvas-hint" role="note" aria-label="Empty workflow">
      <h2>An empty workflow</h2>
      <p>
        Start with a <strong>Source</strong> node from the palette on the left: it reads your data file (CSV, Parquet, JSON or Excel). Then add
        SQL or Python steps that read it, checks and metrics that watch the result, and a Publish node that delivers it.
      </p>
      <p className="muted">Connect nodes by dragging from one’s right edge to another, with the Inputs field in a node’s settings, or with C then Enter on the keyboard.</p>
    </div>
  );
}
