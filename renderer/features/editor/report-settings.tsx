// The settings of a report node (title, text, tables, charts) and of a publish node that
// delivers a report to people (email, Slack, a folder). Every change is an undoable edit
// of the document, like the other node settings; what the form cannot express (a chart's
// Vega-Lite spec) is edited as JSON and checked as it is typed.
import { useEffect, useState } from 'react';
import { useGraph } from '../../stores/graph-store.ts';
import '../reports/reports.css';
import type { NodeSpec } from '../../stores/graph-doc.ts';
import { Field } from './field.tsx';

type Report = Extract<NodeSpec, { kind: 'report' }>;
type Publish = Extract<NodeSpec, { kind: 'publish' }>;
type Chart = NonNullable<Report['charts']>[number];
type Table = NonNullable<Report['tables']>[number];

export const DELIVERY_TYPES = ['email', 'slack', 'folder'];

const str = (text: string): string | undefined => (text === '' ? undefined : text);
const list = (text: string): string[] | undefined => {
  const items = text.split(',').map((x) => x.trim()).filter(Boolean);
  return items.length ? items : undefined;
};
const asText = (v: string | string[] | undefined) => (v === undefined ? '' : Array.isArray(v) ? v.join(', ') : v);

/** The kinds of the nodes a report reads, to offer tables, charts and figures from. */
function useInputKinds(inputs: string[]): Map<string, string> {
  const nodes = useGraph((s) => s.doc?.definition.nodes);
  return new Map(inputs.map((id) => [id, nodes?.find((n) => n.id === id)?.kind ?? '']));
}

export function ReportFields({ node, update }: { node: Report; update(patch: Partial<Report>, field: string): void }) {
  const kinds = useInputKinds(node.inputs);
  const tables = node.inputs.filter((i) => ['source', 'sql', 'python'].includes(kinds.get(i) ?? ''));
  const pythons = node.inputs.filter((i) => kinds.get(i) === 'python');
  const values = node.inputs.filter((i) => ['metric', 'check'].includes(kinds.get(i) ?? ''));
  const setTables = (t: Table[], field: string) => update({ tables: t.length ? t : undefined }, field);
  const setCharts = (c: Chart[], field: string) => update({ charts: c.length ? c : undefined }, field);
  return (
    <>
      <Field label="Title" wide help={values.length ? `Placeholders: ${values.map((v) => `{{${v}}}`).join(' ')} {{date}}, and parameters` : 'Connect metrics to use their values as {{metric}}; parameters and {{date}} work too'}>
        <input type="text" aria-label="Title" value={node.title} onChange={(e) => update({ title: e.target.value }, 'title')} />
      </Field>
      <Field label="Text" wide help="# headings, **bold**, *italic*, - lists, [links](https://…); placeholders as in the title">
        <textarea className="mono" rows={6} aria-label="Text" value={node.text ?? ''} onChange={(e) => update({ text: str(e.target.value) }, 'text')} />
      </Field>
      <fieldset className="field wide report-parts" aria-label="Tables of the report">
        <span>Tables (first rows of an input)</span>
        {(node.tables ?? []).map((t, i) => (
          <div className="report-part" key={i}>
            <select aria-label={`Input of table ${i + 1}`} value={t.input} onChange={(e) => setTables((node.tables ?? []).map((x, j) => (j === i ? { ...x, input: e.target.value } : x)), `table:${i}:input`)}>
              {[...new Set([t.input, ...tables])].map((id) => <option key={id}>{id}</option>)}
            </select>
            <input type="number" min={1} max={1000} aria-label={`Rows of table ${i + 1}`} placeholder="20 rows" value={t.rows ?? ''} onChange={(e) => setTables((node.tables ?? []).map((x, j) => (j === i ? { ...x, rows: e.target.value ? Number(e.target.value) : undefined } : x)), `table:${i}:rows`)} />
            <input type="text" aria-label={`Columns of table ${i + 1}`} placeholder="all columns" value={(t.columns ?? []).join(', ')} onChange={(e) => setTables((node.tables ?? []).map((x, j) => (j === i ? { ...x, columns: list(e.target.value) } : x)), `table:${i}:columns`)} />
            <button type="button" className="btn ghost small" aria-label={`Remove table ${i + 1}`} onClick={() => setTables((node.tables ?? []).filter((_, j) => j !== i), `table-remove:${i}`)}>Remove</button>
          </div>
        ))}
        <div>
          <button type="button" className="btn small" disabled={tables.length === 0} title={tables.length ? undefined : 'connect a table to the report first'} onClick={() => setTables([...(node.tables ?? []), { input: tables[0]! }], 'table-add')}>Add table</button>
        </div>
      </fieldset>
      <fieldset className="field wide report-parts" aria-label="Charts of the report">
        <span>Charts (a Vega-Lite spec over an input, or a figure a python node returns)</span>
        {(node.charts ?? []).map((c, i) => (
          <ChartEditor key={i} index={i} chart={c} tables={tables} pythons={pythons} onChange={(next) => setCharts((node.charts ?? []).map((x, j) => (j === i ? next : x)), `chart:${i}`)} onRemove={() => setCharts((node.charts ?? []).filter((_, j) => j !== i), `chart-remove:${i}`)} />
        ))}
        <div>
          <button
            type="button"
            className="btn small"
            disabled={tables.length === 0}
            title={tables.length ? undefined : 'connect a table to the report first'}
            onClick={() => setCharts([...(node.charts ?? []), { title: 'Chart', input: tables[0]!, vega_lite: { mark: 'bar', encoding: {} } }], 'chart-add')}
          >
            Add chart
          </button>
        </div>
      </fieldset>
    </>
  );
}

