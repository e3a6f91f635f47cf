// What the store keeps of deployments and the remote runs the app follows: one deployment
// per workflow and engine connection (a redeploy updates it), and a remote run whose
// follower process died is not "interrupted" like a local run: it goes on on the engine,
// and stays open for the next process to pick up.
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { DeploymentRecords } from './deployment-records.ts';
import { MetadataStore } from './metadata-store.ts';

function setup() {
  const store = new MetadataStore(openDatabase(':memory:'));
  const records = new DeploymentRecords(store.db, store.clock);
  const wf = store.upsertWorkflow('/work/wf', 'wf');
  store.putVersion(wf.id, 'v1', { name: 'wf' });
  store.putVersion(wf.id, 'v2', { name: 'wf' });
  return { store, records, wf };
}

describe('deployment records', () => {
  it('keeps one deployment per workflow and connection; a redeploy moves its version on and clears the last problem', () => {
    const { records, wf } = setup();
    const first = records.save({ workflowId: wf.id, connection: 'prod', engine: 'airflow', versionHash: 'v1', remoteId: 'aqueduct_wf', detail: { paused: false } });
    records.setProblem(first.id, 'Airflow could not import aqueduct_wf.py');
    expect(records.get(first.id)?.problem).toBe('Airflow could not import aqueduct_wf.py');
    const again = records.save({ workflowId: wf.id, connection: 'prod', engine: 'airflow', versionHash: 'v2', remoteId: 'aqueduct_wf', detail: { paused: true } });
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ versionHash: 'v2', detail: { paused: true }, problem: undefined });
    records.save({ workflowId: wf.id, connection: 'staging', engine: 'airflow', versionHash: 'v1', remoteId: 'aqueduct_wf', detail: {} });
    expect(records.list().map((d) => d.connection).sort()).toEqual(['prod', 'staging']);
  });

  it('a followed remote run survives its follower dying: not interrupted, still open, the last run of its deployment', () => {
    const { store, records, wf } = setup();
    const d = records.save({ workflowId: wf.id, connection: 'prod', engine: 'airflow', versionHash: 'v1', remoteId: 'aqueduct_wf', detail: {} });
    const remote = store.createRun({ workflowId: wf.id, versionHash: 'v1', trigger: 'app', params: {}, engine: 'airflow', status: 'running' });
    records.addRun(remote.id, d.id, 'manual__1');
    const local = store.createRun({ workflowId: wf.id, versionHash: 'v1', trigger: 'manual', params: {}, status: 'running' });
    const interrupted = store.interruptOrphanedRuns(() => false);
    expect(interrupted.map((r) => r.id)).toEqual([local.id]);
    expect(store.getRunSummary(remote.id)?.status).toBe('running');
    expect(records.openRuns().map((r) => [r.runId, r.engineRef])).toEqual([[remote.id, 'manual__1']]);
    expect(records.knownRefs(d.id)).toEqual(new Set(['manual__1']));
    expect(records.lastRunId(d.id)).toBe(remote.id);
    records.markDone(remote.id);
    expect(records.openRuns()).toEqual([]);
  });
});
