// One node on the canvas: kind colour, name, live status, timing and rows or value, and
// why it did not run ("skipped: predict failed"). Only nodes whose output another node
// can read (sources, SQL, Python, and reports, which publishes deliver) have an output
// handle to drag from (values of checks and metrics are chosen in a reader's Inputs); checks and metrics
// have a hidden one, and publishes a hidden input at the top, for the dashed edges that
// show publishes waiting on them. Memoised and fed plain data only (React Flow hygiene),
// so a status change re-renders that node alone.
import { memo, type ReactNode } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { formatCount, formatDuration, formatValue, statusLabel, statusTone } from '../../components/format.ts';
import { KindIcon } from '../../components/icons.tsx';
import { GATE_HANDLE, type WorkflowFlowNode } from './graph-layout.ts';

/** Kinds whose output is a table another node can read (mirrors TABLE_KINDS), or a report a publish delivers. */
const GIVES_OUTPUT = new Set(['source', 'sql', 'python', 'report']);

/** Lets long snake_case names wrap after an underscore instead of being cut off. */
function breakable(name: string): ReactNode[] {
  return name.split('_').flatMap((part, i, all) => (i < all.length - 1 ? [`${part}_`, <wbr key={i} />] : [part]));
}

function WorkflowNodeView({ data, selected }: NodeProps<WorkflowFlowNode>) {
  const { kind, label, status } = data;
  const meta: string[] = [];
  if (data.durationMs !== undefined) meta.push(formatDuration(data.durationMs));
  if (data.rows !== undefined) meta.push(`${formatCount(data.rows)} rows`);
  else if (data.value !== undefined) meta.push(kind === 'check' && typeof data.value === 'boolean' ? (data.value ? 'passed' : 'not passed') : formatValue(data.value));
  if (data.cached) meta.push('cached');
  const notRun = (status === 'skipped' || status === 'cancelled') && data.errorMessage;

  return (
    <div
      className="wf-node"
      data-kind={kind}
      data-status={status}
      data-tone={statusTone(status)}
      data-selected={selected ? 'true' : undefined}
      title={data.errorMessage ?? data.description}
    >
      {kind !== 'source' && <Handle type="target" position={Position.Left} className="wf-handle" title="Input: drop a connection here" />}
      {kind === 'publish' && <Handle type="target" id={GATE_HANDLE} position={Position.Top} className="wf-gate-handle" isConnectable={false} />}
      <div className="wf-node-icon" aria-hidden="true">
        <KindIcon kind={kind} />
      </div>
      <div className="wf-node-body">
        <div className="wf-node-title">{breakable(label)}</div>
        <div className="wf-node-meta">
          {status === 'failed' && data.errorMessage ? (
            <span className="wf-node-error">{data.errorMessage}</span>
          ) : notRun ? (
            <span className="wf-node-why">{data.errorMessage}</span>
          ) : meta.length > 0 ? (
            meta.join(' · ')
          ) : (
            <span className="wf-node-kind">{kind}</span>
          )}
        </div>
      </div>
      <div className="wf-node-status" aria-label={`status ${statusLabel(status)}`}>
        {status === 'running' ? <span className="spinner" /> : <span className="wf-dot" />}
      </div>
      {GIVES_OUTPUT.has(kind) && <Handle type="source" position={Position.Right} className="wf-handle" title="Output: drag to a node that reads it" />}
      {(kind === 'check' || kind === 'metric') && <Handle type="source" id={GATE_HANDLE} position={Position.Bottom} className="wf-gate-handle" isConnectable={false} />}
    </div>
  );
}

export const WorkflowNode = memo(WorkflowNodeView);
