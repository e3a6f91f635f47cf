// `aqueduct export` and `aqueduct engines …` as a user calls them: real processes, exit
// codes, human output and --json. Export, run the bundle, sync twice (imported, then
// unchanged), refusals listed node by node, and engine connections whose secrets are
// sealed in the database.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHURN, copyWorkflow, tempHome } from '../helpers/home.ts';
import { enginePython, runBundle } from '../helpers/engines-env.ts';
import { makeWorkflow, numbersCsv } from '../helpers/workflows.ts';

function aqueduct(home: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('aqueduct export and aqueduct engines', () => {
  const home = tempHome('engines-cli');

  it('exports, and sync imports the run once, marked with its engine', () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'engines-cli');
    const out = path.join(tempHome('cli-bundle'), 'bundle');
    const exported = aqueduct(home, ['export', folder, '--engine', 'python', '--out', out, '--requirement', 'scikit-learn']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^exported Customer churn \(version [0-9a-f]{16}\) for python: /);
    expect(fs.readFileSync(path.join(out, 'requirements.txt'), 'utf8')).toContain('scikit-learn');
    const results = path.join(tempHome('cli-results'), 'results');
    const r = runBundle(enginePython('runtime'), out, results);
    expect(r.status, r.stderr).toBe(0);
    const first = aqueduct(home, ['engines', 'sync', results]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('1 imported, 0 updated, 0 unchanged, 0 invalid');
    expect(first.stdout).toMatch(/imported\s+[0-9a-f]{8}\s+Customer churn\s+python\s+succeeded/);
    expect(aqueduct(home, ['engines', 'sync', results]).stdout).toContain('0 imported, 0 updated, 1 unchanged, 0 invalid');
    const runs = JSON.parse(aqueduct(home, ['runs', '--json']).stdout) as { engine: string; status: string }[];
    expect(runs.map((x) => [x.engine, x.status])).toEqual([['python', 'succeeded']]);
  });

  it('refuses what the runtime cannot run, listing every node and why', () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'remote_rows', kind: 'source', connection: 'crm', query: 'select 1' },
        { id: 'gone', kind: 'source', file: 'data/missing.csv' },
        { id: 'to_excel', kind: 'publish', inputs: ['numbers'], destination: { type: 'excel', path: 'out/n.xlsx' } },
        { id: 'to_mysql', kind: 'publish', inputs: ['numbers'], destination: { type: 'mysql', connection: 'db', table: 'n' } },
        { id: 'to_csv', kind: 'publish', inputs: ['numbers'], destination: { type: 'csv', path: 'out/n.csv' } },
      ],
    }, { 'data/numbers.csv': numbersCsv(3) }, 'refused');
    const out = path.join(tempHome('refused-out'), 'bundle');
    const r = aqueduct(home, ['export', folder, '--engine', 'airflow', '--out', out, '--json']);
    expect(r.code).toBe(2);
    const refused = (JSON.parse(r.stdout) as { refused: { nodeId: string; why: string }[] }).refused;
    expect(refused.map((x) => x.nodeId)).toEqual(['remote_rows', 'gone', 'to_excel', 'to_mysql']);
    expect(refused[0]!.why).toContain('queries connection "crm"');
    expect(refused[2]!.why).toContain('destination type "excel" is not supported by the runtime');
    expect(fs.existsSync(out)).toBe(false);
    const human = aqueduct(home, ['export', folder, '--engine', 'ray', '--out', out]);
    expect(human.stderr).toContain('  - to_mysql: destination type "mysql" is not supported');
  });

  it('keeps engine connections with sealed secrets, never shown', () => {
    const add = aqueduct(home, ['engines', 'add', 'cluster', '--type', 'ray', '--set', 'address=http://127.0.0.1:8265', '--secret-env', 'token=RAY_TOKEN'], { RAY_TOKEN: 'tok-very-secret-123' });
    expect(add.code, add.stderr).toBe(0);
    const list = aqueduct(home, ['engines', 'list', '--json']);
    expect(list.stdout).not.toContain('tok-very-secret-123');
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'cluster', type: 'ray', config: { address: 'http://127.0.0.1:8265' }, secrets: { hasToken: true } }]);
    const db = fs.readFileSync(path.join(home, 'aqueduct.db'));
    expect(db.includes('tok-very-secret-123')).toBe(false);
    const leak = aqueduct(home, ['engines', 'add', 'af', '--type', 'airflow', '--set', 'url=http://af:8080', '--set', 'password=hunter2']);
    expect(leak.code).toBe(2);
    expect(leak.stderr).toContain('would put a secret in your shell history');
    expect(aqueduct(home, ['engines', 'remove', 'cluster']).code).toBe(0);
    expect(aqueduct(home, ['engines', 'list']).stdout).toContain('no engine connections yet');
  });
});
