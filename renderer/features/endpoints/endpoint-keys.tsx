// Endpoint keys: made for one output of a workflow (or every output it serves), shown
// once at creation with a request to copy, then only listed (label, scope, last use) and
// revoked. The app keeps a hash, never the key.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { formatAgo, formatTime } from '../../components/format.ts';
import { useUi } from '../../stores/ui-store.ts';
import type { Overview } from './endpoints-page.tsx';

export function EndpointKeysSection({ outputs, base }: { outputs: Overview['outputs']; base?: string }) {
  const keys = useQuery(() => api.endpoints.keys.list.query({}), []);
  const notify = useUi((s) => s.notify);
  const workflows = [...new Map(outputs.map((o) => [o.workflowId, o.workflowName])).entries()];
  const [workflowId, setWorkflowId] = useState<string>('');
  const chosen = workflowId || workflows[0]?.[0] || '';
  const [output, setOutput] = useState<string>('');
  const [label, setLabel] = useState('');
  const [made, setMade] = useState<{ key: string; path?: string }>();
  const [error, setError] = useState<string>();

  const create = async () => {
    setError(undefined);
    try {
      const r = await api.endpoints.keys.create.mutate({ workflowId: chosen, output: output || undefined, label });
      setMade({ key: r.key, path: outputs.find((o) => o.workflowId === chosen && (!output || o.output === output))?.path });
      setLabel('');
      keys.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const revoke = async (id: string, name: string) => {
    if (!window.confirm(`Revoke the key "${name}"? Whoever uses it is refused from now on.`)) return;
    try {
      await api.endpoints.keys.revoke.mutate({ id });
      notify('info', `Revoked the key "${name}".`);
      keys.reload();
    } catch (e) {
      notify('error', (e as Error).message);
    }
  };

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">Keys</h2>
      {workflows.length > 0 ? (
        <form
          className="endpoint-key-form"
          aria-label="New endpoint key"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <select aria-label="Workflow the key reads" value={chosen} onChange={(e) => { setWorkflowId(e.target.value); setOutput(''); }}>
            {workflows.map(([id, name]) => <option key={id} value={id}>{name}</option>)}
          </select>
          <select aria-label="Output the key reads" value={output} onChange={(e) => setOutput(e.target.value)}>
            <option value="">every output it serves</option>
            {outputs.filter((o) => o.workflowId === chosen).map((o) => <option key={o.output}>{o.output}</option>)}
          </select>
          <input type="text" aria-label="What the key is for" placeholder="what it is for, e.g. CRM sync" value={label} onChange={(e) => setLabel(e.target.value)} />
          <button type="submit" className="btn primary">New key</button>
        </form>
      ) : (
        <p className="muted">Serve an output first; keys read the outputs of one workflow.</p>
      )}
      {error && <p className="field-error" role="alert">{error}</p>}
      {made && (
        <div className="alert endpoint-new-key" role="status" aria-label="The new key">
          <strong>Copy this key now: it is not shown again.</strong>
          <code className="mono endpoint-key">{made.key}</code>
          <div className="endpoint-key-actions">
            <button className="btn small" onClick={() => void navigator.clipboard?.writeText(made.key).then(() => notify('info', 'Key copied.'))}>Copy</button>
            <button className="btn small ghost" onClick={() => setMade(undefined)}>Done</button>
          </div>
          {made.path && <pre className="mono endpoint-curl">curl -H "Authorization: Bearer {made.key}" "{base ?? ''}{made.path}?limit=5"</pre>}
        </div>
      )}
      {keys.error && <ErrorNote title="Could not load the keys." message={keys.error} />}
      {keys.data && keys.data.length > 0 && (
        <table className="list-table" aria-label="Endpoint keys">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Reads</th>
              <th scope="col">Made</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td>{k.label} <span className="muted mono">{k.id.slice(0, 6)}</span></td>
                <td>{k.workflowName} / {k.output ?? 'every output'}</td>
                <td>{formatTime(k.createdAt)}</td>
                <td>{k.lastUsedAt ? formatAgo(k.lastUsedAt) : <span className="muted">never</span>}</td>
                <td>{k.revokedAt ? <span className="badge" data-tone="fail">revoked</span> : <span className="badge" data-tone="ok">active</span>}</td>
                <td>{!k.revokedAt && <button className="btn small ghost" aria-label={`Revoke ${k.label}`} onClick={() => void revoke(k.id, k.label)}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
