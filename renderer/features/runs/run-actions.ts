// The user's run actions (run, preview a node, cancel), shared by the toolbar, the
// inspector and the keyboard shortcuts. Unsaved edits are saved first: a run always
// runs what the editor shows.
import { api } from '../../client/index.ts';
import { selectDirty, useGraph } from '../../stores/graph-store.ts';
import { useRuns } from '../../stores/runs-store.ts';
import { isFinished } from '../../stores/run-state.ts';
import { useUi } from '../../stores/ui-store.ts';
import type { ParamValue } from '../../stores/api-types.ts';
import { toParams } from './param-values.ts';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The typed overrides from the run form, or undefined (and a notice) when one is invalid. */
function currentParams(workflowId: string): Record<string, ParamValue> | undefined {
  const specs = useGraph.getState().detail?.definition?.parameters ?? {};
  const result = toParams(specs, useUi.getState().paramDrafts[workflowId] ?? {});
  if (result.ok) return result.params;
  const [name, err] = Object.entries(result.errors)[0]!;
  useUi.getState().setParamsOpen(true);
  useUi.getState().notify('error', `Parameter ${name}: ${err}`);
  return undefined;
}

async function saveIfDirty(): Promise<boolean> {
  const graph = useGraph.getState();
  if (!selectDirty(graph)) return true;
  await graph.save();
  const error = useGraph.getState().error;
  if (error) useUi.getState().notify('error', `Could not save before running: ${error}`);
  return !error;
}

export function activeRunId(workflowId: string): string | undefined {
  const s = useRuns.getState();
  const id = s.latestByWorkflow[workflowId];
  const run = id ? s.runs[id] : undefined;
  return run && !isFinished(run.summary.status) ? id : undefined;
}

export async function startRun(workflowId: string): Promise<void> {
  if (activeRunId(workflowId)) return;
  const params = currentParams(workflowId);
  if (!params || !(await saveIfDirty())) return;
  try {
    const run = await api.runs.start.mutate({ workflowId, params });
    useRuns.getState().noteRun(run);
    useUi.getState().pinRun(undefined);
    useUi.getState().setParamsOpen(false);
  } catch (e) {
    useUi.getState().notify('error', `Could not start the run: ${message(e)}`);
  }
}

export async function previewNode(workflowId: string, nodeId: string): Promise<void> {
  if (activeRunId(workflowId)) return;
  const params = currentParams(workflowId);
  if (!params || !(await saveIfDirty())) return;
  try {
    const run = await api.runs.preview.mutate({ workflowId, nodeId, params });
    useRuns.getState().noteRun(run);
    useUi.getState().pinRun(undefined);
    useUi.getState().selectNode(nodeId, 'output');
  } catch (e) {
    useUi.getState().notify('error', `Could not preview ${nodeId}: ${message(e)}`);
  }
}

export async function cancelRun(runId: string): Promise<void> {
  try {
    await api.runs.cancel.mutate({ runId });
  } catch (e) {
    useUi.getState().notify('error', `Could not cancel: ${message(e)}`);
  }
}
