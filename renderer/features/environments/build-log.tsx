// The last build log of a workflow's environment, on demand.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';

export function BuildLog({ workflowId }: { workflowId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="env-log">
      <button type="button" className="btn small ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide build log' : 'Show build log'}
      </button>
      {open && <LogText workflowId={workflowId} />}
    </div>
  );
}

function LogText({ workflowId }: { workflowId: string }) {
  const q = useQuery(() => api.environments.log.query({ workflowId }), [workflowId]);
  if (!q.data) return null;
  return (
    <>
      <pre className="env-log-text mono" role="log" aria-label="Build log">{q.data.text || 'No build yet.'}</pre>
      <p className="muted small mono">{q.data.file}</p>
    </>
  );
}
