// The app folder is the user's alone even under the common umask 022: the folder and
// every folder in it 0700, every file in it 0600 (metadata database with its WAL and
// SHM, secret key, run outputs, imported outputs, server.json, workflows created in it
// from the example or a notebook). What the user's workflows publish
// elsewhere keeps the user's own umask.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECORD_FORMAT } from '../../runner/engines/run-record.ts';
import { copyWorkflow, EXAMPLE_CHURN, tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';

/** `aqueduct …` under umask 022, as a login shell commonly has it. */
function aqueduct(home: string, args: string[], env: Record<string, string> = {}) {
  const cmd = ['umask 022 && exec "$0" "$@"', process.execPath, 'bin/aqueduct.mjs', '--home', home, ...args];
  const r = spawnSync('sh', ['-c', ...cmd], {
    encoding: 'utf8',
    env: { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1', ...env },
    timeout: 180_000,
  });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  return r;
}

function modes(root: string): Record<string, string> {
  const out: Record<string, string> = { '.': (fs.statSync(root).mode & 0o777).toString(8) };
  for (const rel of fs.readdirSync(root, { recursive: true }) as string[]) {
    out[rel] = (fs.lstatSync(path.join(root, rel)).mode & 0o777).toString(8);
  }
  return out;
}

/** Runs `aqueduct serve --open-example` under umask 022 until it prints its address, looks, and stops it. */
async function whileServing<T>(home: string, look: (url: URL) => Promise<T>): Promise<T> {
  const child = spawn('sh', ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, 'bin/aqueduct.mjs', '--home', home, 'serve', '--port', '0', '--open-example'], {
    env: { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (/Aqueduct is running at/.test(out)) resolve();
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}):\n${out}`)));
    });
    return await look(new URL(/Aqueduct is running at (\S+)/.exec(out)![1]!));
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('the app folder under umask 022', () => {
  it('holds only 0700 folders and 0600 files, while published outputs keep the umask', async () => {
    const home = path.join(tempHome('app-modes'), 'home');
    const folder = copyWorkflow(EXAMPLE_CHURN, 'app-modes-wf');
    aqueduct(home, ['connections', 'add', 'db', '--type', 'postgres', '--host', '127.0.0.1', '--database', 'd', '--user', 'u', '--password-env', 'PW'], { PW: 'pw-123456' });
    aqueduct(home, ['run', folder]);

    // a remote run record with a table output, imported (copied) into the run folders
    const results = tempHome('app-modes-results');
    const runId = '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99';
    fs.mkdirSync(path.join(results, runId));
    fs.copyFileSync(fs.readdirSync(path.join(home, 'runs'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile())
      .map((d) => path.join(d.parentPath, d.name))[0]!, path.join(results, runId, 'src.parquet'));
    fs.writeFileSync(path.join(results, `${runId}.json`), JSON.stringify({
      format: RECORD_FORMAT, runtimeVersion: '1', runId, engine: 'python', workflow: { name: 'remote' }, version: { hash: 'h', definition: {} },
      trigger: 'python', params: {}, status: 'succeeded', createdAt: 1, nodes: [{ nodeId: 'src', kind: 'source', status: 'succeeded', attempts: 1, artifact: `${runId}/src.parquet` }],
      metrics: [], checks: [], publications: [], logs: [],
    }));
    aqueduct(home, ['engines', 'sync', results]);

    // the server, while it runs, has the database open in WAL mode and keeps server.json;
    // it copies the example in, and a notebook imported through it lands in the app folder
    const walModes = await whileServing(home, async (url) => {
      const text = fs.readFileSync(path.resolve('test/fixtures/notebooks/churn/churn.ipynb'), 'utf8');
      const imported = await fetch(new URL('/trpc/notebooks.import', url), {
        method: 'POST',
        headers: { Authorization: `Bearer ${url.searchParams.get('token')}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text, fileName: 'churn.ipynb', name: 'From notebook' }),
      });
      expect(imported.status, await imported.clone().text()).toBe(200);
      return {
        wal: (fs.statSync(path.join(home, 'aqueduct.db-wal')).mode & 0o777).toString(8),
        shm: (fs.statSync(path.join(home, 'aqueduct.db-shm')).mode & 0o777).toString(8),
        discovery: (fs.statSync(path.join(home, 'server.json')).mode & 0o777).toString(8),
      };
    });
    expect(walModes).toEqual({ wal: '600', shm: '600', discovery: '600' });

    const seen = modes(home);
    for (const want of ['aqueduct.db', 'secret.key', `runs/${runId}/src.parquet`, 'workflows/customer-churn/workflow.yaml', 'workflows/from_notebook/workflow.yaml']) expect(Object.keys(seen)).toContain(want);
    expect(Object.keys(seen).some((f) => f.endsWith('churn_model.parquet'))).toBe(true);
    const wrong = Object.entries(seen).filter(([rel, mode]) => {
      const dir = fs.lstatSync(path.join(home, rel)).isDirectory();
      return mode !== (dir ? '700' : '600');
    });
    expect(wrong).toEqual([]);

    // the user's own published file is theirs to share
    expect((fs.statSync(path.join(folder, 'out', 'churn_predictions.csv')).mode & 0o777).toString(8)).toBe('644');
  }, 240_000);
});
