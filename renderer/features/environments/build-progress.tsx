// A build under way: its step, a Cancel button, and the tool's output as it comes.
import { api } from '../../client/index.ts';
import { Spinner } from '../../components/spinner.tsx';
import type { EnvProgress } from './use-environment.ts';

export function BuildProgress({ workflowId, progress, lines }: { workflowId: string; progress: EnvProgress; lines: string[] }) {
  return (
    <div className="env-progress" role="status" aria-label="Python environment build">
      <div className="env-progress-head">
        <Spinner label="Building" delay={0} />
        <span className="env-step">{capitalize(progress.message)}…</span>
        <button type="button" className="btn small" onClick={() => void api.environments.cancel.mutate({ workflowId })}>
          Cancel
        </button>
      </div>
      {lines.length > 0 && <pre className="env-lines mono" aria-label="Build output">{lines.slice(-6).join('\n')}</pre>}
    </div>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
