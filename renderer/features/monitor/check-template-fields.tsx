// A check without code in the node settings: "What to check" picks SQL, Python or one of
// the templates; a template is filled in here and saved as `template:` in workflow.yaml
// (no code file). Column fields offer the input's columns from the run on display.
import type { ReactNode } from 'react';
import type { CheckTemplate, CheckTemplateType } from '../../stores/api-types.ts';
import { starterCode, type Language, type NodeSpec } from '../../stores/graph-doc.ts';
import { useGraph } from '../../stores/graph-store.ts';
import { useUi } from '../../stores/ui-store.ts';
import { useDisplayedRun } from '../runs/use-displayed-run.ts';
import { parseBound } from './metric-band-fields.tsx';

type CheckSpec = Extract<NodeSpec, { kind: 'check' }>;

export const TEMPLATE_LABELS: Record<CheckTemplateType, string> = {
  not_null: 'Not null',
  unique: 'Unique (a column or a combination)',
  accepted_values: 'Accepted values',
  range: 'Within a range',
  regex: 'Matches a pattern',
  row_count: 'Row count steady over the last runs',
  drift: 'Mean or null rate steady over the last runs',
  freshness: 'Fresh (newest timestamp)',
  schema_unchanged: 'Columns unchanged since the last run',
};

/** A template of `type` with the fields it needs, starting from the input's first column. */
export function newTemplate(type: CheckTemplateType, first = ''): CheckTemplate {
  switch (type) {
    case 'not_null':
    case 'unique':
      return { type, columns: first ? [first] : [] };
    case 'accepted_values':
      return { type, column: first, values: [] };
    case 'range':
      return { type, column: first, min: 0 };
    case 'regex':
      return { type, column: first, pattern: '.+' };
    case 'row_count':
      return { type, max_change_percent: 20, runs: 5 };
    case 'drift':
      return { type, column: first, measure: 'mean', max_z: 3, runs: 10 };
    case 'freshness':
      return { type, column: first, max_age_hours: 24 };
    case 'schema_unchanged':
      return { type };
  }
}

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
/** Accepted values as typed: numbers stay numbers when every value is one. */
export function parseValues(text: string): (string | number)[] {
  const items = list(text);
  return items.length && items.every((v) => Number.isFinite(Number(v))) ? items.map(Number) : items;
}

function Field({ label, children, wide, help }: { label: string; children: ReactNode; wide?: boolean; help?: string }) {
  return (
    <label className={wide ? 'field wide' : 'field'}>
      <span>{label}</span>
      {children}
      {help && <span className="field-help">{help}</span>}
    </label>
  );
}

export function CheckKindField({ node, language }: { node: CheckSpec; language?: Language }) {
  const columns = useInputColumns(node);
  const choose = (value: string) => {
    const g = useGraph.getState();
    if (value === 'sql' || value === 'python') {
      if (node.template) g.updateNode(node.id, { ...node, template: undefined } as NodeSpec, 'template');
      g.setLanguage(node.id, value);
      // back from a template: start from the starter code rather than an empty file
      if (!useGraph.getState().doc?.code[node.id]?.trim()) g.setCode(node.id, starterCode('check', value, node.inputs));
    } else {
      g.updateNode(node.id, { ...node, template: newTemplate(value as CheckTemplateType, columns[0]) } as NodeSpec, 'template');
    }
  };
  return (
    <Field label="What to check" wide>
      <select aria-label="What to check" value={node.template?.type ?? language ?? 'sql'} onChange={(e) => choose(e.target.value)}>
        <optgroup label="Code">
          <option value="sql">SQL query giving true/false</option>
          <option value="python">Python run() giving True/False</option>
        </optgroup>
        <optgroup label="Template (no code)">
          {Object.entries(TEMPLATE_LABELS).map(([type, label]) => <option key={type} value={type}>{label}</option>)}
        </optgroup>
      </select>
    </Field>
  );
}

