// A unified line diff of one node's code between two versions. Long unchanged stretches
// fold to a line that says how many lines it hides, keeping three lines of context.
import type { DiffLine } from './compare-diff.ts';

const CONTEXT = 3;

type Row = DiffLine | { type: 'fold'; count: number };

function folded(lines: DiffLine[]): Row[] {
  const near = lines.map((_, i) => lines.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((l) => l.type !== 'same'));
  const out: Row[] = [];
  lines.forEach((l, i) => {
    if (near[i]) return void out.push(l);
    const last = out[out.length - 1];
    if (last?.type === 'fold') last.count++;
    else out.push({ type: 'fold', count: 1 });
  });
  return out;
}

export function CodeDiff({ lines, label }: { lines: DiffLine[]; label: string }) {
  return (
    <div className="code-diff" role="table" aria-label={label}>
      {folded(lines).map((l, i) =>
        l.type === 'fold' ? (
          <div key={i} className="diff-fold" role="row">
            <span role="cell">⋯ {l.count} unchanged {l.count === 1 ? 'line' : 'lines'}</span>
          </div>
        ) : (
          <div key={i} className={`diff-line diff-${l.type}`} role="row" aria-label={l.type === 'add' ? 'added' : l.type === 'del' ? 'removed' : undefined}>
            <span className="diff-no" role="cell">{l.a ?? ''}</span>
            <span className="diff-no" role="cell">{l.b ?? ''}</span>
            <span className="diff-sign" role="cell" aria-hidden="true">{l.type === 'add' ? '+' : l.type === 'del' ? '−' : ' '}</span>
            <span className="diff-text" role="cell">{l.text || ' '}</span>
          </div>
        ),
      )}
    </div>
  );
}
