// `aqueduct serve` as a user runs it: a real process that prints its address (token
// included), seeds the example on first start, answers with the token, and on SIGTERM
// closes the engine and exits cleanly.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';

// tokens must carry 128 bits (server-security.test.ts)
const TOKEN = 'cli-token-Hq3Xv9Lm2Pz7Kd4Wf8Rt';

/** `aqueduct serve --home home` started, once it printed its address. */
async function startServe(home: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [path.resolve('bin/aqueduct.mjs'), '--home', home, 'serve', '--port', '0'], {
    env: { ...process.env, AQUEDUCT_TOKEN: TOKEN, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = new RegExp(`Aqueduct is running at (http://127\\.0\\.0\\.1:\\d+/\\?token=${TOKEN}\\S*)`).exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before printing its address:\n${out}`)));
  });
  return { child, url };
}

/** The pids of the Python workers (aqueduct_worker.py) whose parent is `pid`, from /proc. */
function pythonWorkersOf(pid: number): number[] {
  const found: number[] = [];
  for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('aqueduct_worker.py')) found.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function until<T>(what: () => T, ok: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = what();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('aqueduct serve', () => {
  it.skipIf(process.platform !== 'linux')('warms one Python worker at start (before any Python node asks) and stops it on SIGTERM', async () => {
    const { child } = await startServe(tempHome('serve-prewarm'), { AQUEDUCT_PYTHON: testPython() });
    const workers = await until(() => pythonWorkersOf(child.pid!), (w) => w.length > 0);
    expect(workers).toHaveLength(1);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    expect(await until(() => workers.filter(alive), (w) => w.length === 0)).toEqual([]);
  });

  it('prints its address, serves the API with the token, and stops on SIGTERM', async () => {
    const home = tempHome('serve-cli');
    const { child, url } = await startServe(home);
    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/trpc/workflows.list`)).status).toBe(401);
    const res = await fetch(`${origin}/trpc/workflows.list`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const body = (await res.json()) as { result: { data: { name: string; folder: string }[] } };
    expect(body.result.data.map((w) => w.name)).toEqual(['Customer churn']);
    expect(body.result.data[0]!.folder).toBe(path.join(home, 'workflows', 'customer-churn'));

    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
