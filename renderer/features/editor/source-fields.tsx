// A source node's settings: the file (chosen with the OS dialog on the desktop, uploaded
// into data/ or picked from the workflow folder in a browser), where a relative path is
// read from, the format, and how to read it (null markers, delimiter, header, encoding,
// lines to skip, column types), with the first rows as these settings read them.
import { useEffect, useRef, useState } from 'react';
import { osFilePicker, uploadToWorkflow } from '../../client/files.ts';
import { Spinner } from '../../components/spinner.tsx';
import { useGraph } from '../../stores/graph-store.ts';
import type { NodeSpec } from '../../stores/graph-doc.ts';
import { useUi } from '../../stores/ui-store.ts';
import { Field } from './field.tsx';
import { FileBrowser } from './file-browser.tsx';
import { SampleTable, useSourceSample } from './source-sample.tsx';
import {
  COLUMN_TYPES,
  DELIMITERS,
  ENCODINGS,
  markersText,
  nullMarkers,
  nullValuesFor,
  parseMarkers,
  relativeToFolder,
  resolvedPath,
  type ColumnType,
  type SourceSpec,
} from './source-options.ts';

const str = (text: string): string | undefined => (text === '' ? undefined : text);

export function SourceFields({ node, workflowId, update }: { node: SourceSpec; workflowId: string; update(patch: Partial<NodeSpec>, field: string): void }) {
  const folder = useGraph((s) => s.detail?.summary.folder ?? '');
  const { sample, loading } = useSourceSample(workflowId, node);
  const file = node.file ?? '';
  const format = node.format ?? (/\.xlsx$/i.test(file) ? 'excel' : /\.(parquet|pq)$/i.test(file) ? 'parquet' : /\.(json|jsonl|ndjson)$/i.test(file) ? 'json' : 'csv');
  const tabular = format === 'csv' || format === 'excel';
  return (
    <>
      <FileField node={node} workflowId={workflowId} folder={folder} update={update} />
      <Field label="Format">
        <select value={node.format ?? ''} onChange={(e) => update({ format: (str(e.target.value) as SourceSpec['format']) ?? undefined }, 'format')}>
          <option value="">from the file name</option>
          <option value="csv">CSV</option>
          <option value="parquet">Parquet</option>
          <option value="json">JSON</option>
          <option value="excel">Excel</option>
        </select>
      </Field>
      {format === 'excel' && (
        <Field label="Sheet" help="Empty: the first sheet.">
          <input type="text" value={node.sheet ?? ''} onChange={(e) => update({ sheet: str(e.target.value) }, 'sheet')} />
        </Field>
      )}
      {tabular && <ReadingFields node={node} csv={format === 'csv'} update={update} />}
      <ColumnTypesField node={node} columns={sample?.ok ? sample.columns.map((c) => c.name) : []} update={update} />
      <SampleTable sample={sample} loading={loading} file={file} />
    </>
  );
}

