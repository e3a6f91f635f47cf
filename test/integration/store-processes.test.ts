// Several processes on one metadata store (the app, the scheduler daemon, the CLI), and
// a run killed with kill -9: the store must never report "database is locked", and a
// crash must leave it intact with the run marked interrupted.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../runner/engine.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow, numbersCsv } from '../helpers/workflows.ts';

function runProcess(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { env: { ...process.env, AQUEDUCT_PYTHON: testPython() } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Pids of the Python workers a process started. */
function pythonWorkersOf(parent: number): number[] {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(parent)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes('aqueduct_worker.py')).map((l) => Number.parseInt(l, 10));
}

const alive = (pids: number[]) => pids.filter((pid) => spawnSync('kill', ['-0', String(pid)]).status === 0);

describe('one store, several processes', () => {
  it('lets four processes run and read at once without "database is locked"', async () => {
    const home = tempHome('hammer');
    const nodes = [{ id: 'numbers', kind: 'source', file: 'data/numbers.csv' }];
    const files: Record<string, string> = { 'data/numbers.csv': numbersCsv(50) };
    for (let i = 0; i < 8; i++) {
      nodes.push({ id: `step_${i}`, kind: 'sql', inputs: ['numbers'] } as never);
      files[`nodes/step_${i}.sql`] = `SELECT grp, sum(amount) * ${i} AS total FROM numbers GROUP BY grp`;
    }
    const folder = makeWorkflow({ nodes }, files, 'hammer');
    const child = path.resolve('test/helpers/hammer-child.ts');
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => runProcess(['--import', 'tsx', child, home, folder, '6'])),
    );
    for (const r of results) {
      expect(r.stderr).not.toMatch(/database is locked|SQLITE_BUSY/);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
      expect(out.errors).toEqual([]);
      expect(out.statuses).toEqual(Array(6).fill('succeeded'));
    }
    const engine = await Engine.open({ home });
    try {
      const runs = engine.store.listRuns({ limit: 100 });
      expect(runs).toHaveLength(24);
      expect(engine.store.getRun(runs[0]!.id)!.nodes).toHaveLength(9);
    } finally {
      await engine.close();
    }
  });

  it('survives kill -9 of a run: the store opens, the run is interrupted, finished nodes stay readable', async () => {
    const home = tempHome('kill');
    const folder = makeWorkflow(
      {
        nodes: [
          { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
          { id: 'totals', kind: 'sql', inputs: ['numbers'] },
          { id: 'slow', kind: 'python', inputs: ['totals'] },
        ],
      },
      {
        'data/numbers.csv': numbersCsv(30),
        'nodes/totals.sql': 'SELECT grp, sum(amount) AS total FROM numbers GROUP BY grp ORDER BY grp',
        'nodes/slow.py': 'import time\n\ndef run(totals):\n    print("started slow work", flush=True)\n    time.sleep(120)\n    return totals\n',
      },
      'kill',
    );
    const cli = spawn(process.execPath, ['bin/aqueduct.mjs', '--home', home, 'run', folder], {
      env: { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' },
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      cli.stdout.on('data', (d) => {
        out += d;
        if (out.includes('started slow work')) resolve();
      });
      cli.on('exit', () => reject(new Error(`the CLI ended early:\n${out}`)));
    });
    const workers = pythonWorkersOf(cli.pid!);
    expect(workers.length).toBeGreaterThan(0);
    cli.kill('SIGKILL');
    await new Promise((r) => cli.on('close', r));

    const engine = await Engine.open({ home });
    try {
      const [run] = engine.store.listRuns();
      expect(run!.status).toBe('interrupted');
      expect(run!.error).toMatch(/process running it stopped/);
      const detail = engine.store.getRun(run!.id)!;
      const st = Object.fromEntries(detail.nodes.map((n) => [n.nodeId, n.status]));
      expect(st).toEqual({ numbers: 'succeeded', totals: 'succeeded', slow: 'interrupted' });
      const preview = await engine.readPreview(run!.id, 'totals');
      expect(preview.rows.map((r) => r.grp)).toEqual(['a', 'b', 'c']);
      // the Python worker that was running the killed run's node does not live on
      await expect.poll(() => alive(workers), { timeout: 10_000 }).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});
