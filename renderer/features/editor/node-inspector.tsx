// The side panel for the selected node: what it is, its code and settings (editable,
// saved with the workflow), its output in the run on display, its logs, and its error.
import { KindChip, StatusBadge } from '../../components/status.tsx';
import { NodeErrorView } from '../../components/node-error.tsx';
import { formatCount, formatDuration, formatValue } from '../../components/format.ts';
import { CloseIcon, PlayIcon } from '../../components/icons.tsx';
import { ResizeHandle } from '../../components/resize-handle.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { useGraph } from '../../stores/graph-store.ts';
import { isFinished, type LiveRun } from '../../stores/run-state.ts';
import { useUi, type InspectorTab } from '../../stores/ui-store.ts';
import type { LoadedNode } from '../../stores/api-types.ts';
import { previewNode } from '../runs/run-actions.ts';
import { CodeEditor } from './code-editor.tsx';
import { LogsView } from './logs-view.tsx';
import { NodeSettings } from './node-settings.tsx';
import { nodeRunView } from './node-status.ts';
import { OutputTable } from './output-table.tsx';
import { FigurePreview, ReportPreview } from '../reports/report-preview.tsx';
import { OwnerLine } from '../runs/run-facts.tsx';
import { PublishOutput } from './publish-output.tsx';

const TABS: { id: InspectorTab; label: string }[] = [
  { id: 'code', label: 'Code' },
  { id: 'settings', label: 'Settings' },
  { id: 'output', label: 'Output' },
  { id: 'logs', label: 'Logs' },
];

function settings(node: LoadedNode): [string, string][] {
  const out: [string, string][] = [];
  if (node.kind === 'source') {
    if (node.file) out.push(['File', node.file]);
    if (node.connection) out.push(['Connection', node.connection]);
  }
  if (node.kind === 'check' || node.kind === 'metric') out.push(['Severity', node.severity]);
  if (node.kind === 'metric' && node.bounds) {
    out.push(['Bounds', node.bounds.history ? `learned from the last ${node.bounds.history.runs} runs` : `${node.bounds.lower ?? '−∞'} … ${node.bounds.upper ?? '∞'}`]);
  }
  if (node.kind === 'publish') {
    const d = node.destination;
    const to = d.to === undefined ? undefined : Array.isArray(d.to) ? d.to.join(', ') : d.to;
    out.push(['Destination', [d.type, d.path, d.table, to, d.channel].filter(Boolean).join(' · ')]);
    if (!['email', 'slack', 'folder'].includes(d.type)) out.push(['Mode', node.mode]);
  }
  if (node.kind === 'report') out.push(['Report', `${node.title} · ${node.charts?.length ?? 0} chart(s), ${node.tables?.length ?? 0} table(s)`]);
  if (node.timeout) out.push(['Timeout', `${node.timeout} s`]);
  return out;
}

