// Over the workflow: what stands between its Python nodes and a green run. An interpreter
// without pandas/pyarrow gets one button, "Set up Python", which builds an environment of
// the app's own (with this workflow's packages) while showing each step and the log; an
// app-owned environment not built yet says it will be built on the first run (or now),
// once the workflow has a node that runs Python (a new workflow starts without one).
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { BuildLog } from './build-log.tsx';
import { BuildProgress } from './build-progress.tsx';
import { useEnvironment } from './use-environment.ts';
import './environments.css';

export function EnvironmentBanner({ workflowId, usesPython }: { workflowId: string; usesPython: boolean }) {
  const env = useEnvironment(workflowId);
  const [error, setError] = useState<string>();
  const s = env.data;
  if (!s) return null;
  const setup = async () => {
    setError(undefined);
    try {
      await api.environments.setup.mutate({ workflowId });
      env.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const button = (
    <button type="button" className="btn small primary" onClick={() => void setup()}>
      Set up Python
    </button>
  );

  if (env.progress) {
    return (
      <div className="alert info env-banner" aria-label="Python environment">
        <BuildProgress workflowId={workflowId} progress={env.progress} lines={env.lines} />
        <BuildLog workflowId={workflowId} />
      </div>
    );
  }
  if (s.mode === 'interpreter' && s.check && !s.check.ok) {
    return (
      <div className="alert warn env-banner" role="alert" aria-label="Python environment">
        <p>
          <strong>Python nodes cannot run yet.</strong> {s.check.message}
        </p>
        {s.check.lacksPackages && (
          <p className="env-actions">
            {button}
            <span className="muted">Creates a Python environment of the app’s own with pandas, pyarrow and this workflow’s packages, shows each step, and uses it from the next run on.</span>
          </p>
        )}
        {error && <p className="field-error">{error}</p>}
      </div>
    );
  }
  if (s.mode === 'app' && s.error) {
    return (
      <div className="alert warn env-banner" role="alert" aria-label="Python environment">
        <p>
          <strong>The Python environment could not be built.</strong> {s.error}
        </p>
        <p className="env-actions">{button}</p>
        <BuildLog workflowId={workflowId} />
      </div>
    );
  }
  if (s.mode === 'app' && s.env?.state !== 'ready' && usesPython) {
    return (
      <div className="alert info env-banner" aria-label="Python environment">
        <p className="env-actions">
          <span>This workflow’s Python environment is not built yet: the first run builds it (a minute or so), or set it up now.</span>
          {button}
        </p>
      </div>
    );
  }
  return null;
}
