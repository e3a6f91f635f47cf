// The first screen: every workflow the app knows with its last run and its next scheduled
// one, and the ways to get one: a new workflow (blank or from the example, under a name),
// the bundled example in one click, a folder that holds a workflow.yaml, or a Jupyter
// notebook to import.
// Removing one asks first what to do with the outputs it published (keep or drop).
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { EmptyState, ErrorNote } from '../../components/empty-state.tsx';
import { FolderIcon, PlusIcon } from '../../components/icons.tsx';
import { GearIcon } from '../settings/gear-icon.tsx';
import { LoadingBlock, Spinner } from '../../components/spinner.tsx';
import { useRuns } from '../../stores/runs-store.ts';
import { useUi } from '../../stores/ui-store.ts';
import type { WorkflowSummary } from '../../stores/api-types.ts';
import type { Schedule } from '../../../runner/schedule/types.ts';
import { useSettingsScreen } from '../settings/settings-screen.ts';
import { DeleteWorkflowDialog } from '../lineage/delete-workflow-dialog.tsx';
import { NewWorkflowForm } from './new-workflow-form.tsx';
import { NotebookImportDialog } from '../notebooks/import-dialog.tsx';
import { OpenFolderForm } from './open-folder-form.tsx';
import { WorkflowRow } from './workflow-row.tsx';

/** Owned by `email`, or by nobody in particular and so by the user named in Settings. */
function isMine(w: WorkflowSummary, email: string | undefined): boolean {
  return w.ownerIsDefault === true || (!!email && w.owner?.email.toLowerCase() === email.toLowerCase());
}

