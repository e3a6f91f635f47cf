// "Publish to engine": compile the workflow for a remote engine (a Python bundle, an
// Airflow DAG, a Ray job, Kubernetes manifests) into a folder, and show what was written;
// if the runtime cannot run some node, list each one and why instead. For Ray, the
// workflow can also be submitted to a saved cluster, and to Airflow it can be deployed
// (the DAG written into its DAGs folder; Engines lists it with its runs).
import { useEffect, useRef, useState } from 'react';
import { api, TRPCClientError } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { ENGINE_LABEL, ENGINE_WRITES, type EngineConnection, type EngineName, type ExportAnswer } from './engine-types.ts';
import './engines.css';

const ENGINES: EngineName[] = ['python', 'airflow', 'ray', 'kubernetes'];
type Refusal = { nodeId: string; why: string };

function refusalsOf(e: unknown): Refusal[] | undefined {
  return e instanceof TRPCClientError ? ((e.data as { refusals?: Refusal[] } | undefined)?.refusals ?? undefined) : undefined;
}

export function PublishDialog({ workflowId, onClose }: { workflowId: string; onClose(): void }) {
  const check = useQuery(() => api.engines.check.query({ workflowId }), [workflowId]);
  const connections = useQuery<EngineConnection[]>(() => api.engines.connections.list.query(), []);
  const [engine, setEngine] = useState<EngineName>('python');
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState<'export' | 'submit' | 'deploy'>();
  const [result, setResult] = useState<ExportAnswer>();
  const [refused, setRefused] = useState<Refusal[]>();
  const [error, setError] = useState<string>();
  const [cluster, setCluster] = useState('');
  const [submitted, setSubmitted] = useState<string>();
  const closeRef = useRef<HTMLButtonElement>(null);
  const rays = (connections.data ?? []).filter((c) => c.type === 'ray');
  const airflows = (connections.data ?? []).filter((c) => c.type === 'airflow');
  const [airflowTo, setAirflowTo] = useState('');
  const [deployed, setDeployed] = useState<string>();
  const refusals = refused ?? check.data?.refusals ?? [];
  const placeholder = check.data?.defaultOuts[engine] ?? '';

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !busy && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  const choose = (e: EngineName) => {
    setEngine(e);
    setResult(undefined);
    setError(undefined);
    setSubmitted(undefined);
    setDeployed(undefined);
  };

  const doExport = async () => {
    setBusy('export');
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.engines.export.mutate({ workflowId, engine, out: out.trim() || undefined }));
      setRefused(undefined);
    } catch (e) {
      const r = refusalsOf(e);
      if (r) setRefused(r);
      else setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const submit = async () => {
    setBusy('submit');
    setError(undefined);
    setSubmitted(undefined);
    try {
      const r = await api.engines.submitRay.mutate({ workflowId, connection: cluster || rays[0]?.name });
      setSubmitted(`Ray job ${r.submissionId}: ${r.jobStatus.toLowerCase()}; run ${r.runId.slice(0, 8)} ${r.run ? r.run.status : 'has no run record'}`);
    } catch (e) {
      const r = refusalsOf(e);
      if (r) setRefused(r);
      else setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const deploy = async () => {
    setBusy('deploy');
    setError(undefined);
    setDeployed(undefined);
    try {
      const r = await api.engines.deployments.deploy.mutate({ workflowId, connection: airflowTo || airflows[0]!.name });
      setDeployed(`Deployed version ${r.deployment.deployedVersion.slice(0, 8)} to ${r.deployment.connection} as ${r.deployment.remoteId}. ${r.notes.join(' ')}`);
    } catch (e) {
      const r = refusalsOf(e);
      if (r) setRefused(r);
      else setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="modal-backdrop">
      <div className="modal publish-dialog" role="dialog" aria-modal="true" aria-labelledby="publish-title">
        <header className="modal-head">
          <h2 id="publish-title">Publish to engine</h2>
        </header>
        <p className="muted">
          The same workflow, compiled for a remote engine. Deployed to Airflow, its runs come back into this history on their own; exported, when their results folder is synced (Engines, top bar).
        </p>
        <fieldset className="publish-engines" disabled={!!busy}>
          <legend>Engine</legend>
          {ENGINES.map((e) => (
            <label key={e} className="publish-engine" data-checked={engine === e}>
              <input type="radio" name="engine" value={e} checked={engine === e} onChange={() => choose(e)} />
              {ENGINE_LABEL[e]}
            </label>
          ))}
        </fieldset>
        <p className="muted" aria-label="What will be written">{ENGINE_WRITES[engine]}</p>
        <label className="field publish-out">
          <span>Output folder</span>
          <input type="text" value={out} placeholder={placeholder} onChange={(e) => setOut(e.target.value)} disabled={!!busy} spellCheck={false} />
          <span className="field-help">Created if missing; an earlier export there is replaced. Empty: {placeholder || 'the app’s exports folder'}.</span>
        </label>
        {check.error && <ErrorNote title="Could not check the workflow." message={check.error} />}
        {refusals.length > 0 && (
          <div className="alert warn publish-refusals" role="alert" aria-label="Nodes that cannot be exported">
            <strong>{refusals.length === 1 ? 'One node' : `${refusals.length} nodes`} cannot run on a remote engine as {refusals.length === 1 ? 'it is' : 'they are'}:</strong>
            <ul>
              {refusals.map((r) => (
                <li key={r.nodeId}><span className="mono">{r.nodeId}</span>: {r.why}</li>
              ))}
            </ul>
          </div>
        )}
        {error && <ErrorNote title="Could not publish:" message={error} />}
        {result && (
          <section className="publish-result" aria-label="Export result">
            <p>
              Exported <strong>{result.workflow}</strong> (version <span className="mono">{result.versionHash.slice(0, 8)}</span>) for {ENGINE_LABEL[result.engine]} to{' '}
              <span className="mono">{result.out}</span>:
            </p>
            <ul className="publish-files" aria-label="Files written">
              {result.written.map((f) => <li key={f}>{f}</li>)}
            </ul>
            {result.notes.map((n) => <p key={n} className="muted">Note: {n}</p>)}
          </section>
        )}
        {engine === 'ray' && (
          <div className="publish-ray">
            <label className="field">
              <span>Ray cluster</span>
              <select value={cluster || rays[0]?.name || ''} onChange={(e) => setCluster(e.target.value)} disabled={!!busy || rays.length === 0}>
                {rays.length === 0 && <option value="">No saved Ray connection: add one under Engines</option>}
                {rays.map((c) => <option key={c.id} value={c.name}>{c.name} · {c.config['address']}</option>)}
              </select>
            </label>
            <button className="btn" disabled={!!busy || rays.length === 0 || refusals.length > 0} onClick={() => void submit()}>
              {busy === 'submit' && <Spinner label="Submitting" delay={0} />} Submit to Ray
            </button>
          </div>
        )}
        {submitted && <p role="status" aria-label="Ray submission">{submitted}</p>}
        {engine === 'airflow' && (
          <div className="publish-ray">
            <label className="field">
              <span>Airflow</span>
              <select value={airflowTo || airflows[0]?.name || ''} onChange={(e) => setAirflowTo(e.target.value)} disabled={!!busy || airflows.length === 0}>
                {airflows.length === 0 && <option value="">No saved Airflow connection: add one under Engines</option>}
                {airflows.map((c) => <option key={c.id} value={c.name}>{c.name} · {c.where}</option>)}
              </select>
            </label>
            <button className="btn" disabled={!!busy || airflows.length === 0 || refusals.length > 0} onClick={() => void deploy()}>
              {busy === 'deploy' && <Spinner label="Deploying" delay={0} />} Deploy to Airflow
            </button>
          </div>
        )}
        {deployed && <p role="status" aria-label="Deployment">{deployed}</p>}
        <footer className="modal-actions">
          <button ref={closeRef} className="btn ghost" disabled={!!busy} onClick={onClose}>{result ? 'Close' : 'Cancel'}</button>
          <button className="btn primary" disabled={!!busy || refusals.length > 0 || !check.data} onClick={() => void doExport()}>
            {busy === 'export' && <Spinner label="Exporting" delay={0} />} Export
          </button>
        </footer>
      </div>
    </div>
  );
}

/** The toolbar button that opens the dialog. */
export function PublishButton({ workflowId }: { workflowId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button className="btn" aria-haspopup="dialog" onClick={() => setOpen(true)}>Publish to engine…</button>
      {open && <PublishDialog workflowId={workflowId} onClose={() => setOpen(false)} />}
    </>
  );
}
