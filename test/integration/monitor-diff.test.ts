// The data diff of a node's output between two real runs (the Parquet files the runs
// wrote): schema changes first, keyed diffs with duplicate keys, nulls and unicode, a
// numeric tolerance, a column whose type changed, the multiset diff without a key, and
// `aqueduct diff --json` giving exactly what the service (and so the UI) gives.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyedDiff, MultisetDiff } from '../../runner/api/monitor-types.ts';
import type { Engine } from '../../runner/engine.ts';
import { diffOutputs } from '../../runner/monitor/diff/diff-outputs.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow, openTestEngine } from '../helpers/workflows.ts';

const V1 = 'id,name,score,city\n1,Ada,1.5,Zürich\n2,Bob,2.0,\n3,Çelik,3.25,İstanbul\n4,Dan,,Oslo\n5,Eve,5.0,Paris\n6,Fay,6.0,Köln\n';
// 2: city null → Berlin; 3: score +0.0005; 4: score null → 4; 5 twice (a duplicate key); 6 removed; 7 added
const V2 = 'id,name,score,city\n1,Ada,1.5,Zürich\n2,Bob,2.0,Berlin\n3,Çelik,3.2505,İstanbul\n4,Dan,4.0,Oslo\n5,Eve,5.0,Paris\n5,Eve2,5.0,Paris\n7,Gül,7.0,Ankara 🌙\n';
// score becomes text
const V3 = 'id,name,score,city\n1,Ada,1.5,Zürich\n2,Bob,unknown,Berlin\n3,Çelik,3.2505,İstanbul\n4,Dan,4.0,Oslo\n7,Gül,7.0,Ankara 🌙\n';