function FileField({ node, workflowId, folder, update }: { node: SourceSpec; workflowId: string; folder: string; update(patch: Partial<NodeSpec>, field: string): void }) {
  const pick = osFilePicker();
  const input = useRef<HTMLInputElement>(null);
  const [browsing, setBrowsing] = useState(false);
  const [uploading, setUploading] = useState<string>();
  const [error, setError] = useState<string>();
  const notify = useUi((s) => s.notify);
  const file = node.file ?? '';
  const setFile = (f: string) => update({ file: f || undefined }, 'file');

  const upload = async (f: File) => {
    setUploading(f.name);
    setError(undefined);
    try {
      const r = await uploadToWorkflow(workflowId, f);
      setFile(r.path);
      notify('info', `${r.replaced ? 'Replaced' : 'Uploaded'} ${r.path} in the workflow folder.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setUploading(undefined);
    }
  };

  return (
    <div className="field wide">
      <label htmlFor={`source-file-${node.id}`}>Source file</label>
      <div className="file-row">
        <input id={`source-file-${node.id}`} type="text" className="mono" spellCheck={false} value={file} placeholder="data/train.csv" onChange={(e) => setFile(e.target.value)} aria-describedby={`source-file-help-${node.id}`} />
        {pick ? (
          <button
            type="button"
            className="btn"
            onClick={() =>
              void pick({ title: `Data file for ${node.id}`, defaultPath: folder }).then((p) => {
                if (p) setFile(relativeToFolder(folder, p));
              })
            }
          >
            Choose file…
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={() => input.current?.click()} disabled={!!uploading}>
              {uploading ? <Spinner label={`Uploading ${uploading}`} delay={0} /> : null} Upload…
            </button>
            <button type="button" className="btn" onClick={() => setBrowsing(true)}>
              Browse…
            </button>
            <input
              ref={input}
              type="file"
              hidden
              aria-label="File to upload into data/"
              accept=".csv,.tsv,.txt,.parquet,.pq,.json,.jsonl,.ndjson,.xlsx"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void upload(f);
              }}
            />
          </>
        )}
      </div>
      <span className="field-help" id={`source-file-help-${node.id}`}>
        {file ? (
          <>
            Reads <span className="mono">{resolvedPath(folder, file)}</span>
          </>
        ) : (
          <>Relative paths start at the workflow folder, <span className="mono">{folder}</span>.</>
        )}
        {!pick && ' Upload puts a copy in its data/ folder.'}
      </span>
      {error && <span className="field-error" role="alert">{error}</span>}
      {browsing && (
        <FileBrowser
          workflowId={workflowId}
          onClose={() => setBrowsing(false)}
          onChoose={(p) => {
            setFile(p);
            setBrowsing(false);
          }}
        />
      )}
    </div>
  );
}

function ReadingFields({ node, csv, update }: { node: SourceSpec; csv: boolean; update(patch: Partial<NodeSpec>, field: string): void }) {
  const markers = nullMarkers(node);
  const emptyIsNull = markers.includes('');
  const [draft, setDraft] = useState(markersText(markers));
  // follow undo and external edits, but not our own typing
  useEffect(() => setDraft((d) => (parseMarkers(d).join('\u0000') === markers.filter((m) => m !== '').join('\u0000') ? d : markersText(markers))), [markers]);
  return (
    <fieldset className="field wide reading-options">
      <legend>Reading the file</legend>
      <div className="field wide">
        <label htmlFor={`null-markers-${node.id}`}>Null markers</label>
        <input
          id={`null-markers-${node.id}`}
          type="text"
          className="mono"
          value={draft}
          spellCheck={false}
          aria-describedby={`null-markers-help-${node.id}`}
          onChange={(e) => {
            setDraft(e.target.value);
            update({ null_values: nullValuesFor(emptyIsNull, parseMarkers(e.target.value)) }, 'null_values');
          }}
        />
        <span className="field-help" id={`null-markers-help-${node.id}`}>
          Cells with these values (comma-separated) are read as missing, as pandas does.{' '}
          {node.null_values !== undefined && (
            <button type="button" className="btn ghost small" onClick={() => update({ null_values: undefined }, 'null_values')}>
              Use pandas’ defaults
            </button>
          )}
        </span>
      </div>
      <label className="check-label">
        <input type="checkbox" checked={emptyIsNull} onChange={(e) => update({ null_values: nullValuesFor(e.target.checked, parseMarkers(draft)) }, 'null_values')} /> Empty cells are missing
      </label>
      <label className="check-label">
        <input type="checkbox" checked={node.header !== false} onChange={(e) => update({ header: e.target.checked ? undefined : false }, 'header')} /> First row holds the column names
      </label>
      {csv && (
        <div className="reading-row">
          <Field label="Delimiter">
            <select value={node.delimiter ?? ''} onChange={(e) => update({ delimiter: str(e.target.value) }, 'delimiter')}>
              {DELIMITERS.map((d) => <option key={d.label} value={d.value}>{d.label}</option>)}
            </select>
          </Field>
          <Field label="Encoding">
            <select value={node.encoding ?? ''} onChange={(e) => update({ encoding: (str(e.target.value) as SourceSpec['encoding']) ?? undefined }, 'encoding')}>
              {ENCODINGS.map((d) => <option key={d.label} value={d.value}>{d.label}</option>)}
            </select>
          </Field>
        </div>
      )}
      <Field label="Skip rows" help="Lines before the header (a title, notes).">
        <input
          type="number"
          min={0}
          value={node.skip_rows ?? ''}
          placeholder="0"
          onChange={(e) => {
            const n = Math.max(0, Math.round(Number(e.target.value)));
            update({ skip_rows: e.target.value === '' || !Number.isFinite(n) || n === 0 ? undefined : n }, 'skip_rows');
          }}
        />
      </Field>
    </fieldset>
  );
}

function ColumnTypesField({ node, columns, update }: { node: SourceSpec; columns: string[]; update(patch: Partial<NodeSpec>, field: string): void }) {
  const types = node.column_types ?? {};
  const set = (next: Record<string, ColumnType>) => update({ column_types: Object.keys(next).length ? next : undefined }, 'column_types');
  const free = columns.filter((c) => !(c in types));
  const [adding, setAdding] = useState('');
  const column = free.includes(adding) ? adding : (free[0] ?? '');
  return (
    <fieldset className="field wide column-types">
      <legend>Column types</legend>
      {Object.entries(types).map(([name, type]) => (
        <div key={name} className="column-type-row">
          <span className="mono">{name}</span>
          <select aria-label={`Read ${name} as`} value={type} onChange={(e) => set({ ...types, [name]: e.target.value as ColumnType })}>
            {COLUMN_TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
          </select>
          <button type="button" className="btn ghost small" aria-label={`Read ${name} as detected`} onClick={() => set(Object.fromEntries(Object.entries(types).filter(([k]) => k !== name)))}>
            As detected
          </button>
        </div>
      ))}
      {free.length > 0 ? (
        <div className="column-type-row">
          <select aria-label="Column to set a type for" value={column} onChange={(e) => setAdding(e.target.value)}>
            {free.map((c) => <option key={c}>{c}</option>)}
          </select>
          <button type="button" className="btn small" onClick={() => column && set({ ...types, [column]: 'string' })}>
            Set its type
          </button>
        </div>
      ) : null}
      <span className="field-help">Columns are read as detected unless set here (e.g. a zip code as text, to keep its leading zeros).</span>
    </fieldset>
  );
}
