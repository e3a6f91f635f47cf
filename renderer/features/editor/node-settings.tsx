// A node's settings, per kind: its id (renaming carries inputs, layout and code along),
// description, the source's file, a check's or metric's severity and bounds, a publish
// destination, and timeout/retries. Each change is an undoable edit of the document;
// typing into one field joins into one undo step.
import { useEffect, useState, type ReactNode } from 'react';
import { useGraph } from '../../stores/graph-store.ts';
import type { Language, NodeSpec } from '../../stores/graph-doc.ts';
import { useUi } from '../../stores/ui-store.ts';
import { DeliveryFields, DELIVERY_TYPES, ReportFields } from './report-settings.tsx';

const FILE_DESTINATIONS = ['csv', 'parquet', 'json', 'excel'];
const DB_FILE_DESTINATIONS = ['duckdb', 'sqlite'];
const SERVER_DESTINATIONS = ['postgres', 'mysql', 'mariadb', 'snowflake', 'bigquery', 'google_sheets'];
const MODES = ['replace', 'append', 'upsert', 'fail_if_exists'] as const;

function Field({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <label className={wide ? 'field wide' : 'field'}>
      <span>{label}</span>
      {children}
    </label>
  );
}

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
    <label className="field wide">
      <span>Id</span>
      <input
        type="text"
        className="mono"
        value={draft}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'node-id-error' : undefined}
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
      <span className="field-help">Other nodes read this node’s table by this name. Press Enter to rename.</span>
    </label>
  );
}

export function NodeSettings({ nodeId, language, editable }: { nodeId: string; language?: Language; editable: boolean }) {
  // the spec as saved (not the inspector's view of it, which carries code and language too)
  const node = useGraph((s) => s.doc?.definition.nodes.find((n) => n.id === nodeId));
  if (!node) return <p className="muted output-note">Fix the problems in workflow.yaml to edit this node here.</p>;
  return <SpecSettings node={node} language={language} editable={editable} />;
}