/** The columns of the check's input in the run on display (empty when it has not run). */
function useInputColumns(node: CheckSpec): string[] {
  const route = useUi((s) => s.route);
  const { run } = useDisplayedRun(route.page === 'workflow' ? route.workflowId : '');
  const input = node.inputs[0];
  return (input && run?.nodes[input]?.columns?.map((c) => c.name)) || [];
}

export function CheckTemplateFields({ node }: { node: CheckSpec & { template: CheckTemplate } }) {
  const t = node.template;
  const columns = useInputColumns(node);
  const set = (patch: Record<string, unknown>, field: string) =>
    useGraph.getState().updateNode(node.id, { ...node, template: { ...t, ...patch } as CheckTemplate } as NodeSpec, `template.${field}`);
  const listId = `columns-of-${node.id}`;
  const column = (value: string, field = 'column') => (
    <Field label="Column">
      <input type="text" className="mono" list={listId} value={value} onChange={(e) => set({ column: e.target.value }, field)} />
    </Field>
  );
  const num = (label: string, field: string, value: number, min: number, help?: string) => (
    <Field label={label} help={help}>
      <input type="number" min={min} value={value} onChange={(e) => set({ [field]: Number(e.target.value) }, field)} />
    </Field>
  );
  return (
    <>
      <datalist id={listId}>{columns.map((c) => <option key={c} value={c} />)}</datalist>
      {(t.type === 'not_null' || t.type === 'unique') && (
        <Field label="Columns (comma-separated)" wide help={t.type === 'unique' ? 'Together unique; rows with a null in them are left to a not-null check.' : undefined}>
          <input type="text" className="mono" list={listId} defaultValue={t.columns.join(', ')} key={t.columns.join()} onBlur={(e) => set({ columns: list(e.target.value) }, 'columns')} />
        </Field>
      )}
      {t.type === 'accepted_values' && (
        <>
          {column(t.column)}
          <Field label="Accepted values (comma-separated)" wide>
            <input type="text" className="mono" defaultValue={t.values.join(', ')} key={t.values.join()} onBlur={(e) => set({ values: parseValues(e.target.value) }, 'values')} />
          </Field>
        </>
      )}
      {t.type === 'range' && (
        <>
          {column(t.column)}
          <Field label="Minimum" help="a number or $parameter">
            <input type="text" value={t.min ?? ''} placeholder="none" onChange={(e) => set({ min: parseBound(e.target.value) }, 'min')} />
          </Field>
          <Field label="Maximum" help="a number or $parameter">
            <input type="text" value={t.max ?? ''} placeholder="none" onChange={(e) => set({ max: parseBound(e.target.value) }, 'max')} />
          </Field>
        </>
      )}
      {t.type === 'regex' && (
        <>
          {column(t.column)}
          <Field label="Pattern (the whole value must match)" wide>
            <input type="text" className="mono" value={t.pattern} onChange={(e) => set({ pattern: e.target.value }, 'pattern')} />
          </Field>
        </>
      )}
      {t.type === 'row_count' && (
        <>
          {num('Allowed change (%)', 'max_change_percent', t.max_change_percent, 0.1)}
          {num('Compared with the last … runs', 'runs', t.runs, 1)}
        </>
      )}
      {t.type === 'drift' && (
        <>
          {column(t.column)}
          <Field label="Measure">
            <select value={t.measure} onChange={(e) => set({ measure: e.target.value }, 'measure')}>
              <option value="mean">mean</option>
              <option value="null_rate">null rate</option>
            </select>
          </Field>
          {num('Allowed z-score', 'max_z', t.max_z, 0.1, 'standard deviations from the mean of the last runs')}
          {num('Compared with the last … runs', 'runs', t.runs, 2)}
        </>
      )}
      {t.type === 'freshness' && (
        <>
          {column(t.column)}
          {num('Newest value at most … hours old', 'max_age_hours', t.max_age_hours, 0.01)}
        </>
      )}
    </>
  );
}
