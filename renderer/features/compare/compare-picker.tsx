// The run history's side of comparing: a checkbox on each run and a bar that says how
// many are picked and opens the comparison when there are two.
import { useEffect } from 'react';
import { CompareIcon } from '../../components/editor-icons.tsx';
import { shortHash } from '../../components/format.ts';
import { useCompare } from './compare-store.ts';

export function ComparePick({ runId }: { runId: string }) {
  const picked = useCompare((s) => s.picked.includes(runId));
  const toggle = useCompare((s) => s.toggle);
  return (
    <input
      type="checkbox"
      checked={picked}
      aria-label={`Pick run ${shortHash(runId)} to compare`}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => e.stopPropagation()}
      onChange={() => toggle(runId)}
    />
  );
}

export function CompareBar({ workflowId }: { workflowId: string }) {
  const forWorkflow = useCompare((s) => s.forWorkflow);
  useEffect(() => forWorkflow(workflowId), [workflowId, forWorkflow]);
  const picked = useCompare((s) => s.picked);
  const open = useCompare((s) => s.open);
  const reset = useCompare((s) => s.reset);
  return (
    <div className="compare-bar">
      <span className="muted">{picked.length === 0 ? 'Pick two runs to compare them' : picked.length === 1 ? 'Pick one more run' : '2 runs picked'}</span>
      {picked.length > 0 && (
        <button className="btn ghost small" onClick={reset}>
          Clear
        </button>
      )}
      <button className="btn small" disabled={picked.length !== 2} onClick={open}>
        <CompareIcon /> Compare
      </button>
    </div>
  );
}