export function WorkflowsHome() {
  const finishedTick = useRuns((s) => s.finishedTick);
  const openWorkflow = useUi((s) => s.openWorkflow);
  const notify = useUi((s) => s.notify);
  // owners change with Settings (the default owner): read again when it closes
  const settingsOpen = useSettingsScreen((s) => s.open);
  const q = useQuery<WorkflowSummary[]>(() => api.workflows.list.query(), [finishedTick, settingsOpen]);
  const schedules = useQuery<Schedule[]>(() => api.schedules.list.query(), [finishedTick]);
  const scheduleOf = new Map((schedules.data ?? []).map((s) => [s.workflowId, s]));
  const [showOpen, setShowOpen] = useState(false);
  const [showNew, setShowNew] = useState(false);
  const [creating, setCreating] = useState(false);
  const [removing, setRemoving] = useState<WorkflowSummary>();
  const [importing, setImporting] = useState(false);
  const me = useQuery(() => api.settings.get.query(), [settingsOpen]);
  const [onlyMine, setOnlyMine] = useState(false);
  const shown = onlyMine ? q.data?.filter((w) => isMine(w, me.data?.owner?.email)) : q.data;

  const createExample = async () => {
    setCreating(true);
    try {
      const w = await api.workflows.createFromExample.mutate({});
      openWorkflow(w.id);
    } catch (e) {
      notify('error', `Could not create the example: ${(e as Error).message}`);
    } finally {
      setCreating(false);
    }
  };

  const openFolder = async (folder: string) => {
    const w = await api.workflows.open.mutate({ folder });
    openWorkflow(w.id);
  };

  const createHere = async (folder: string, name: string) => {
    const w = await api.workflows.create.mutate({ name, folder });
    openWorkflow(w.id);
  };

  const actions = (
    <div className="home-actions">
      <button
        className="btn primary"
        onClick={() => {
          setShowNew(true);
          setShowOpen(false);
        }}
        aria-expanded={showNew}
      >
        <PlusIcon /> New workflow
      </button>
      <button className="btn" onClick={() => void createExample()} disabled={creating}>
        {creating ? <Spinner label="Creating" delay={0} /> : <PlusIcon />} New from example
      </button>
      <button
        className="btn"
        onClick={() => {
          setShowOpen(true);
          setShowNew(false);
        }}
        aria-expanded={showOpen}
      >
        <FolderIcon /> Open folder…
      </button>
      <button className="btn" onClick={() => setImporting(true)}>
        Import notebook…
      </button>
      <button className="btn" onClick={useSettingsScreen.getState().show} aria-label="Settings" title="Settings: Python interpreter, app data folder">
        <GearIcon /> Settings
      </button>
    </div>
  );

  return (
    <div className="page-scroll">
      <div className="home">
        <header className="home-head">
          <div>
            <h1>Workflows</h1>
            <p className="muted">Build, run, check and publish data workflows on this machine.</p>
          </div>
          {actions}
        </header>
        {showNew && <NewWorkflowForm onCreated={(id) => openWorkflow(id)} onCancel={() => setShowNew(false)} />}
        {showOpen && <OpenFolderForm onOpen={openFolder} onCreateHere={createHere} onCancel={() => setShowOpen(false)} />}
        {q.error && <ErrorNote title="Could not load the workflows." message={q.error} action={<button className="btn small" onClick={q.reload}>Retry</button>} />}
        {!q.data && !q.error && <LoadingBlock label="Loading workflows" />}
        {q.data && q.data.length === 0 && (
          <EmptyState title="No workflows yet">
            Start your own with “New workflow”, try the bundled <strong>customer churn</strong> example with “New from example”,
            use “Open folder…” to open a folder that holds a <code>workflow.yaml</code>, or turn a Jupyter notebook into a
            workflow with “Import notebook…”.
          </EmptyState>
        )}
        {q.data && q.data.length > 0 && (
          <label className="check-label wf-mine" title={me.data?.owner ? `workflows owned by ${me.data.owner.email}` : 'set your name and email in Settings'}>
            <input type="checkbox" checked={onlyMine} onChange={(e) => setOnlyMine(e.target.checked)} /> Only mine
            {onlyMine && shown && <span className="muted"> ({shown.length} of {q.data.length})</span>}
          </label>
        )}
        {shown && shown.length === 0 && q.data && q.data.length > 0 && (
          <EmptyState title="None of these are yours">
            {me.data?.owner ? `No workflow is owned by ${me.data.owner.email}.` : 'Set your name and email in Settings: workflows without an owner of their own are then yours.'}
          </EmptyState>
        )}
        {shown && shown.length > 0 && (
          <ul className="wf-list" aria-label="Workflows">
            {shown.map((w) => (
              <WorkflowRow
                key={w.id}
                workflow={w}
                schedule={scheduleOf.get(w.id)}
                scheduleKnown={schedules.data !== undefined}
                onOpen={() => openWorkflow(w.id)}
                onOpenSchedule={() => openWorkflow(w.id, 'schedule')}
                onRename={async (name) => {
                  await api.workflows.rename.mutate({ id: w.id, name }).catch((e: Error) => notify('error', e.message));
                  q.reload();
                }}
                onRemove={() => setRemoving(w)}
              />
            ))}
          </ul>
        )}
        {importing && (
          <NotebookImportDialog
            onCancel={() => setImporting(false)}
            onImported={(r) => {
              setImporting(false);
              const left = r.issues.length;
              notify('info', `Imported ${r.name} (${r.nodes.length} nodes)${left ? `; ${left} ${left === 1 ? 'thing' : 'things'} not mapped, listed in IMPORT-NOTES.md` : ''}.`);
              openWorkflow(r.workflow.id);
            }}
          />
        )}
        {removing && (
          <DeleteWorkflowDialog
            workflow={removing}
            onCancel={() => setRemoving(undefined)}
            onDone={(dropped) => {
              const n = dropped.filter((d) => d.dropped).length;
              notify('info', `Removed ${removing.name}${dropped.length ? `; dropped ${n} published ${n === 1 ? 'output' : 'outputs'}` : ''}. Its files stay in ${removing.folder}.`);
              setRemoving(undefined);
              q.reload();
            }}
          />
        )}
      </div>
    </div>
  );
}