describe('data diff between two runs', () => {
  let engine: Engine;
  let folder: string;
  const runs: string[] = [];

  beforeAll(async () => {
    engine = await openTestEngine('diff');
    folder = makeWorkflow({ nodes: [{ id: 'people', kind: 'source', file: 'data/people.csv' }, { id: 'clean', kind: 'sql', inputs: ['people'] }] }, {
      'nodes/clean.sql': 'SELECT * FROM people',
      'data/people.csv': V1,
    }, 'diff');
    for (const csv of [V1, V2, V3]) {
      fs.writeFileSync(path.join(folder, 'data/people.csv'), csv);
      const r = await engine.run(folder);
      expect(r.status).toBe('succeeded');
      runs.push(r.id);
    }
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  it('with a key: added, removed and changed rows, changes per column, duplicate keys left out and listed', async () => {
    const d = await diffOutputs(engine.duck, engine.store, runs[0]!, runs[1]!, 'clean', { key: ['id'] });
    expect(d.schema).toEqual({ added: [], removed: [], retyped: [] });
    expect([d.rowsA, d.rowsB]).toEqual([6, 7]);
    const r = d.result as KeyedDiff;
    expect(r.mode).toBe('key');
    expect({ added: r.added, removed: r.removed, changed: r.changed, unchanged: r.unchanged }).toEqual({ added: 1, removed: 1, changed: 3, unchanged: 1 });
    expect(r.columnChanges).toEqual([{ column: 'name', changed: 0 }, { column: 'score', changed: 2 }, { column: 'city', changed: 1 }]);
    expect(r.duplicates).toMatchObject({ keysA: 0, rowsA: 0, keysB: 1, rowsB: 2, sample: [{ key: { id: 5 }, countA: 0, countB: 2 }] });
    // side by side, first by key, the changed cells named; nulls are values too
    expect(r.changedSample.map((x) => [x.key.id, x.changed])).toEqual([[2, ['city']], [3, ['score']], [4, ['score']]]);
    expect(r.changedSample[0]!.a).toEqual({ id: 2, name: 'Bob', score: 2, city: null });
    expect(r.changedSample[0]!.b).toEqual({ id: 2, name: 'Bob', score: 2, city: 'Berlin' });
    expect(r.changedSample[2]!.a.score).toBeNull();
    expect(r.addedSample).toEqual([{ id: 7, name: 'Gül', score: 7, city: 'Ankara 🌙' }]);
    expect(r.removedSample).toEqual([{ id: 6, name: 'Fay', score: 6, city: 'Köln' }]);
  });

  it('a numeric tolerance: numbers closer than it are unchanged, nulls still differ from numbers', async () => {
    const r = (await diffOutputs(engine.duck, engine.store, runs[0]!, runs[1]!, 'clean', { key: ['id'], tolerance: 0.001 })).result as KeyedDiff;
    expect(r.changed).toBe(2);
    expect(r.columnChanges.find((c) => c.column === 'score')!.changed).toBe(1);
    expect(r.changedSample.map((x) => x.key.id)).toEqual([2, 4]);
  });

  it('a type change comes first, and the column is compared as text', async () => {
    const d = await diffOutputs(engine.duck, engine.store, runs[1]!, runs[2]!, 'clean', { key: ['id'] });
    expect(d.schema.retyped).toEqual([{ name: 'score', from: 'DOUBLE', to: 'VARCHAR' }]);
    const r = d.result as KeyedDiff;
    // 5 (duplicate in A) is left out; 2 changed from 2.0 to "unknown" (text, not one of the null markers); 3 and 4 print the same as text
    expect(r.changedSample.map((x) => [x.key.id, x.changed])).toEqual([[2, ['score']]]);
    expect(r.changedSample[0]!.b.score).toBe('unknown');
    expect(r.duplicates).toMatchObject({ keysA: 1, rowsA: 2, keysB: 0 });
    expect(r.unchanged).toBe(4);
  });

  it('without a key: how often each distinct row occurs on each side', async () => {
    const d = await diffOutputs(engine.duck, engine.store, runs[0]!, runs[1]!, 'clean');
    const r = d.result as MultisetDiff;
    expect(r.mode).toBe('multiset');
    expect({ a: r.onlyInA, b: r.onlyInB, distinct: r.distinctRows }).toEqual({ a: 4, b: 5, distinct: 9 });
    expect(r.sample.find((x) => x.row.name === 'Gül')).toEqual({ row: { id: 7, name: 'Gül', score: 7, city: 'Ankara 🌙' }, countA: 0, countB: 1 });
    expect(r.sample.find((x) => x.row.id === 4 && x.row.score === null)).toMatchObject({ countA: 1, countB: 0 });
  });

  it('aqueduct diff --json gives exactly what the service gives; the text names changes and duplicates', async () => {
    const service = await diffOutputs(engine.duck, engine.store, runs[0]!, runs[1]!, 'clean', { key: ['id'] });
    const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', engine.paths.home, 'diff', ...args], {
      encoding: 'utf8', env: { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' }, timeout: 120_000,
    });
    const json = cli(runs[0]!.slice(0, 8), runs[1]!.slice(0, 8), 'clean', '--key', 'id', '--json');
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(service);
    const text = cli(runs[0]!, runs[1]!, 'clean', '--key', 'id');
    expect(text.stdout).toContain('key id: 1 added, 1 removed, 3 changed, 1 the same');
    expect(text.stdout).toContain('duplicate keys: 0 in A (0 rows), 1 in B (2 rows)');
    expect(text.stdout).toMatch(/city\s+null\s+→\s+"Berlin"\s+\*/);
    const bad = cli(runs[0]!, runs[1]!, 'clean', '--tolerance', '0.1');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('error: a tolerance needs key columns: without a key, rows are matched whole, and a nearly equal number makes another row (fix: add key columns (--key id), or leave the tolerance out)');
  });

  it('bad input is one sentence naming what to fix', async () => {
    await expect(diffOutputs(engine.duck, engine.store, runs[0]!, runs[1]!, 'clean', { key: ['email'] })).rejects.toThrow(
      `key column "email" is not in the output of node "clean" in run ${runs[0]!.slice(0, 8)}`,
    );
    await expect(diffOutputs(engine.duck, engine.store, runs[0]!, runs[1]!, 'nope')).rejects.toThrow(`run ${runs[0]!.slice(0, 8)} has no node "nope"`);
    await expect(diffOutputs(engine.duck, engine.store, 'ffffffff', runs[1]!, 'clean')).rejects.toThrow('no run matches "ffffffff" (run A)');
  });
});
