// The words of a run notification: which workflow, which run, what status, and for a
// failure the node that failed and its error (with the fix when the engine knows one).
// Plain text, so email, Slack and the desktop all show the same thing.
import type { Person, RunDetail } from '../api/types.ts';
import type { RunNotification } from './types.ts';

const STATUS_WORDS: Record<string, string> = {
  succeeded: 'succeeded',
  succeeded_with_warnings: 'succeeded with warnings',
  failed: 'failed',
  interrupted: 'was interrupted',
  cancelled: 'was cancelled',
};

export function composeRunMessage(run: RunDetail, note?: string, owner?: Person): RunNotification {
  const name = run.workflowName ?? run.workflowId;
  const failed = run.nodes.find((n) => n.status === 'failed');
  const lines = [
    `Workflow: ${name}`,
    `Run: ${run.id}`,
    `Status: ${run.status}`,
    `Trigger: ${run.trigger}`,
    ...(owner ? [`Owner: ${owner.name} <${owner.email}>`] : []),
  ];
  if (run.startedAt && run.finishedAt) lines.push(`Duration: ${((run.finishedAt - run.startedAt) / 1000).toFixed(1)} s`);
  let error: string | undefined;
  if (failed) {
    error = failed.error?.message ?? 'failed';
    lines.push('', `Failing node: ${failed.nodeId} (${failed.kind})`, `Error: ${error}`);
    if (failed.error?.fix) lines.push(`Fix: ${failed.error.fix}`);
    if (failed.error?.detail) lines.push('', tail(failed.error.detail, 25));
  } else if (run.error) {
    error = run.error;
    lines.push('', `Error: ${run.error}`);
  }
  if (note) lines.push(note);
  const warnings = [
    ...run.checks.filter((c) => !c.passed && c.severity === 'warning').map((c) => `check ${c.nodeId}${c.message ? `: ${c.message}` : ''}`),
    ...run.metrics.filter((m) => !m.passed).map((m) => `metric ${m.nodeId} = ${m.value} outside [${m.lower ?? '-∞'}, ${m.upper ?? '∞'}]`),
  ];
  if (warnings.length) lines.push('', 'Warnings:', ...warnings.map((w) => `  - ${w}`));
  const title = `${name} ${STATUS_WORDS[run.status] ?? run.status} (run ${run.id.slice(0, 8)})${failed ? `: node ${failed.nodeId} failed` : ''}`;
  return { runId: run.id, workflowId: run.workflowId, workflowName: name, status: run.status, title, text: lines.join('\n'), failingNode: failed?.nodeId, error };
}

function tail(text: string, maxLines: number): string {
  const lines = text.trimEnd().split('\n');
  return (lines.length > maxLines ? ['…', ...lines.slice(-maxLines)] : lines).join('\n');
}