export function NodeInspector({ workflowId, node, runId, run }: { workflowId: string; node: LoadedNode; runId?: string; run?: LiveRun }) {
  const chosenTab = useUi((s) => s.inspectorTab);
  // nodes without code (sources, publishes) open on their settings
  const tab: InspectorTab = chosenTab === 'code' && node.source === undefined ? 'settings' : chosenTab;
  const setTab = useUi((s) => s.setInspectorTab);
  const close = useUi((s) => s.selectNode);
  const setCode = useGraph((s) => s.setCode);
  const canSave = useGraph((s) => !!s.doc);
  const summary = useGraph((s) => s.detail?.summary);
  const width = useUi((s) => s.inspectorWidth);
  const setWidth = useUi((s) => s.setInspectorWidth);
  const view = nodeRunView(run, node.id);
  const rec = run?.nodes[node.id];
  const runActive = !!run && !isFinished(run.summary.status);
  const previewing = runActive && run?.summary.kind === 'preview' && run.summary.targetNode === node.id;
  const hasTable = rec?.rows !== undefined || (rec?.columns?.length ?? 0) > 0;
  const done = rec && (rec.status === 'succeeded' || rec.status === 'warning');
  const facts = settings(node);
  if (node.inputs.length > 0) facts.unshift(['Inputs', node.inputs.join(', ')]);
  if (view.durationMs !== undefined) facts.push(['Time', `${formatDuration(view.durationMs)}${view.cached ? ' (cached)' : ''}`]);
  if (view.rows !== undefined) facts.push(['Rows', formatCount(view.rows)]);
  // a publish's value is what a preview says it would publish: the Output tab shows it
  if (view.value !== undefined && node.kind !== 'publish') facts.push(['Value', formatValue(view.value)]);
  if ((rec?.status === 'skipped' || rec?.status === 'cancelled') && rec.error) facts.push(['Did not run', rec.error.message]);
  const publishSettled = node.kind === 'publish' && !!runId && !!rec && ['succeeded', 'skipped', 'failed', 'cancelled'].includes(rec.status);

  return (
    <aside className="inspector" aria-label={`Node inspector: ${node.id}`} style={{ width }}>
      <ResizeHandle width={width} min={360} max={Math.max(400, window.innerWidth - 320)} onResize={setWidth} label="Resize the inspector" />
      <header className="inspector-head">
        <KindChip kind={node.kind} />
        <h2 className="inspector-title">{node.id}</h2>
        <StatusBadge status={view.status} />
        <div className="spacer" />
        <button className="btn ghost icon-btn" aria-label="Close inspector" aria-keyshortcuts="Escape" title="Close (Esc)" onClick={() => close(undefined)}>
          <CloseIcon />
        </button>
      </header>
      {node.description && <p className="inspector-desc">{node.description}</p>}
      <dl className="inspector-facts">
        {facts.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd className={k === 'Value' ? 'mono' : undefined}>{v}</dd>
          </div>
        ))}
      </dl>
      {rec?.status === 'failed' && rec.error && <NodeErrorView nodeId={node.id} error={rec.error} />}
      {rec?.status === 'failed' && <p className="inspector-owner"><OwnerLine workflow={summary} /></p>}
      {rec?.status === 'warning' && rec.error && <p className="alert warn node-warning" role="status" aria-label={`Warning in ${node.id}`}>{rec.error.message}</p>}

      <div className="inspector-tabs">
        <div className="tabs" role="tablist" aria-label="Node details">
          {TABS.filter((t) => t.id !== 'code' || node.source !== undefined).map((t) => (
            <button
              key={t.id}
              role="tab"
              id={`tab-${t.id}`}
              aria-controls={`panel-${t.id}`}
              aria-selected={tab === t.id}
              className="tab"
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div className="spacer" />
        <button
          className="btn small"
          onClick={() => void previewNode(workflowId, node.id)}
          disabled={runActive}
          title={node.kind === 'publish' ? 'Run what gates this publish (checks included) and show what it would publish; writes nothing' : 'Run this node and what it needs, then show its output'}
        >
          {previewing ? <Spinner label="Previewing" delay={0} /> : <PlayIcon />} Preview
        </button>
      </div>

      <div className="inspector-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'code' &&
          (node.source !== undefined ? (
            <CodeEditor
              key={`${node.id}:${node.language}`}
              code={node.source}
              language={node.language ?? 'sql'}
              readOnly={!canSave}
              label={`Code of ${node.id}`}
              onChange={(code) => setCode(node.id, code)}
            />
          ) : (
            <p className="muted output-note">
              {node.kind === 'source'
                ? `Reads ${node.file ?? node.connection ?? 'its data'}; there is no code to edit.`
                : node.kind === 'publish'
                  ? 'Writes its input to the destination above; there is no code to edit.'
                  : node.kind === 'report'
                    ? 'A report is set up under Settings: its title, text, tables and charts.'
                  : 'This node has no code file.'}
            </p>
          ))}
        {tab === 'settings' && (
          <div className="settings-scroll">
            <NodeSettings nodeId={node.id} language={node.language} editable={canSave} />
          </div>
        )}
        {tab === 'output' &&
          (runId && done && node.kind === 'report' ? (
            <ReportPreview runId={runId} nodeId={node.id} />
          ) : runId && done && node.kind === 'python' && !hasTable && rec?.value === undefined ? (
            <FigurePreview runId={runId} nodeId={node.id} />
          ) : publishSettled && runId && rec ? (
            <PublishOutput runId={runId} rec={rec} input={node.inputs[0]} run={run} />
          ) : runId && done && hasTable ? (
            <OutputTable runId={runId} nodeId={node.id} />
          ) : runId && done && rec?.value !== undefined ? (
            <div className="scalar-output">
              <div className="scalar-value" aria-label={`Value of ${node.id}`}>{formatValue(rec.value)}</div>
              <p className="muted">{node.kind === 'check' ? 'The check returned this value.' : 'The value this node computed in this run.'}</p>
            </div>
          ) : previewing || (runActive && rec?.status === 'running') ? (
            <div className="output-note"><Spinner label="Running" delay={0} /> Running…</div>
          ) : (
            <p className="muted output-note">
              No output in the run on display. Press <strong>Preview</strong> to run {node.id} and what it needs.
            </p>
          ))}
        {tab === 'logs' &&
          (runId && rec ? <LogsView runId={runId} nodeId={node.id} /> : <p className="muted output-note">This node did not run in the run on display.</p>)}
      </div>
    </aside>
  );
}
