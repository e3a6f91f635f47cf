// Importing run records: checked at the edge, idempotent, a changed record replaces the
// earlier import, and a local run with the same id is never overwritten.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db.ts';
import { MetadataStore } from '../store/metadata-store.ts';
import { appPaths, type AppPaths } from '../store/paths.ts';
import { RECORD_FORMAT, recordsInLogs, RECORD_BEGIN, RECORD_END } from './run-record.ts';
import { syncRunRecords } from './sync.ts';

const RUN = '2b7c1a4e-9d3f-4e8a-8c21-5f0e6d7a9b13';

function record(over: Record<string, unknown> = {}) {
  return {
    format: RECORD_FORMAT, runtimeVersion: '1', runId: RUN, engine: 'ray', engineRun: { submissionId: 's1' },
    workflow: { name: 'wf', folder: '/somewhere/wf' }, version: { hash: 'abc123', definition: { name: 'wf' } },
    trigger: 'ray', params: { n: 3 }, status: 'succeeded_with_warnings', error: null, createdAt: 1000, startedAt: 1000, finishedAt: 5000,
    nodes: [
      { nodeId: 'src', kind: 'source', status: 'succeeded', attempts: 1, startedAt: 1000, finishedAt: 2000, rows: 3, columns: [{ name: 'a', type: 'BIGINT' }], artifact: `${RUN}/src.parquet` },
      { nodeId: 'm', kind: 'metric', status: 'warning', attempts: 1, startedAt: 2000, finishedAt: 3000, value: 7, error: { message: 'metric m = 7 is above its upper bound 5' } },
    ],
    metrics: [{ nodeId: 'm', value: 7, lower: null, upper: 5, passed: false, ts: 3000 }],
    checks: [],
    publications: [],
    logs: [{ nodeId: 'src', ts: 2000, stream: 'system', line: 'read 3 rows from data/x.csv' }],
    ...over,
  };
}

describe('syncRunRecords', () => {
  let dir: string;
  let store: MetadataStore;
  let paths: AppPaths;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-sync-'));
    paths = appPaths(path.join(dir, 'home'));
    store = new MetadataStore(openDatabase(paths.database));
    fs.mkdirSync(path.join(dir, 'results', RUN), { recursive: true });
    fs.writeFileSync(path.join(dir, 'results', RUN, 'src.parquet'), 'PAR1');
  });
  afterEach(() => {
    store.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, body: unknown) => fs.writeFileSync(path.join(dir, 'results', name), typeof body === 'string' ? body : JSON.stringify(body));

  it('imports a record with its nodes, metrics, logs and table, marked with the engine; again, nothing changes', () => {
    write(`${RUN}.json`, record());
    write('notes.json', { something: 'else' });
    const first = syncRunRecords(store, paths, path.join(dir, 'results'));
    expect(first.imported.map((r) => [r.runId, r.engine, r.status])).toEqual([[RUN, 'ray', 'succeeded_with_warnings']]);
    const run = store.getRun(RUN)!;
    expect([run.engine, run.trigger, run.versionHash, run.startedAt, run.finishedAt]).toEqual(['ray', 'ray', 'abc123', 1000, 5000]);
    expect(run.nodes.find((n) => n.nodeId === 'src')!.artifactPath).toBe(path.join(paths.runs, RUN, 'src.parquet'));
    expect(fs.readFileSync(path.join(paths.runs, RUN, 'src.parquet'), 'utf8')).toBe('PAR1');
    expect(store.metricHistory(run.workflowId, 'm').map((m) => m.value)).toEqual([7]);
    expect(store.getLogs(RUN).map((l) => l.line)).toEqual(['read 3 rows from data/x.csv']);
    expect(store.getVersion('abc123')).toEqual({ name: 'wf' });
    const again = syncRunRecords(store, paths, path.join(dir, 'results'));
    expect([again.imported.length, again.unchanged.length]).toEqual([0, 1]);
    expect(store.getLogs(RUN)).toHaveLength(1);
  });

  it('replaces an earlier import when the record changed, and reports bad files', () => {
    write(`${RUN}.json`, record());
    syncRunRecords(store, paths, path.join(dir, 'results'));
    write(`${RUN}.json`, record({ status: 'failed', error: 'node "m" failed', finishedAt: 9000 }));
    write('broken.json', '{ not json');
    write('wrong.json', { ...record(), runId: 'not-a-uuid' });
    const r = syncRunRecords(store, paths, path.join(dir, 'results'));
    expect(r.updated.map((x) => x.status)).toEqual(['failed']);
    expect(r.invalid.map((x) => path.basename(x.file)).sort()).toEqual(['broken.json', 'wrong.json']);
    expect(r.invalid.find((x) => x.file.endsWith('wrong.json'))!.problem).toContain('runId');
    expect(store.getRun(RUN)!.status).toBe('failed');
    expect(store.getLogs(RUN)).toHaveLength(1);
  });

  it('never overwrites a local run that has the same id', () => {
    const wf = store.upsertWorkflow('/somewhere/wf', 'wf');
    store.putVersion(wf.id, 'abc123', {});
    store.createRun({ id: RUN, workflowId: wf.id, versionHash: 'abc123', trigger: 'test', params: {}, status: 'succeeded' });
    write(`${RUN}.json`, record());
    const r = syncRunRecords(store, paths, path.join(dir, 'results'));
    expect(r.invalid[0]!.problem).toContain('exists as a local run');
    expect(store.getRun(RUN)!.engine).toBe('local');
  });

  it('finds records printed between markers in a log', () => {
    const text = `noise\n${RECORD_BEGIN}\n${JSON.stringify({ a: 1 })}\n${RECORD_END}\nmore\n${RECORD_BEGIN}\n{"b":2}\n${RECORD_END}`;
    expect(recordsInLogs(text)).toEqual([{ a: 1 }, { b: 2 }]);
  });
});
