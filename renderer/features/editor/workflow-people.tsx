// Who answers for the workflow (its owner, told about failures, and watchers told too)
// and which of its tables are served read-only as endpoints. Saved in workflow.yaml with
// the rest of the workflow's settings; an owner left empty means the user named in Settings.
import { useEffect, useState } from 'react';
import { useGraph } from '../../stores/graph-store.ts';
import { TABLE_KINDS } from '../../stores/graph-doc.ts';

export function WorkflowPeople() {
  const definition = useGraph((s) => s.doc?.definition);
  const summaryOwner = useGraph((s) => s.detail?.summary.owner);
  const ownerIsDefault = useGraph((s) => s.detail?.summary.ownerIsDefault);
  const set = useGraph.getState().setWorkflowFields;
  const owner = definition?.owner;
  const [name, setName] = useState(owner?.name ?? '');
  const [email, setEmail] = useState(owner?.email ?? '');
  const [watchers, setWatchers] = useState((definition?.watchers ?? []).join(', '));
  // follow undo and edits made elsewhere
  useEffect(() => {
    setName(owner?.name ?? '');
    setEmail(owner?.email ?? '');
  }, [owner?.name, owner?.email]);
  useEffect(() => setWatchers((definition?.watchers ?? []).join(', ')), [definition?.watchers]);
  if (!definition) return null;
  const tables = definition.nodes.filter((n) => TABLE_KINDS.has(n.kind)).map((n) => n.id);
  const served = new Set(definition.endpoints ?? []);
  const commitOwner = (n: string, e: string) => set({ owner: n.trim() || e.trim() ? { name: n.trim() || e.trim(), email: e.trim() } : undefined }, 'owner');

  return (
    <>
      <div className="field">
        <span id="owner-label">Owner</span>
        <div className="people-grid" role="group" aria-labelledby="owner-label">
          <input type="text" aria-label="Owner's name" placeholder={ownerIsDefault ? summaryOwner?.name ?? 'name' : 'name'} value={name} onChange={(e) => { setName(e.target.value); commitOwner(e.target.value, email); }} />
          <input type="text" inputMode="email" aria-label="Owner's email" placeholder={ownerIsDefault ? summaryOwner?.email ?? 'email' : 'email'} value={email} onChange={(e) => { setEmail(e.target.value); commitOwner(name, e.target.value); }} />
        </div>
        <span className="field-help">
          {owner ? 'Told about failures (and warnings, if the Schedule tab asks for them).' : summaryOwner ? `Empty: owned by ${summaryOwner.name} <${summaryOwner.email}>, the user named in Settings.` : 'Empty: set your name and email in Settings to own your workflows.'}
        </span>
      </div>
      <label className="field">
        <span>Watchers</span>
        <input
          type="text"
          aria-label="Watchers"
          placeholder="ben@example.com, Chloé <chloe@example.com>"
          value={watchers}
          onChange={(e) => {
            setWatchers(e.target.value);
            const list = e.target.value.split(',').map((x) => x.trim()).filter(Boolean);
            set({ watchers: list.length ? list : undefined }, 'watchers');
          }}
        />
        <span className="field-help">Also told about failures, by email once an SMTP server is set up.</span>
      </label>
      <div className="field">
        <span id="endpoints-label">Endpoints</span>
        {tables.length === 0 ? (
          <p className="muted">No tables to serve yet.</p>
        ) : (
          <div className="endpoint-toggles" role="group" aria-labelledby="endpoints-label">
            {tables.map((id) => (
              <label key={id} className="check-label">
                <input
                  type="checkbox"
                  checked={served.has(id)}
                  onChange={(e) => {
                    const next = tables.filter((t) => (t === id ? e.target.checked : served.has(t)));
                    set({ endpoints: next.length ? next : undefined }, 'endpoints');
                  }}
                />
                <span className="mono">{id}</span>
              </label>
            ))}
          </div>
        )}
        <span className="field-help">Served read-only at /api/v1/outputs/…/&lt;table&gt; to holders of an endpoint key (Endpoints screen).</span>
      </div>
    </>
  );
}
