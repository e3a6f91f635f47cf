// The nodes a node reads, chosen in its settings instead of by dragging a connection: one
// checkbox per node that gives it something to read (a table; for a report, metric and
// check values too), and for a publish a choice of one (the table it publishes, or the
// report it delivers to people). Values have no handle to drag from on the canvas: they
// are connected here. A choice the editor refuses (a cycle, say) is
// explained beside the field.
import { useState } from 'react';
import { useGraph } from '../../stores/graph-store.ts';
import { TABLE_KINDS, type NodeSpec } from '../../stores/graph-doc.ts';
import { canConnect, givesInputTo } from '../../stores/graph-ops.ts';
import { DELIVERY_TYPES } from './report-settings.tsx';

export function InputsField({ node }: { node: NodeSpec }) {
  const nodes = useGraph((s) => s.doc?.definition.nodes) ?? [];
  const [refusal, setRefusal] = useState<string>();
  const delivery = node.kind === 'publish' && DELIVERY_TYPES.includes(node.destination.type);
  const candidates = nodes.filter((n) =>
    n.id !== node.id && (node.kind === 'publish' ? (delivery ? n.kind === 'report' : TABLE_KINDS.has(n.kind)) : givesInputTo(n, node)),
  );

  const add = (source: string): boolean => {
    const g = useGraph.getState();
    const check = g.doc ? canConnect(g.doc, source, node.id) : { ok: false as const, reason: 'the workflow cannot be edited until workflow.yaml is fixed' };
    if (!check.ok) {
      setRefusal(`${node.id} cannot read ${source}: ${check.reason}.`);
      return false;
    }
    setRefusal(undefined);
    return g.connect(source, node.id);
  };
  const remove = (source: string) => {
    setRefusal(undefined);
    useGraph.getState().deleteElements([], [{ source, target: node.id }]);
  };

  const error = refusal && (
    <span className="field-error" role="alert" id={`inputs-error-${node.id}`}>
      {refusal}
    </span>
  );
  if (node.kind === 'publish') {
    const current = node.inputs[0] ?? '';
    return (
      <label className="field wide">
        <span>{delivery ? 'Input (the report it delivers)' : 'Input (the table it publishes)'}</span>
        <select
          value={current}
          aria-describedby={refusal ? `inputs-error-${node.id}` : undefined}
          onChange={(e) => {
            const next = e.target.value;
            if (current) remove(current);
            if (next && !add(next) && current) add(current);
          }}
        >
          <option value="">(none)</option>
          {candidates.map((c) => <option key={c.id} value={c.id}>{c.id}</option>)}
        </select>
        {error}
      </label>
    );
  }
  return (
    <fieldset className="field wide inputs-field" aria-describedby={refusal ? `inputs-error-${node.id}` : undefined}>
      <legend>Inputs</legend>
      {candidates.length === 0 ? (
        <span className="field-help">No node gives a table yet: add a Source node first.</span>
      ) : (
        <div className="inputs-choices">
          {candidates.map((c) => (
            <label key={c.id} className="check-label">
              <input type="checkbox" checked={node.inputs.includes(c.id)} onChange={(e) => (e.target.checked ? add(c.id) : remove(c.id))} />
              <span className="mono">{c.id}</span>
              <span className="muted small">{c.kind}</span>
            </label>
          ))}
        </div>
      )}
      <span className="field-help">Each input is a table named by its node: SQL reads it as a table, Python as a DataFrame argument.</span>
      {error}
    </fieldset>
  );
}
