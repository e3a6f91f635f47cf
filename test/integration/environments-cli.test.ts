// `aqueduct env` in real processes, on an environments folder of the test's own (the uv
// tool linked in from the per-machine cache): a build killed with SIGKILL halfway leaves
// nothing that is ever used, the next run builds it whole, and gc removes what no
// workflow uses any more (and the leftovers of the killed build).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_ENVS } from '../helpers/global-setup.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow } from '../helpers/workflows.ts';

const BIN = path.resolve('bin/aqueduct.mjs');
// these tests build several environments in a folder of their own, each in a new process
const BUILDS_TIMEOUT = 300_000;

function sandbox(label: string) {
  const home = tempHome(label);
  const envs = path.join(home, 'envs');
  fs.mkdirSync(envs, { recursive: true });
  const sharedTools = path.join(process.env.AQUEDUCT_ENVS ?? TEST_ENVS, 'tools');
  if (fs.existsSync(sharedTools)) fs.symlinkSync(sharedTools, path.join(envs, 'tools'));
  const env = { ...process.env, AQUEDUCT_HOME: path.join(home, 'app'), AQUEDUCT_ENVS: envs, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' };
  const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 300_000 });
  return { home, envs, env, cli };
}

const workflow = (label: string, requirements: string) =>
  makeWorkflow(
    { nodes: [{ id: 'table', kind: 'python' }] },
    { 'requirements.txt': requirements, 'nodes/table.py': 'import pandas as pd\nimport tabulate\n\ndef run():\n    return pd.DataFrame({"v": [tabulate.__version__]})\n' },
    label,
  );

const builtEnvs = (envs: string) => fs.readdirSync(envs).filter((n) => /-py\d+\.\d+$/.test(n));

describe('aqueduct env', () => {
  it('never uses a build killed halfway: the next run builds it whole, gc removes the leftovers', async () => {
    const { envs, env, cli } = sandbox('env-kill');
    const folder = workflow('env-kill', 'tabulate\n');
    // an empty package cache, so installing downloads for a while: time enough to be killed halfway
    const child = spawn(process.execPath, [BIN, 'env', 'build', folder], { env: { ...env, UV_CACHE_DIR: path.join(envs, '..', 'uv-cache') }, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (/installing \d+ locked packages/.test(out)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`the build ended before it could be killed:\n${out}`)));
    });
    await new Promise((r) => child.once('close', r));
    expect(builtEnvs(envs)).toEqual([]);
    expect(fs.readdirSync(envs).some((n) => n.startsWith('.tmp-'))).toBe(true);

    const status = JSON.parse(cli('env', 'status', folder, '--json').stdout) as { env: { state: string } };
    expect(status.env.state).toBe('missing');
    const run = cli('run', folder, '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).status).toBe('succeeded');
    expect(builtEnvs(envs)).toHaveLength(1);

    const gc = JSON.parse(cli('env', 'gc', '--json').stdout) as { removed: string[]; kept: string[] };
    expect(gc.removed.every((n) => n.startsWith('.tmp-'))).toBe(true);
    expect(gc.removed.length).toBeGreaterThan(0);
    expect(gc.kept).toEqual(builtEnvs(envs));
    expect(fs.readdirSync(envs).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  }, BUILDS_TIMEOUT);

  it('builds with progress, reports status, and gc removes only environments no workflow uses', () => {
    const { envs, cli } = sandbox('env-gc');
    const keep = workflow('env-keep', 'tabulate\n');
    const drop = workflow('env-drop', 'tabulate<0.9\n');
    const built = cli('env', 'build', keep);
    expect(built.status).toBe(0);
    expect(built.stdout).toMatch(/▸ locking the packages of workflow/);
    expect(built.stdout).toMatch(/▸ ready: Python 3\.\d+\.\d+, \d+ packages \(lock [0-9a-f]{12}\)/);
    expect(cli('env', 'build', drop).status).toBe(0);
    expect(builtEnvs(envs)).toHaveLength(2);
    const status = cli('env', 'status', keep);
    expect(status.stdout).toMatch(/app-owned environment, built · Python 3\.\d+\.\d+ · lock [0-9a-f]{12}/);
    expect(status.stdout).toMatch(/tabulate\s+any\s+\d+\.\d+\.\d+/);

    // the second workflow moves on to another lock: its old environment is no one's any more
    fs.writeFileSync(path.join(drop, 'requirements.txt'), 'tabulate<0.9\nsix\n');
    expect(cli('env', 'build', drop).status).toBe(0);
    expect(builtEnvs(envs)).toHaveLength(3);
    const dry = JSON.parse(cli('env', 'gc', '--dry-run', '--json').stdout) as { removed: string[] };
    expect(dry.removed).toHaveLength(1);
    expect(builtEnvs(envs)).toHaveLength(3);
    const gc = JSON.parse(cli('env', 'gc', '--json').stdout) as { removed: string[]; kept: string[] };
    expect(gc.removed).toEqual(dry.removed);
    expect(gc.kept).toHaveLength(2);
    expect(builtEnvs(envs).sort()).toEqual(gc.kept.sort());
    expect(fs.existsSync(path.join(envs, 'tools'))).toBe(true);
    // both workflows still run, offline from what is built
    expect(JSON.parse(cli('run', keep, '--json').stdout).status).toBe('succeeded');
    expect(JSON.parse(cli('run', drop, '--json').stdout).status).toBe('succeeded');
  }, BUILDS_TIMEOUT);

  it('falls back to venv + pip: locks with pip\'s resolver and builds, when uv is not used', () => {
    const { env } = sandbox('env-pip');
    const folder = workflow('env-pip', 'tabulate\n');
    const r = spawnSync(process.execPath, [BIN, 'run', folder, '--json'], { env: { ...env, AQUEDUCT_ENV_TOOL: 'pip' }, encoding: 'utf8', timeout: BUILDS_TIMEOUT });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('succeeded');
    const lock = fs.readFileSync(path.join(folder, 'requirements.lock'), 'utf8');
    expect(lock).toMatch(/^# It is rewritten when requirements\.txt changes\. Resolved with pip for Python 3\.\d+ on this platform\.$/m);
    expect(lock).toMatch(/^tabulate==\d+\.\d+\.\d+ \\\n {4}--hash=sha256:[0-9a-f]{64}$/m);
    expect(lock).toMatch(/^pandas==\d+\.\d+\.\d+ \\$/m);
  }, BUILDS_TIMEOUT);

  it('refuses to build for a workflow that runs on an interpreter of its own', () => {
    const { cli } = sandbox('env-own');
    const folder = workflow('env-own', 'tabulate\n');
    expect(cli('env', 'use', folder, 'interpreter', '--interpreter', testPython()).status).toBe(0);
    const r = cli('env', 'build', folder);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: env-own runs on .+python, not on an app-owned environment \(fix: aqueduct env use .+ app, or add a requirements\.txt\)\n$/);
  });
});
