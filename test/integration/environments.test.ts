// Per-workflow Python environments, for real: requirements.txt resolved from PyPI by uv
// into requirements.lock, venvs built from it (cached per machine in ~/.cache/aqueduct/envs,
// so a rerun only checks them), runs on them recording the lock. The base interpreter
// is the test venv, which lacks tabulate: only the workflow's own environment has it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvProgress } from '../../runner/api/types.ts';
import { envDir, readManifest } from '../../runner/envs/build.ts';
import { readLock } from '../../runner/envs/requirements-file.ts';
import type { Engine } from '../../runner/engine.ts';
import { tempHome } from '../helpers/home.ts';
import { makeWorkflow, openTestEngine } from '../helpers/workflows.ts';

const TABULATE_NODE = [
  'import pandas as pd',
  'import tabulate',
  '',
  'def run():',
  '    text = tabulate.tabulate([[1, 2]], headers=["a", "b"])',
  '    return pd.DataFrame({"tabulate": [tabulate.__version__], "lines": [len(text.splitlines())]})',
  '',
].join('\n');

function envWorkflow(label: string, requirements: string, code = TABULATE_NODE): string {
  return makeWorkflow({ nodes: [{ id: 'table', kind: 'python' }] }, { 'requirements.txt': requirements, 'nodes/table.py': code }, label);
}

let engine: Engine;
beforeAll(async () => {
  engine = await openTestEngine('environments');
});
afterAll(() => engine.close());

const phasesOf = async (folder: string, work: () => Promise<unknown>) => {
  const seen: EnvProgress[] = [];
  const off = engine.envs.onProgress((p) => p.folder === folder && !p.line && seen.push(p));
  try {
    await work();
  } finally {
    off();
  }
  return seen.map((p) => p.phase);
};

