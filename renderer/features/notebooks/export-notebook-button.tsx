// "Notebook" in the run history: the run's workflow version as a Jupyter notebook whose
// cells read this run's outputs, downloaded as a .ipynb file (the browser's, or the
// desktop's, save dialog decides where).
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { Spinner } from '../../components/spinner.tsx';
import { useUi } from '../../stores/ui-store.ts';

export function ExportNotebookButton({ workflowId, runId, label }: { workflowId: string; runId: string; label: string }) {
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const r = await api.notebooks.export.mutate({ workflowId, runId });
      const url = URL.createObjectURL(new Blob([r.text], { type: 'application/x-ipynb+json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = r.fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      useUi.getState().notify('error', `Could not export the notebook: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      className="btn small"
      aria-label={label}
      title="Download this run as a Jupyter notebook: one cell per node, reading this run's outputs"
      disabled={busy}
      onClick={(e) => {
        e.stopPropagation();
        void download();
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      {busy && <Spinner label="Exporting" delay={0} />} .ipynb
    </button>
  );
}
