// The first rows of a source's file as the current settings read it, under the settings:
// read again (after a short pause) whenever the file or an option changes, so the effect
// of "NA is null" or "read Zip as text" shows before anything is saved or run.
import { useEffect, useState } from 'react';
import { api, type RouterOutputs } from '../../client/index.ts';
import { formatCell } from '../../components/format.ts';
import { Spinner } from '../../components/spinner.tsx';
import type { NodeSpec } from '../../stores/graph-doc.ts';

export type Sample = RouterOutputs['files']['sample'];
type SourceSpec = Extract<NodeSpec, { kind: 'source' }>;

const SHOWN_ROWS = 20;

export function useSourceSample(workflowId: string, node: SourceSpec): { sample?: Sample; loading: boolean } {
  const [state, setState] = useState<{ sample?: Sample; loading: boolean }>({ loading: !!node.file });
  const key = JSON.stringify(node);
  useEffect(() => {
    if (!node.file || node.connection) return setState({ loading: false });
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const t = setTimeout(() => {
      api.files.sample.query({ workflowId, node, limit: SHOWN_ROWS }).then(
        (sample) => live && setState({ sample, loading: false }),
        (e: unknown) => live && setState({ sample: { ok: false, file: node.file ?? '', message: e instanceof Error ? e.message : String(e) }, loading: false }),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
    // the node's content (key), not its identity, decides when to read again
  }, [workflowId, key]);
  return state;
}

export function SampleTable({ sample, loading, file }: { sample?: Sample; loading: boolean; file: string }) {
  return (
    <section className="field wide source-sample" aria-label="First rows with these settings" aria-busy={loading}>
      <span>
        First rows with these settings {loading && <Spinner label="Reading the file" />}
      </span>
      {sample && !sample.ok && (
        <p className="field-error" role="alert">
          {sample.message}
          {sample.fix && <span className="muted"> — {sample.fix}</span>}
        </p>
      )}
      {sample?.ok && (
        <div className="sample-scroll">
          <table className="sample-table" aria-label={`First rows of ${file}`}>
            <thead>
              <tr>
                {sample.columns.map((c) => (
                  <th key={c.name} scope="col">
                    <span>{c.name}</span> <span className="th-type">{c.type}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sample.rows.map((r, i) => (
                <tr key={i}>
                  {sample.columns.map((c) => {
                    const v = r[c.name];
                    return (
                      <td key={c.name} className={v === null || v === undefined ? 'null' : typeof v === 'number' ? 'num' : undefined}>
                        {v === null || v === undefined ? 'null' : typeof v === 'string' ? v : formatCell(v)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