describe('a workflow with its own packages', () => {
  it('runs a node that imports a package the base interpreter lacks, after its environment is built', async () => {
    const folder = envWorkflow('tabulate', 'tabulate\n');
    const run = await engine.run(folder);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    const rows = (await engine.readPreview(run.id, 'table')).rows;
    expect(rows[0]).toMatchObject({ lines: 3 });
    const lock = readLock(folder)!;
    expect(run.lockHash).toBe(lock.hash);
    expect(run.pythonVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(lock.packages.find((p) => p.name === 'tabulate')?.version).toBe(rows[0]!.tabulate);
  });

  it('pins every package to one version, with hashes, and keeps the pins when requirements.txt is unchanged', async () => {
    const folder = envWorkflow('pins', 'tabulate<0.9\n');
    await engine.envs.build(engine.openWorkflow(folder).summary.id, folder);
    const text = fs.readFileSync(path.join(folder, 'requirements.lock'), 'utf8');
    expect(text).toMatch(/^tabulate==0\.8\.\d+ \\\n {4}--hash=sha256:[0-9a-f]{64}/m);
    expect(text).toMatch(/^pandas==\d+\.\d+\.\d+ \\$/m);
    expect(text).toMatch(/^pyarrow==\d+\.\d+\.\d+ \\$/m);
    const lock = readLock(folder)!;
    for (const p of lock.packages) expect(p.version).toMatch(/^\d+(\.\d+)*$/);
    const run = await engine.run(folder);
    expect((await engine.readPreview(run.id, 'table')).rows[0]!.tabulate).toMatch(/^0\.8\./);
    // nothing changed: the lock file is not rewritten
    const before = fs.statSync(path.join(folder, 'requirements.lock')).mtimeMs;
    await engine.run(folder);
    expect(fs.statSync(path.join(folder, 'requirements.lock')).mtimeMs).toBe(before);
  });

  it('rebuilds only the environment whose requirements changed', async () => {
    const a = envWorkflow('change-a', 'tabulate\n');
    const b = envWorkflow('change-b', 'tabulate\nsix\n', TABULATE_NODE.replace('import tabulate', 'import tabulate, six'));
    const [ra, rb] = [await engine.run(a), await engine.run(b)];
    expect([ra.status, rb.status]).toEqual(['succeeded', 'succeeded']);
    const base = await engine.envs.base();
    const dirB = envDir(engine.envs.o.root, rb.lockHash!, base.minor);
    const builtB = readManifest(dirB)!.builtAt;

    fs.appendFileSync(path.join(a, 'requirements.txt'), 'humanize\n');
    const phases = await phasesOf(a, () => engine.run(a));
    const ra2 = engine.store.listRuns({ workflowId: ra.workflowId, limit: 1 })[0]!;
    expect(ra2.status).toBe('succeeded');
    expect(ra2.lockHash).not.toBe(ra.lockHash);
    expect(phases).toContain('lock');
    expect(readLock(a)!.packages.map((p) => p.name)).toContain('humanize');
    // B: same lock, same environment, not touched
    expect(readLock(b)!.hash).toBe(rb.lockHash);
    expect(readManifest(dirB)!.builtAt).toBe(builtB);
    const phasesB = await phasesOf(b, () => engine.run(b));
    expect(phasesB).not.toContain('lock');
    expect(phasesB).not.toContain('install');
  });

  it('shares one environment between two workflows whose locks are the same', async () => {
    const c = envWorkflow('share-c', 'tabulate\n# the same package, written differently\n');
    const d = envWorkflow('share-d', 'tabulate  \n');
    const rc = await engine.run(c);
    // d resolves to the very same pins (the lock names them, not the comments)
    const phases = await phasesOf(d, () => engine.run(d));
    const rd = engine.store.listRuns({ workflowId: engine.openWorkflow(d).summary.id, limit: 1 })[0]!;
    expect(rd.status).toBe('succeeded');
    expect(rd.lockHash).toBe(rc.lockHash);
    expect(phases).not.toContain('install');
    const pc = await engine.envs.prepare(rc.workflowId, c);
    const pd = await engine.envs.prepare(rd.workflowId, d);
    expect(pd.python).toBe(pc.python);
  });

  it('fails the run with one sentence when a requirement does not exist, and runs nothing', async () => {
    const folder = envWorkflow('no-such-package', 'aqueduct-no-such-package-zz\n');
    const run = await engine.run(folder);
    expect(run.status).toBe('failed');
    expect(run.error).toBe(
      'The packages in requirements.txt cannot be resolved: aqueduct-no-such-package-zz was not found in the package registry; correct or remove that line in Workflow settings → Packages',
    );
    expect(run.nodes.map((n) => n.status)).toEqual(['skipped']);
    expect(fs.existsSync(path.join(folder, 'requirements.lock'))).toBe(false);
    const log = fs.readFileSync(engine.envs.logFile(folder), 'utf8');
    expect(log).toMatch(/aqueduct-no-such-package-zz was not found/);
  });

  it('says which package failed to build from source', async () => {
    const folder = envWorkflow('no-build', './broken_pkg\n');
    fs.mkdirSync(path.join(folder, 'broken_pkg'));
    fs.writeFileSync(path.join(folder, 'broken_pkg', 'setup.py'), 'raise SystemExit("this package refuses to build")\n');
    const run = await engine.run(folder);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^A package in requirements\.txt failed to build from source while locking the packages of workflow \(this package refuses to build\); pin a version that has a ready-made wheel for Python 3\.\d+, or remove it in Workflow settings → Packages \(the build log has the details\)$/);
  });

  it('says the package index cannot be reached when there is no network', async () => {
    const folder = envWorkflow('offline', 'tabulate==0.8.9\n');
    const saved = { UV_INDEX_URL: process.env.UV_INDEX_URL, UV_CACHE_DIR: process.env.UV_CACHE_DIR, UV_HTTP_RETRIES: process.env.UV_HTTP_RETRIES };
    // an index on a closed loopback port and an empty cache: what uv sees on a laptop without network
    process.env.UV_INDEX_URL = 'http://127.0.0.1:9/simple';
    process.env.UV_CACHE_DIR = tempHome('empty-uv-cache');
    process.env.UV_HTTP_RETRIES = '0';
    try {
      const run = await engine.run(folder);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/^Could not reach the package index \(PyPI\) while locking the packages of workflow; connect to the internet .+ once built, an environment works offline$/);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('cancels a build under way: the run says so, nothing half-built is left, and the next build completes', async () => {
    // an environments folder and package cache of this test's own, so the build really downloads
    const root = path.join(tempHome('cancel-envs'), 'envs');
    fs.mkdirSync(root, { recursive: true });
    fs.symlinkSync(path.join(engine.envs.o.root, 'tools'), path.join(root, 'tools'));
    const saved = { envs: process.env.AQUEDUCT_ENVS, cache: process.env.UV_CACHE_DIR };
    process.env.AQUEDUCT_ENVS = root;
    const own = await openTestEngine('cancel');
    process.env.UV_CACHE_DIR = path.join(root, '..', 'uv-cache');
    try {
      const folder = envWorkflow('cancel', 'tabulate\n');
      const off = own.envs.onProgress((p) => p.phase === 'install' && !p.line && own.envs.cancel(folder));
      const run = await own.run(folder);
      off();
      expect(run.status).toBe('failed');
      expect(run.error).toBe('Building the Python environment of workflow was cancelled');
      expect(fs.readdirSync(root).filter((n) => /-py\d/.test(n) && !n.startsWith('.tmp-'))).toEqual([]);
      // the next build, from the machine's package cache again
      if (saved.cache === undefined) delete process.env.UV_CACHE_DIR;
      else process.env.UV_CACHE_DIR = saved.cache;
      expect((await own.run(folder)).status).toBe('succeeded');
    } finally {
      await own.close();
      for (const [k, v] of [['AQUEDUCT_ENVS', saved.envs], ['UV_CACHE_DIR', saved.cache]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('says so in one sentence when the Python to build from is missing', async () => {
    const broken = await openTestEngine('no-base-python', { python: '/nonexistent/python3' });
    try {
      const run = await broken.run(envWorkflow('no-python', 'tabulate\n'));
      expect(run.status).toBe('failed');
      expect(run.error).toBe('Python interpreter /nonexistent/python3 does not exist; install Python 3.9+ or set the interpreter in Settings (or AQUEDUCT_PYTHON)');
    } finally {
      await broken.close();
    }
  });
});
