// The node kinds a workflow is built from. Click one to add it in view, or drag it onto
// the canvas to put it where it is dropped; either way it gets a fresh id and, for SQL and
// Python kinds, starter code.
import { memo } from 'react';
import { KindIcon } from '../../components/icons.tsx';
import type { NodeKind } from '../../stores/api-types.ts';

/** The drag payload type of palette items (the node kind as text). */
export const PALETTE_MIME = 'application/x-aqueduct-node-kind';

const KINDS: { kind: NodeKind; label: string; hint: string }[] = [
  { kind: 'source', label: 'Source', hint: 'Read a CSV, Parquet, JSON or Excel file' },
  { kind: 'sql', label: 'SQL', hint: 'Query upstream tables with DuckDB' },
  { kind: 'python', label: 'Python', hint: 'Transform DataFrames with pandas' },
  { kind: 'check', label: 'Check', hint: 'A true/false test of the data' },
  { kind: 'metric', label: 'Metric', hint: 'One number tracked across runs' },
  { kind: 'publish', label: 'Publish', hint: 'Write a table to a file or database, or deliver a report' },
  { kind: 'report', label: 'Report', hint: 'Tables, metrics and charts as HTML and PDF, for people' },
];

function PaletteView({ disabled, onAdd }: { disabled: boolean; onAdd(kind: NodeKind): void }) {
  return (
    <nav className="palette" aria-label="Node palette">
      <div className="palette-title">Add</div>
      {KINDS.map(({ kind, label, hint }) => (
        <button
          key={kind}
          type="button"
          className="palette-item"
          data-kind={kind}
          draggable={!disabled}
          disabled={disabled}
          aria-label={`Add ${label} node`}
          title={`${hint}. Click to add, or drag onto the canvas.`}
          onClick={() => onAdd(kind)}
          onDragStart={(e) => {
            e.dataTransfer.setData(PALETTE_MIME, kind);
            e.dataTransfer.effectAllowed = 'copy';
          }}
        >
          <span className="palette-icon" aria-hidden="true">
            <KindIcon kind={kind} />
          </span>
          {label}
        </button>
      ))}
    </nav>
  );
}

export const Palette = memo(PaletteView);
