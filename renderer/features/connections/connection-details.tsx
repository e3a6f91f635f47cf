// One saved connection: where it points, whether it worked last time, the workflows using
// it, and what can be done (test, edit, browse, delete). Deleting a connection in use is
// refused by the runner; the refusal lists the workflows and nodes to change first.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { Spinner } from '../../components/spinner.tsx';
import { formatAgo } from '../../components/format.ts';
import { useUi } from '../../stores/ui-store.ts';
import { errorOf } from './connection-form.tsx';
import { BROWSABLE, whereTo, type ConnectionDetail, type ConnectionInfo, type ConnectionTypeSpec, type ConnectionUsage, type TestAnswer } from './connection-types.ts';
import { TableBrowser } from './table-browser.tsx';
import { LastTestBadge, TestAnswerNote } from './test-answer.tsx';
import { TypeIcon } from './type-icon.tsx';

export function ConnectionDetails({ info, spec, onEdit, onChanged, onDeleted }: {
  info: ConnectionInfo;
  spec?: ConnectionTypeSpec;
  onEdit(): void;
  onChanged(): void;
  onDeleted(): void;
}) {
  const notify = useUi((s) => s.notify);
  const openWorkflow = useUi((s) => s.openWorkflow);
  const detail = useQuery<ConnectionDetail>(() => api.connections.get.query({ name: info.name }), [info.name, info.updatedAt]);
  const [answer, setAnswer] = useState<TestAnswer>();
  const [testing, setTesting] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; usages: ConnectionUsage[] }>();

  const test = async () => {
    setTesting(true);
    try {
      setAnswer(await api.connections.test.mutate({ name: info.name }));
      onChanged();
    } catch (e) {
      notify('error', errorOf(e).message);
    } finally {
      setTesting(false);
    }
  };

  const remove = async () => {
    try {
      await api.connections.delete.mutate({ name: info.name });
      notify('info', `Connection ${info.name} deleted.`);
      onDeleted();
    } catch (e) {
      const data = (e as { data?: { usages?: ConnectionUsage[] } }).data;
      setRefusal({ message: errorOf(e).message, usages: data?.usages ?? [] });
      detail.reload();
      setConfirming(false);
    }
  };

  const typeLabel = spec?.label ?? info.type;
  const labelOf = (field: string) => spec?.fields.find((f) => f.name === field)?.label ?? field;
  const settings = Object.entries(info.config).map(([k, v]) => [labelOf(k), typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v)] as const);
  const secrets = Object.entries(info.secrets).filter(([, set]) => set).map(([k]) => labelOf(k[3]!.toLowerCase() + k.slice(4)));

  return (
    <div className="conn-details">
      <section className="card" aria-label={`Connection ${info.name}`}>
        <div className="card-head">
          <div className="conn-title">
            <TypeIcon type={info.type} size={22} />
            <div>
              <h2 className="mono">{info.name}</h2>
              <p className="muted">{typeLabel} · <span className="mono">{whereTo(info)}</span></p>
            </div>
          </div>
          <LastTestBadge lastTest={info.lastTest} />
        </div>
        <dl className="conn-facts">
          {settings.map(([k, v]) => (
            <div className="fact" key={k}><dt>{k}</dt><dd className="mono">{v}</dd></div>
          ))}
          {secrets.length > 0 && <div className="fact"><dt>Secrets</dt><dd>{secrets.join(', ')}: saved, sealed</dd></div>}
          {info.lastTest && <div className="fact"><dt>Last test</dt><dd>{formatAgo(info.lastTest.at)}</dd></div>}
        </dl>
        {answer && <TestAnswerNote answer={answer} />}
        {refusal && (
          <div className="alert" role="alert" aria-label="Delete refused">
            <strong>Not deleted:</strong> {refusal.message}
            {refusal.usages.length > 0 && (
              <ul className="conn-usages">
                {refusal.usages.map((u) => (
                  <li key={u.workflowId}>
                    <button className="btn small ghost" onClick={() => openWorkflow(u.workflowId)}>{u.workflowName}</button>
                    <span className="muted">nodes: <span className="mono">{u.nodes.join(', ')}</span></span>
                  </li>
                ))}
              </ul>
            )}
            <div className="muted">Change those nodes to another connection (or remove them), then delete it.</div>
          </div>
        )}
        <div className="form-actions">
          <button className="btn" onClick={() => void test()} disabled={testing}>
            {testing && <Spinner label="Testing" delay={0} />} Test connection
          </button>
          {BROWSABLE.has(info.type) && (
            <button className="btn" aria-expanded={browsing} onClick={() => setBrowsing((b) => !b)}>Browse tables</button>
          )}
          <button className="btn" onClick={onEdit}>Edit</button>
          <div className="spacer" />
          {confirming ? (
            <>
              <span className="muted">Delete {info.name}? Workflows can no longer use it.</span>
              <button className="btn danger" onClick={() => void remove()}>Delete</button>
              <button className="btn ghost" onClick={() => setConfirming(false)}>Keep</button>
            </>
          ) : (
            <button className="btn ghost danger-text" aria-label={`Delete connection ${info.name}`} onClick={() => { setRefusal(undefined); setConfirming(true); }}>Delete…</button>
          )}
        </div>
      </section>
      <section className="card" aria-label="Used by">
        <h2>Used by</h2>
        {!detail.data && <Spinner label="Loading usages" />}
        {detail.data && detail.data.usages.length === 0 && (
          <p className="muted">No workflow uses it yet. In a workflow, set <span className="mono">connection: {info.name}</span> on a source or publish node.</p>
        )}
        {detail.data && detail.data.usages.length > 0 && (
          <ul className="conn-usages">
            {detail.data.usages.map((u) => (
              <li key={u.workflowId}>
                <button className="btn small ghost" onClick={() => openWorkflow(u.workflowId)} aria-label={`Open workflow ${u.workflowName}`}>{u.workflowName}</button>
                <span className="muted">nodes: <span className="mono">{u.nodes.join(', ')}</span></span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {browsing && <TableBrowser connection={info.name} />}
    </div>
  );
}
