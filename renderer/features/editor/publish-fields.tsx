// A publish node's destination: its type (switching type proposes a path or table of the
// new type, so a CSV publish turned SQLite does not keep writing out/x.csv), mode, path,
// connection, table, sheet, and the key columns of an upsert. A report delivered to people
// (email, Slack, a folder) has fields of its own (report-settings.tsx).
import { useEffect, useState } from 'react';
import { switchDestination, type NodeSpec } from '../../stores/graph-doc.ts';
import { Field } from './field.tsx';
import { DeliveryFields, DELIVERY_TYPES } from './report-settings.tsx';

const FILE_DESTINATIONS = ['csv', 'parquet', 'json', 'excel'];
const DB_FILE_DESTINATIONS = ['duckdb', 'sqlite'];
const SERVER_DESTINATIONS = ['postgres', 'mysql', 'mariadb', 'snowflake', 'bigquery', 'google_sheets'];
const MODES = ['replace', 'append', 'upsert', 'fail_if_exists'] as const;

const str = (text: string): string | undefined => (text === '' ? undefined : text);

type PublishSpec = Extract<NodeSpec, { kind: 'publish' }>;

export function PublishFields({ node, update }: { node: PublishSpec; update(patch: Partial<NodeSpec>, field: string): void }) {
  const d = node.destination;
  const type = d.type;
  return (
    <>
      <Field label="Destination type">
        <select value={type} onChange={(e) => update({ destination: switchDestination(d, e.target.value, node.id) }, 'type')}>
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
      {DELIVERY_TYPES.includes(type) ? <DeliveryFields node={node} update={update} /> : <TableFields node={node} update={update} />}
    </>
  );
}

function TableFields({ node, update }: { node: PublishSpec; update(patch: Partial<NodeSpec>, field: string): void }) {
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