function ChartEditor({ index, chart, tables, pythons, onChange, onRemove }: { index: number; chart: Chart; tables: string[]; pythons: string[]; onChange(c: Chart): void; onRemove(): void }) {
  const spec = JSON.stringify(chart.vega_lite ?? {}, null, 2);
  const [draft, setDraft] = useState(spec);
  const [error, setError] = useState<string>();
  useEffect(() => setDraft((d) => (safeParse(d) === spec ? d : spec)), [spec]);
  const isFigure = chart.figure !== undefined;
  return (
    <div className="report-part chart-part">
      <input type="text" aria-label={`Title of chart ${index + 1}`} value={chart.title ?? ''} placeholder="title" onChange={(e) => onChange({ ...chart, title: str(e.target.value) })} />
      <select
        aria-label={`Kind of chart ${index + 1}`}
        value={isFigure ? 'figure' : 'vega'}
        onChange={(e) => onChange(e.target.value === 'figure' ? { title: chart.title, figure: pythons[0] ?? '' } : { title: chart.title, input: tables[0] ?? '', vega_lite: { mark: 'bar', encoding: {} } })}
      >
        <option value="vega">Vega-Lite</option>
        <option value="figure" disabled={pythons.length === 0}>figure from Python</option>
      </select>
      <select aria-label={`Input of chart ${index + 1}`} value={isFigure ? chart.figure : chart.input ?? ''} onChange={(e) => onChange(isFigure ? { ...chart, figure: e.target.value } : { ...chart, input: e.target.value })}>
        {[...new Set([isFigure ? chart.figure ?? '' : chart.input ?? '', ...(isFigure ? pythons : tables)])].filter(Boolean).map((id) => <option key={id}>{id}</option>)}
      </select>
      <button type="button" className="btn ghost small" aria-label={`Remove chart ${index + 1}`} onClick={onRemove}>Remove</button>
      {!isFigure && (
        <>
          <textarea
            className="mono chart-spec"
            rows={7}
            aria-label={`Vega-Lite spec of chart ${index + 1}`}
            aria-invalid={error ? true : undefined}
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              try {
                const parsed = JSON.parse(e.target.value) as unknown;
                if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the spec must be a JSON object');
                setError(undefined);
                onChange({ ...chart, vega_lite: parsed as Record<string, unknown> });
              } catch (err) {
                setError((err as Error).message);
              }
            }}
          />
          {error && <span className="field-error" role="alert">Not valid JSON yet: {error}</span>}
        </>
      )}
    </div>
  );
}

function safeParse(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}

export function DeliveryFields({ node, update }: { node: Publish; update(patch: Partial<Publish>, field: string): void }) {
  const d = node.destination;
  const set = (patch: Partial<typeof d>, field: string) => update({ destination: { ...d, ...patch } }, field);
  const type = d.type;
  return (
    <>
      {type !== 'folder' && (
        <Field label={type === 'email' ? 'SMTP connection' : 'Slack connection'} help="a saved connection (Connections)">
          <input type="text" aria-label="Connection" value={d.connection ?? ''} onChange={(e) => set({ connection: str(e.target.value) }, 'connection')} />
        </Field>
      )}
      {type === 'email' && (
        <>
          <Field label="To" wide help="addresses, comma-separated; owner and watchers name the workflow's">
            <input type="text" aria-label="To" value={asText(d.to)} onChange={(e) => set({ to: list(e.target.value) }, 'to')} />
          </Field>
          <Field label="Cc" wide>
            <input type="text" aria-label="Cc" value={asText(d.cc)} onChange={(e) => set({ cc: list(e.target.value) }, 'cc')} />
          </Field>
          <Field label="Subject" wide help="placeholders as in the report, e.g. {{title}}">
            <input type="text" aria-label="Subject" value={d.subject ?? ''} placeholder="{{title}}" onChange={(e) => set({ subject: str(e.target.value) }, 'subject')} />
          </Field>
          <Field label="Size limit (MB)">
            <input type="number" min={1} max={100} aria-label="Size limit (MB)" value={d.max_size_mb ?? ''} placeholder="20" onChange={(e) => set({ max_size_mb: e.target.value ? Number(e.target.value) : undefined }, 'max_size_mb')} />
          </Field>
        </>
      )}
      {type === 'slack' && (
        <Field label="Channel">
          <input type="text" aria-label="Channel" value={d.channel ?? ''} placeholder="#reports" onChange={(e) => set({ channel: str(e.target.value) }, 'channel')} />
        </Field>
      )}
      {type === 'folder' && (
        <>
          <Field label="Folder" wide>
            <input type="text" aria-label="Folder" value={d.path ?? ''} onChange={(e) => set({ path: str(e.target.value) }, 'path')} />
          </Field>
          <Field label="File name" help="without extension; placeholders allowed">
            <input type="text" aria-label="File name" value={d.name ?? ''} placeholder="the report's id" onChange={(e) => set({ name: str(e.target.value) }, 'name')} />
          </Field>
        </>
      )}
      <Field label="Attach" wide help="pdf, html, or a table of the report as <table>.csv or <table>.xlsx (default: pdf)">
        <input type="text" aria-label="Attach" value={(d.attach ?? []).join(', ')} onChange={(e) => set({ attach: list(e.target.value) }, 'attach')} />
      </Field>
      {type !== 'folder' && (
        <label className="check-label field wide">
          <input type="checkbox" checked={d.optional === true} onChange={(e) => set({ optional: e.target.checked || undefined }, 'optional')} />
          Skip (and say why) while the connection does not exist, instead of failing
        </label>
      )}
    </>
  );
}
