// Why: a preview never writes to a destination. Previewing a publish node runs what gates
// it in a real run (every check and metric, and whatever they need), then says what would
// be published (rows, target, mode), or that the publish would be blocked, and why.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../runner/api/types.ts';
import type { Engine } from '../../runner/engine.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const node = (run: RunDetail, id: string) => run.nodes.find((n) => n.nodeId === id)!;

/** numbers → totals → out_csv, with an error check on totals (passing unless told) and an unrelated metric. */
function workflow(label: string, checkSql = 'SELECT count(*) = 3 FROM totals') {
  const folder = makeWorkflow(
    {
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'totals', kind: 'sql', inputs: ['numbers'] },
        { id: 'three_groups', kind: 'check', inputs: ['totals'], severity: 'error' },
        { id: 'row_count', kind: 'metric', inputs: ['numbers'], bounds: { lower: 1 } },
        { id: 'out_csv', kind: 'publish', inputs: ['totals'], destination: { type: 'csv', path: 'out/totals.csv' }, mode: 'replace' },
      ],
    },
    {
      'data/numbers.csv': numbersCsv(30),
      'nodes/totals.sql': 'SELECT grp, sum(amount) AS total FROM numbers GROUP BY grp ORDER BY grp',
      'nodes/three_groups.sql': checkSql,
      'nodes/row_count.sql': 'SELECT count(*) FROM numbers',
      'out/totals.csv': 'grp,total\nold,1\n',
    },
    label,
  );
  return folder;
}

describe('previewing a publish node', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('preview-publish');
  });
  afterAll(() => engine.close());

  it('says what would be published and writes nothing', async () => {
    const folder = workflow('pp-ok');
    const target = join(folder, 'out/totals.csv');
    const before = hash(target);
    const run = await engine.preview(folder, 'out_csv');
    expect(run.kind).toBe('preview');
    expect(run.status, run.error).toBe('succeeded');
    expect(node(run, 'out_csv')).toMatchObject({ status: 'succeeded', rows: 3, value: `would publish 3 rows to ${target} (replace)` });
    // the checks and metrics that gate publishing ran too
    expect(node(run, 'three_groups').status).toBe('succeeded');
    expect(node(run, 'row_count').status).toBe('succeeded');
    expect(run.checks).toMatchObject([{ nodeId: 'three_groups', passed: true }]);
    expect(run.publications).toEqual([]);
    expect(hash(target)).toBe(before);
    expect(engine.store.getLogs(run.id, 'out_csv').map((l) => l.line)).toContain(`preview: would publish 3 rows to ${target} (replace); nothing was written`);
    // the preview is in the history, marked as a preview; the workflow's last run is not it
    const listed = engine.store.listRuns({ kind: 'preview' }).find((r) => r.id === run.id);
    expect(listed).toMatchObject({ kind: 'preview', targetNode: 'out_csv', status: 'succeeded' });
  });

  it('runs the error check that would block the publish, and says it would be blocked', async () => {
    const folder = workflow('pp-blocked', 'SELECT count(*) > 5 FROM totals');
    const target = join(folder, 'out/totals.csv');
    const before = hash(target);
    const run = await engine.preview(folder, 'out_csv');
    expect(run.status).toBe('failed');
    expect(run.checks).toMatchObject([{ nodeId: 'three_groups', passed: false, severity: 'error' }]);
    expect(node(run, 'out_csv')).toMatchObject({ status: 'skipped', error: { message: 'would not be published: check three_groups failed' } });
    expect(run.publications).toEqual([]);
    expect(hash(target)).toBe(before);
  });

  it('never creates a destination that does not exist yet', async () => {
    const folder = workflow('pp-new');
    writeFileSync(join(folder, 'workflow.yaml'), readFileSync(join(folder, 'workflow.yaml'), 'utf8').replace('out/totals.csv', 'out/new/totals.csv'));
    const run = await engine.preview(folder, 'out_csv');
    expect(node(run, 'out_csv').value).toBe(`would publish 3 rows to ${join(folder, 'out/new/totals.csv')} (replace)`);
    expect(existsSync(join(folder, 'out/new'))).toBe(false);
  });
});

describe('aqueduct preview of a publish node', () => {
  const home = tempHome('preview-publish-cli');
  const aqueduct = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, ...args], {
      encoding: 'utf8',
      env: { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' },
      timeout: 180_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('prints what would be published, exit 0, and the destination is untouched', () => {
    const folder = workflow('ppcli-ok');
    const target = join(folder, 'out/totals.csv');
    const before = hash(target);
    const r = aqueduct('preview', folder, 'out_csv');
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(`out_csv: would publish 3 rows to ${target} (replace)`);
    expect(r.stdout).toContain('check three_groups passed');
    expect(hash(target)).toBe(before);
  });

  it('says the publish would be blocked by the failing check, exit 1', () => {
    const folder = workflow('ppcli-blocked', 'SELECT false');
    const before = hash(join(folder, 'out/totals.csv'));
    const r = aqueduct('preview', folder, 'out_csv');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('out_csv: would not be published: check three_groups failed');
    expect(hash(join(folder, 'out/totals.csv'))).toBe(before);
  });

  it('lists previews only when asked, marked as previews', () => {
    const folder = workflow('ppcli-list');
    expect(aqueduct('preview', folder, 'out_csv').code).toBe(0);
    const plain = aqueduct('runs', '-w', folder);
    expect(plain.stdout).not.toContain('preview of out_csv');
    expect(plain.stdout).toContain('1 preview not listed (--previews lists them)');
    const all = aqueduct('runs', '-w', folder, '--previews');
    expect(all.stdout).toMatch(/KIND/);
    expect(all.stdout).toContain('preview of out_csv');
  });
});
