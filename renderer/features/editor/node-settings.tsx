// A node's settings, per kind: its id (renaming carries inputs, layout and code along),
// description, its inputs, the source's file and how to read it, a check's or metric's
// severity and bounds, a publish destination, and timeout/retries. Each change is an
// undoable edit of the document; typing into one field joins into one undo step.
import { useEffect, useState } from 'react';
import { useGraph } from '../../stores/graph-store.ts';
import type { Language, NodeSpec } from '../../stores/graph-doc.ts';
import { useUi } from '../../stores/ui-store.ts';
import { Field } from './field.tsx';
import { InputsField } from './inputs-field.tsx';
import { PublishFields } from './publish-fields.tsx';
import { SourceFields } from './source-fields.tsx';
import { MetricBandFields } from '../monitor/metric-band-fields.tsx';
import { CheckKindField, CheckTemplateFields } from '../monitor/check-template-fields.tsx';
import { ReportFields } from './report-settings.tsx';

const num = (text: string): number | undefined => (text.trim() === '' || !Number.isFinite(Number(text)) ? undefined : Number(text));
const str = (text: string): string | undefined => (text === '' ? undefined : text);

function IdField({ id }: { id: string }) {
  const [draft, setDraft] = useState(id);
  const [error, setError] = useState<string>();
  useEffect(() => setDraft(id), [id]);
  const commit = () => {
    const to = draft.trim();
    if (to === id) return setError(undefined);
    const problem = useGraph.getState().renameNode(id, to);
    setError(problem);
    if (!problem) useUi.getState().selectNode(to, 'settings');
  };
  return (
    <div className="field wide">
      <label htmlFor="node-id-field">Id</label>
      <input
        id="node-id-field"
        type="text"
        className="mono"
        value={draft}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'node-id-error node-id-help' : 'node-id-help'}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(id);
        }}
      />
      {error && (
        <span className="field-error" id="node-id-error" role="alert">
          {error}
        </span>
      )}
      <span className="field-help" id="node-id-help">Other nodes read this node’s table by this name. Press Enter to rename.</span>
    </div>
  );
}

export function NodeSettings({ nodeId, language, editable }: { nodeId: string; language?: Language; editable: boolean }) {
  // the spec as saved (not the inspector's view of it, which carries code and language too)
  const node = useGraph((s) => s.doc?.definition.nodes.find((n) => n.id === nodeId));
  if (!node) return <p className="muted output-note">Fix the problems in workflow.yaml to edit this node here.</p>;
  return <SpecSettings node={node} language={language} editable={editable} />;
}

function SpecSettings({ node, language, editable }: { node: NodeSpec; language?: Language; editable: boolean }) {
  const workflowId = useGraph((s) => s.workflowId ?? '');
  const update = (patch: Partial<NodeSpec>, field: string) => useGraph.getState().updateNode(node.id, { ...node, ...patch } as NodeSpec, field);

  return (
    <fieldset className="node-settings" disabled={!editable} aria-label={`Settings of ${node.id}`}>
      <IdField key={node.id} id={node.id} />
      <Field label="Description" wide>
        <textarea rows={2} value={node.description ?? ''} onChange={(e) => update({ description: str(e.target.value) }, 'description')} />
      </Field>

      {node.kind !== 'source' && <InputsField node={node} />}
      {node.kind === 'source' && !node.connection && <SourceFields node={node} workflowId={workflowId} update={update} />}

      {node.kind === 'check' && <CheckKindField node={node} language={language} />}
      {node.kind === 'check' && node.template && <CheckTemplateFields node={{ ...node, template: node.template }} />}
      {(node.kind === 'check' || node.kind === 'metric') && (
        <>
          {node.kind === 'metric' && <Field label="Language">
            <select value={language ?? 'sql'} onChange={(e) => useGraph.getState().setLanguage(node.id, e.target.value as Language)}>
              <option value="sql">SQL</option>
              <option value="python">Python</option>
            </select>
          </Field>}
          <Field label="Severity">
            <select value={node.severity} onChange={(e) => update({ severity: e.target.value as 'error' | 'warning' }, 'severity')}>
              <option value="error">error (stops publishing)</option>
              <option value="warning">warning (recorded)</option>
            </select>
          </Field>
        </>
      )}
      {node.kind === 'metric' && <MetricBandFields node={node} update={update} />}

      {node.kind === 'publish' && <PublishFields node={node} update={update} />}
      {node.kind === 'report' && <ReportFields node={node} update={update} />}

      <Field label="Timeout (seconds)">
        <input type="number" min={1} value={node.timeout ?? ''} placeholder="none" onChange={(e) => update({ timeout: num(e.target.value) }, 'timeout')} />
      </Field>
      <Field label="Retries">
        <input type="number" min={0} max={10} value={node.retries} onChange={(e) => update({ retries: Math.max(0, Math.min(10, Math.round(num(e.target.value) ?? 0))) }, 'retries')} />
      </Field>
    </fieldset>
  );
}
