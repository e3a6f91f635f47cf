// Run records come from other machines (a shared results folder, a job's logs): every
// field is untrusted. A hostile record must not write outside the run's folder, register
// a folder as a workflow, or add anything "delete workflow and its outputs" would drop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropPublished, publishedTargets } from '../connectors/lineage.ts';
import { openDatabase } from '../store/db.ts';
import { MetadataStore } from '../store/metadata-store.ts';
import { appPaths, type AppPaths } from '../store/paths.ts';
import { RECORD_FORMAT } from './run-record.ts';
import { syncRunRecords } from './sync.ts';

const RUN = '6f1d2c3b-4a5e-4f60-9a7b-8c9d0e1f2a3b';

function record(over: Record<string, unknown> = {}) {
  return {
    format: RECORD_FORMAT, runtimeVersion: '1', runId: RUN, engine: 'python',
    workflow: { name: 'wf' }, version: { hash: 'h1', definition: { name: 'wf' } },
    trigger: 'python', params: {}, status: 'succeeded', createdAt: 1000, startedAt: 1000, finishedAt: 2000,
    nodes: [{ nodeId: 'src', kind: 'source', status: 'succeeded', attempts: 1, artifact: 'src.parquet' }],
    metrics: [], checks: [], publications: [], logs: [],
    ...over,
  };
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe('syncRunRecords with hostile records', () => {
  let dir: string;
  let results: string;
  let store: MetadataStore;
  let paths: AppPaths;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-sync-hostile-'));
    // the app folder sits deep enough that ../../.. from a run folder stays inside `dir`
    paths = appPaths(path.join(dir, 'a', 'b', 'home'));
    store = new MetadataStore(openDatabase(paths.database));
    results = path.join(dir, 'results');
    fs.mkdirSync(results, { recursive: true });
    fs.writeFileSync(path.join(results, 'src.parquet'), 'ATTACKER BYTES');
  });
  afterEach(() => {
    store.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (body: unknown) => fs.writeFileSync(path.join(results, `${RUN}.json`), JSON.stringify(body));
  const outsideHome = () => filesUnder(dir).filter((f) => !f.startsWith(path.join('a', 'b', 'home') + path.sep) && !f.startsWith('results' + path.sep));

  it('refuses a node id that climbs out of the run folder, writing nothing outside it', () => {
    write(record({ nodes: [{ nodeId: '../../../../x/y', kind: 'source', status: 'succeeded', attempts: 1, artifact: 'src.parquet' }] }));
    const r = syncRunRecords(store, paths, results);
    expect(r.imported).toEqual([]);
    expect(r.invalid[0]!.problem).toContain('nodes.0.nodeId');
    expect(outsideHome()).toEqual([]);
    expect(store.getRun(RUN)).toBeUndefined();
  });

  it('refuses an absolute node id, and ids in metrics, checks, publications and logs', () => {
    const target = path.join(dir, 'abs');
    for (const over of [
      { nodes: [{ nodeId: target, kind: 'source', status: 'succeeded', attempts: 1, artifact: 'src.parquet' }] },
      { metrics: [{ nodeId: '../m', value: 1, passed: true, ts: 1 }] },
      { checks: [{ nodeId: 'A B', passed: true, severity: 'error', ts: 1 }] },
      { logs: [{ nodeId: '/etc/passwd', ts: 1, stream: 'stdout', line: 'x' }] },
    ]) {
      write(record(over));
      const r = syncRunRecords(store, paths, results);
      expect(r.invalid.map((x) => x.problem).join(' '), JSON.stringify(over)).toMatch(/nodeId/);
    }
    expect(fs.existsSync(`${target}.parquet`)).toBe(false);
    expect(outsideHome()).toEqual([]);
  });

  it('copies no artifact from outside the results folder, even through a symlink', () => {
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'not yours');
    fs.symlinkSync(secret, path.join(results, 'link.parquet'));
    write(record({
      nodes: [
        { nodeId: 'via_link', kind: 'source', status: 'succeeded', attempts: 1, artifact: 'link.parquet' },
        { nodeId: 'via_abs', kind: 'source', status: 'succeeded', attempts: 1, artifact: secret },
        { nodeId: 'via_dots', kind: 'source', status: 'succeeded', attempts: 1, artifact: '../secret.txt' },
        { nodeId: 'src', kind: 'source', status: 'succeeded', attempts: 1, artifact: 'src.parquet' },
      ],
    }));
    const r = syncRunRecords(store, paths, results);
    expect(r.imported.map((x) => x.runId)).toEqual([RUN]);
    const run = store.getRun(RUN)!;
    const artifacts = Object.fromEntries(run.nodes.map((n) => [n.nodeId, n.artifactPath ?? null]));
    expect(artifacts).toEqual({ via_link: null, via_abs: null, via_dots: null, src: path.join(paths.runs, RUN, 'src.parquet') });
    expect(filesUnder(path.join(paths.runs, RUN))).toEqual(['src.parquet']);
  });

  it('never registers the folder a record names as a workflow', () => {
    const elsewhere = path.join(dir, 'someone-elses-workflow');
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, 'workflow.yaml'), 'name: theirs\nnodes: []\n');
    write(record({ workflow: { name: 'wf', folder: elsewhere } }));
    const r = syncRunRecords(store, paths, results);
    expect(r.imported).toHaveLength(1);
    const folders = store.listWorkflows().map((w) => w.folder);
    expect(folders).not.toContain(elsewhere);
    expect(folders.every((f) => !path.isAbsolute(f))).toBe(true);
  });

  it('files the run under a workflow the user already opened at that folder, without renaming it', () => {
    const mine = path.join(dir, 'mine');
    const wf = store.upsertWorkflow(mine, 'My workflow');
    write(record({ workflow: { name: 'renamed by the record', folder: mine } }));
    syncRunRecords(store, paths, results);
    expect(store.getRun(RUN)!.workflowId).toBe(wf.id);
    expect(store.getWorkflow(wf.id)!.name).toBe('My workflow');
  });

  it('adds no drop target: delete-with-outputs leaves the files a record named', async () => {
    const mine = path.join(dir, 'mine');
    const wf = store.upsertWorkflow(mine, 'My workflow');
    const victim = path.join(dir, 'passwd');
    fs.writeFileSync(victim, 'root:x:0:0');
    const victimDb = path.join(dir, 'victim.sqlite');
    fs.writeFileSync(victimDb, '');
    write(record({
      workflow: { name: 'wf', folder: mine },
      publications: [
        { nodeId: 'src', destination: 'csv', target: victim, mode: 'replace', rows: 1, ts: 1 },
        { nodeId: 'to_db', destination: 'sqlite', target: `${victimDb}#main.users`, mode: 'replace', rows: 1, ts: 1 },
      ],
    }));
    expect(syncRunRecords(store, paths, results).imported).toHaveLength(1);
    // the run still shows what the engine said it published
    expect(store.getRun(RUN)!.publications.map((p) => p.target)).toEqual([victim, `${victimDb}#main.users`]);
    const dropped = await dropPublished(store.db, wf.id, { confirm: true, resolveConnection: () => Promise.reject(new Error('none')) });
    expect(dropped).toEqual([]);
    expect(fs.readFileSync(victim, 'utf8')).toBe('root:x:0:0');
    expect(publishedTargets(store.db, wf.id).every((t) => !t.droppable)).toBe(true);
    await expect(dropPublished(store.db, wf.id, { confirm: true, targets: [victim], resolveConnection: () => Promise.reject(new Error('none')) }))
      .rejects.toThrow(/not published by this workflow/);
    expect(fs.existsSync(victim)).toBe(true);
  });

  it('refuses records with oversized fields', () => {
    write(record({ workflow: { name: 'x'.repeat(100_000) } }));
    const r = syncRunRecords(store, paths, results);
    expect(r.invalid[0]!.problem).toContain('workflow.name');
    expect(store.listWorkflows()).toEqual([]);
  });
});
