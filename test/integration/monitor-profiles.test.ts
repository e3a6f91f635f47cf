// Column profiles of real runs' outputs: every table output of a run is profiled by the
// time the run finishes (SQL, Python and source outputs alike), the figures match the data
// (nulls, distinct values, range, mean, top values, histogram), a large output is profiled
// on a sample with exact null counts, a reused output keeps its profile, and the figures
// over runs feed the sparklines.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { SAMPLE_ROWS } from '../../runner/monitor/profile/compute-profile.ts';
import { getProfile, profileTrends } from '../../runner/monitor/profile/profile-store.ts';
import { profileOf } from '../../runner/monitor/profile/profiler.ts';
import { makeWorkflow, openTestEngine } from '../helpers/workflows.ts';

describe('column profiles', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('profiles');
  });
  afterAll(async () => {
    await engine?.close();
  });

  const folder = () =>
    makeWorkflow({
      nodes: [
        { id: 'people', kind: 'source', file: 'data/people.csv' },
        { id: 'scored', kind: 'python', inputs: ['people'] },
        { id: 'by_city', kind: 'sql', inputs: ['scored'] },
        { id: 'enough', kind: 'check', inputs: ['by_city'] },
      ],
    }, {
      'data/people.csv': 'id,name,score,city,born\n1,Ada,1.5,Zürich,1990-01-02\n2,Bob,2.5,,1985-06-30\n3,Çelik,,İstanbul,2001-12-24\n4,Dan,4.5,Zürich,\n5,Eve,5.5,Zürich,1970-03-01\n',
      'nodes/scored.py': 'def run(people):\n    people["double"] = people["score"] * 2\n    return people\n',
      'nodes/by_city.sql': 'SELECT city, count(*) AS n FROM scored GROUP BY city ORDER BY city',
      'nodes/enough.sql': 'SELECT count(*) > 0 FROM by_city',
    }, 'profiles');

  it('profiles every table output by the end of the run, with figures that match the data', async () => {
    const run = await engine.run(folder());
    expect(run.status).toBe('succeeded');
    for (const id of ['people', 'scored', 'by_city']) expect(getProfile(engine.store.db, run.id, id), id).toBeDefined();
    expect(getProfile(engine.store.db, run.id, 'enough')).toBeUndefined();

    const p = getProfile(engine.store.db, run.id, 'people')!;
    expect(p.rows).toBe(5);
    expect(p.sampleRows).toBeUndefined();
    const col = (name: string) => p.columns.find((c) => c.name === name)!;
    expect(col('score')).toMatchObject({ type: 'DOUBLE', nulls: 1, distinct: 4, min: 1.5, max: 5.5, mean: 3.5 });
    expect(col('score').stddev).toBeCloseTo(1.8257, 3);
    expect(col('score').histogram!.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(col('city')).toMatchObject({ nulls: 1, distinct: 2, min: 'Zürich', max: 'İstanbul', top: [{ value: 'Zürich', count: 3 }, { value: 'İstanbul', count: 1 }] });
    expect(col('born')).toMatchObject({ type: 'DATE', nulls: 1, min: '1970-03-01', max: '2001-12-24' });
    expect(col('born').histogram!.min).toBe(Date.UTC(1970, 2, 1));
    // the Python node's output (written by pandas) is profiled the same way
    const scored = getProfile(engine.store.db, run.id, 'scored')!;
    expect(scored.columns.find((c) => c.name === 'double')).toMatchObject({ nulls: 1, min: 3, max: 11, mean: 7 });
  });

  it('a large output is profiled on a sample: counts of nulls, minimum and maximum stay exact', async () => {
    const n = SAMPLE_ROWS * 5;
    const wf = makeWorkflow({ nodes: [{ id: 'big', kind: 'sql' }] }, {
      'nodes/big.sql': `SELECT range AS id, CASE WHEN range % 10 = 0 THEN NULL ELSE range % 7 END AS bucket, 'k' || (range % 3) AS kind FROM range(${n})`,
    }, 'profile-big');
    const run = await engine.run(wf);
    const p = getProfile(engine.store.db, run.id, 'big')!;
    expect(p.rows).toBe(n);
    expect(p.sampleRows).toBeGreaterThan(SAMPLE_ROWS / 2);
    expect(p.sampleRows).toBeLessThan(SAMPLE_ROWS * 2);
    const bucket = p.columns.find((c) => c.name === 'bucket')!;
    expect(bucket).toMatchObject({ nulls: n / 10, min: 0, max: 6, distinct: 7 });
    expect(bucket.mean).toBeCloseTo(3, 1);
    const id = p.columns.find((c) => c.name === 'id')!;
    expect(id).toMatchObject({ min: 0, max: n - 1, distinct: n, top: [] });
    expect(id.mean! / ((n - 1) / 2)).toBeCloseTo(1, 1);
    const kind = p.columns.find((c) => c.name === 'kind')!;
    expect(kind.top!.map((t) => t.value).sort()).toEqual(['k0', 'k1', 'k2']);
  });

  it('a reused output keeps its profile; figures over runs give one point per run', async () => {
    const wf = folder();
    const first = await engine.run(wf);
    const preview = await engine.preview(wf, 'by_city');
    expect(preview.nodes.find((x) => x.nodeId === 'people')!.cachedFrom).toBe(first.id);
    expect(getProfile(engine.store.db, preview.id, 'people')!.columns).toEqual(getProfile(engine.store.db, first.id, 'people')!.columns);
    fs.appendFileSync(path.join(wf, 'data/people.csv'), '6,Fay,,,\n');
    await engine.run(wf);
    const trends = profileTrends(engine.store.db, first.workflowId, 'people');
    const score = trends.find((t) => t.name === 'score')!;
    // previews are not runs of the workflow's history
    expect(score.points.map((x) => [x.rows, x.nullRate])).toEqual([[5, 0.2], [6, 2 / 6]]);
  });

  it('an output from before profiling is profiled on first request; a deleted one says why', async () => {
    const run = await engine.run(folder());
    engine.store.db.prepare('DELETE FROM column_profiles WHERE run_id = ?').run(run.id);
    const node = engine.store.getNodeRun(run.id, 'by_city')!;
    const p = await profileOf(engine.store.db, engine.duck, run.id, 'by_city', node.artifactPath);
    expect(p.columns.map((c) => c.name)).toEqual(['city', 'n']);
    expect(getProfile(engine.store.db, run.id, 'by_city')).toEqual(p);
    fs.rmSync(engine.store.getNodeRun(run.id, 'people')!.artifactPath!);
    engine.store.db.prepare('DELETE FROM column_profiles WHERE run_id = ?').run(run.id);
    await expect(profileOf(engine.store.db, engine.duck, run.id, 'people', engine.store.getNodeRun(run.id, 'people')!.artifactPath)).rejects.toThrow(
      'the output of node "people" was deleted (retention) before it was profiled',
    );
  });
});
