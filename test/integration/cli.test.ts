// The `aqueduct` command as a user (or a script) calls it: real processes, real exit
// codes, human output and --json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { EXAMPLE_CHURN, copyWorkflow, tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow, numbersCsv } from '../helpers/workflows.ts';

function aqueduct(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' },
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('aqueduct CLI', () => {
  const home = tempHome('cli');
  const folder = copyWorkflow(EXAMPLE_CHURN, 'cli');

  it('validates a good folder and explains a bad one with exit code 2', () => {
    const ok = aqueduct(home, 'validate', folder);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid: Customer churn (14 nodes)');
    const bad = makeWorkflow({ nodes: [{ id: 'b', kind: 'sql', inputs: ['a'] }] }, { 'nodes/b.sql': 'select 1' }, 'clibad');
    const r = aqueduct(home, 'validate', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: workflow.yaml, node "b", field nodes[0].inputs[0]: input "a" is not a node of this workflow');
    const json = JSON.parse(aqueduct(home, 'validate', bad, '--json').stdout);
    expect(json.problems[0]).toMatchObject({ nodeId: 'b', field: 'nodes[0].inputs[0]' });
  });

  it('runs the example with live per-node progress and a summary', () => {
    const r = aqueduct(home, 'run', folder, '--param', 'high_risk_threshold=0.3');
    expect(r.code, r.stderr).toBe(0);
    for (const id of ['customers', 'features', 'churn_model', 'predictions', 'predictions_csv']) {
      expect(r.stdout).toMatch(new RegExp(`▸ ${id} running[\\s\\S]*✔ ${id} succeeded`));
    }
    expect(r.stdout).toContain('│ training on 1700 customers');
    expect(r.stdout).toMatch(/run [0-9a-f]{8} succeeded in/);
    expect(r.stdout).toContain('metric scored_customers = 2000');
  });

  it('lists runs and shows one by id prefix, as text and JSON', () => {
    const runs = JSON.parse(aqueduct(home, 'runs', '--json').stdout);
    expect(runs[0]).toMatchObject({ status: 'succeeded', trigger: 'cli', params: { high_risk_threshold: 0.3 } });
    const text = aqueduct(home, 'runs');
    expect(text.stdout).toMatch(/RUN\s+WORKFLOW\s+STATUS/);
    expect(text.stdout).toContain('Customer churn');
    const show = JSON.parse(aqueduct(home, 'show', runs[0].id.slice(0, 8), '--json').stdout);
    expect(show.nodes).toHaveLength(14);
    expect(show.metrics.find((m: { nodeId: string }) => m.nodeId === 'scored_customers').value).toBe(2000);
    const missing = aqueduct(home, 'show', 'zzzz');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no run matches "zzzz"');
  });

  it('previews a node: only its ancestors run, and the first rows print', () => {
    const r = aqueduct(home, 'preview', folder, 'features', '--limit', '3', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.totalRows).toBe(2000);
    expect(out.rows).toHaveLength(3);
    expect(out.columns.map((c: { name: string }) => c.name)).toContain('tickets_per_year');
    const text = aqueduct(home, 'preview', folder, 'features', '-n', '2');
    expect(text.stdout).toMatch(/customer_id\s+region/);
    expect(text.stdout).toContain('2 of 2000 rows');
  });

  it('exits 1 when a run fails, with the error and its fix', () => {
    const folder2 = makeWorkflow(
      { nodes: [{ id: 'numbers', kind: 'source', file: 'data/numbers.csv' }, { id: 'q', kind: 'sql', inputs: ['numbers'] }] },
      { 'data/numbers.csv': numbersCsv(3), 'nodes/q.sql': 'SELECT * FROM nope' },
      'clifail',
    );
    const r = aqueduct(home, 'run', folder2);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✘ q failed');
    expect(r.stdout).toContain("fix: this node can read the tables numbers; add the table's node to inputs:");
    expect(r.stdout).toMatch(/run [0-9a-f]{8} failed/);
  });

  it('refuses an unknown parameter with exit code 2', () => {
    const r = aqueduct(home, 'run', folder, '--param', 'nope=1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown parameter "nope"');
  });

  it('sets how often a scheduled run interrupted by a crash is retried, in workflow.yaml too; pausing keeps it', () => {
    const wf = copyWorkflow(EXAMPLE_CHURN, 'cli-retry');
    const block = () => (YAML.parse(fs.readFileSync(path.join(wf, 'workflow.yaml'), 'utf8')) as { schedule?: Record<string, unknown> }).schedule;
    const set = aqueduct(home, 'schedule', 'set', wf, 'daily', '--tz', 'UTC', '--retry-interrupted', '2');
    expect(set.code, set.stderr).toBe(0);
    expect(block()).toEqual({ cron: '0 0 * * *', timezone: 'UTC', retry_interrupted: 2 });
    const listed = (JSON.parse(aqueduct(home, 'schedule', 'list', '--json').stdout) as { workflowId: string; retryInterrupted: number; cron: string }[]);
    expect(listed.find((s) => s.cron === '0 0 * * *')?.retryInterrupted).toBe(2);
    expect(aqueduct(home, 'schedule', 'pause', wf).code).toBe(0);
    expect(block()).toEqual({ cron: '0 0 * * *', timezone: 'UTC', paused: true, retry_interrupted: 2 });
    const bad = aqueduct(home, 'schedule', 'set', wf, 'daily', '--tz', 'UTC', '--retry-interrupted', '9');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('schedule.retryInterrupted: 9 is not a whole number from 0 to 5');
    // the default (once) is left out of the file
    expect(aqueduct(home, 'schedule', 'set', wf, 'daily', '--tz', 'UTC').code).toBe(0);
    expect(block()).toEqual({ cron: '0 0 * * *', timezone: 'UTC' });
  });
});