function SpecSettings({ node, language, editable }: { node: NodeSpec; language?: Language; editable: boolean }) {
  const update = (patch: Partial<NodeSpec>, field: string) => useGraph.getState().updateNode(node.id, { ...node, ...patch } as NodeSpec, field);
  const text = (field: string, value: string | undefined, onText: (v: string) => void) => (
    <input type="text" value={value ?? ''} onChange={(e) => onText(e.target.value)} data-field={field} />
  );

  return (
    <fieldset className="node-settings" disabled={!editable} aria-label={`Settings of ${node.id}`}>
      <IdField key={node.id} id={node.id} />
      <Field label="Description" wide>
        <textarea rows={2} value={node.description ?? ''} onChange={(e) => update({ description: str(e.target.value) }, 'description')} />
      </Field>

      {node.kind === 'source' && (
        <>
          <Field label="File" wide>
            {text('file', node.file, (v) => update({ file: str(v) }, 'file'))}
          </Field>
          <Field label="Format">
            <select value={node.format ?? ''} onChange={(e) => update({ format: (str(e.target.value) as typeof node.format) ?? undefined }, 'format')}>
              <option value="">from the file name</option>
              <option value="csv">CSV</option>
              <option value="parquet">Parquet</option>
              <option value="json">JSON</option>
              <option value="excel">Excel</option>
            </select>
          </Field>
          {(node.format === 'excel' || /\.xlsx?$/i.test(node.file ?? '')) && (
            <Field label="Sheet">{text('sheet', node.sheet, (v) => update({ sheet: str(v) }, 'sheet'))}</Field>
          )}
        </>
      )}

      {(node.kind === 'check' || node.kind === 'metric') && (
        <>
          <Field label="Language">
            <select value={language ?? 'sql'} onChange={(e) => useGraph.getState().setLanguage(node.id, e.target.value as Language)}>
              <option value="sql">SQL</option>
              <option value="python">Python</option>
            </select>
          </Field>
          <Field label="Severity">
            <select value={node.severity} onChange={(e) => update({ severity: e.target.value as 'error' | 'warning' }, 'severity')}>
              <option value="error">error (stops publishing)</option>
              <option value="warning">warning (recorded)</option>
            </select>
          </Field>
        </>
      )}
      {node.kind === 'metric' && (
        <>
          <Field label="Lower bound">
            <input type="number" value={node.bounds?.lower ?? ''} onChange={(e) => update({ bounds: bounds(num(e.target.value), node.bounds?.upper) }, 'lower')} />
          </Field>
          <Field label="Upper bound">
            <input type="number" value={node.bounds?.upper ?? ''} onChange={(e) => update({ bounds: bounds(node.bounds?.lower, num(e.target.value)) }, 'upper')} />
          </Field>
        </>
      )}

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

function bounds(lower: number | undefined, upper: number | undefined) {
  return lower === undefined && upper === undefined ? undefined : { lower, upper };
}

function PublishFields({ node, update }: { node: Extract<NodeSpec, { kind: 'publish' }>; update(patch: Partial<NodeSpec>, field: string): void }) {
  const d = node.destination;
  const type = d.type;
  const setDest = (patch: Partial<typeof d>, field: string) => update({ destination: { ...d, ...patch } }, field);
  const delivery = DELIVERY_TYPES.includes(type);
  return (
    <>
      <Field label="Destination type">
        <select value={type} onChange={(e) => setDest({ type: e.target.value }, 'type')}>
          <optgroup label="Files">
            {FILE_DESTINATIONS.map((t) => <option key={t}>{t}</option>)}
          </optgroup>
          <optgroup label="Database files">
            {DB_FILE_DESTINATIONS.map((t) => <option key={t}>{t}</option>)}
          </optgroup>
          <optgroup label="Servers and warehouses">
            {SERVER_DESTINATIONS.map((t) => <option key={t}>{t}</option>)}
          </optgroup>
          <optgroup label="People (deliver a report)">
            {DELIVERY_TYPES.map((t) => <option key={t}>{t}</option>)}
          </optgroup>
        </select>
      </Field>
      {delivery ? <DeliveryFields node={node} update={update} /> : <TableFields node={node} update={update} />}
    </>
  );
}

function TableFields({ node, update }: { node: Extract<NodeSpec, { kind: 'publish' }>; update(patch: Partial<NodeSpec>, field: string): void }) {
  const d = node.destination;
  const type = d.type;
  const setDest = (patch: Partial<typeof d>, field: string) => update({ destination: { ...d, ...patch } }, field);
  const usesPath = FILE_DESTINATIONS.includes(type) || DB_FILE_DESTINATIONS.includes(type);
  const usesTable = !FILE_DESTINATIONS.includes(type);
  const usesConnection = SERVER_DESTINATIONS.includes(type);
  return (
    <>
      <Field label="Mode">
        <select value={node.mode} onChange={(e) => update({ mode: e.target.value as (typeof MODES)[number] }, 'mode')}>
          {MODES.map((m) => <option key={m} value={m}>{m.replace(/_/g, ' ')}</option>)}
        </select>
      </Field>
      {usesPath && (
        <Field label="Path" wide>
          <input type="text" value={d.path ?? ''} onChange={(e) => setDest({ path: str(e.target.value) }, 'path')} />
        </Field>
      )}
      {usesConnection && (
        <Field label="Connection">
          <input type="text" value={d.connection ?? ''} onChange={(e) => setDest({ connection: str(e.target.value) }, 'connection')} />
        </Field>
      )}
      {usesTable && (
        <Field label="Table">
          <input type="text" value={d.table ?? ''} onChange={(e) => setDest({ table: str(e.target.value) }, 'table')} />
        </Field>
      )}
      {(type === 'excel' || type === 'google_sheets') && (
        <Field label="Sheet">
          <input type="text" value={d.sheet ?? ''} onChange={(e) => setDest({ sheet: str(e.target.value) }, 'sheet')} />
        </Field>
      )}
      {node.mode === 'upsert' && <KeyField keys={node.key} onKeys={(key) => update({ key }, 'key')} />}
    </>
  );
}

/** Upsert key columns typed as "a, b": kept as typed, parsed on each change. */
function KeyField({ keys, onKeys }: { keys?: string[]; onKeys(keys: string[] | undefined): void }) {
  const parse = (t: string) => t.split(',').map((k) => k.trim()).filter(Boolean);
  const [draft, setDraft] = useState((keys ?? []).join(', '));
  // follow undo and external edits, but not our own typing
  useEffect(() => setDraft((d) => (parse(d).join() === (keys ?? []).join() ? d : (keys ?? []).join(', '))), [keys]);
  return (
    <Field label="Key columns (comma-separated)" wide>
      <input
        type="text"
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          const key = parse(e.target.value);
          onKeys(key.length ? key : undefined);
        }}
      />
    </Field>
  );
}
