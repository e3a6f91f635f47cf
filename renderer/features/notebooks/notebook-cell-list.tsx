// The notebook's cells as the import dialog shows them: each cell's start, a checkbox
// "a node begins here", the nodes its group becomes (at the group's first cell) and the
// issues about it. The first cell always begins a node.
import type { NotebookAnalysis, NotebookCell, NotebookIssue } from './notebook-types.ts';

const PREVIEW_LINES = 8;

function preview(source: string): string {
  const lines = source.replace(/\s+$/, '').split('\n');
  return lines.length > PREVIEW_LINES ? `${lines.slice(0, PREVIEW_LINES).join('\n')}\n…` : lines.join('\n');
}

export function NotebookCellList({ cells, analysis, starts, locked, onToggle }: {
  cells: NotebookCell[];
  analysis: NotebookAnalysis;
  starts: number[];
  /** exported notebooks: the cells are the nodes, nothing to mark */
  locked: boolean;
  onToggle(index: number, begins: boolean): void;
}) {
  const groupAt = new Map(analysis.groups.map((g) => [g.start, g]));
  const kindOf = new Map(analysis.nodes.map((n) => [n.id, n.kind]));
  const issuesOf = new Map<number, NotebookIssue[]>();
  for (const i of analysis.issues) if (i.cell !== null) issuesOf.set(i.cell - 1, [...(issuesOf.get(i.cell - 1) ?? []), i]);
  return (
    <ol className="nb-cells" aria-label="Notebook cells">
      {cells.map((c) => {
        const begins = c.index === 0 || starts.includes(c.index);
        const group = groupAt.get(c.index);
        const issues = issuesOf.get(c.index) ?? [];
        return (
          <li key={c.index} className="nb-cell" data-begins={begins} data-type={c.type} aria-label={`Cell ${c.index + 1}`}>
            <div className="nb-cell-head">
              <span className="nb-cell-no">{c.index + 1}</span>
              <span className="muted">{c.type}</span>
              {c.index > 0 && (
                <label className="check-label nb-begins">
                  <input type="checkbox" checked={begins} disabled={locked} onChange={(e) => onToggle(c.index, e.target.checked)} />
                  A node begins here
                </label>
              )}
              {group && group.nodes.length > 0 && (
                <span className="nb-makes" aria-label={`Makes ${group.nodes.join(', ')}`}>
                  → {group.nodes.map((id) => <span key={id} className="nb-node" data-kind={kindOf.get(id)}>{id}</span>)}
                </span>
              )}
            </div>
            <pre className="nb-source">{preview(c.source) || ' '}</pre>
            {issues.map((i, n) => (
              <p key={n} className="nb-cell-issue" role="note">{i.message}. <span className="muted">{i.fix}.</span></p>
            ))}
          </li>
        );
      })}
    </ol>
  );
}
