// `aqueduct serve` as a user runs it: a real process that prints its address (token
// included), seeds the example on first start, answers with the token, and on SIGTERM
// closes the engine and exits cleanly.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';

// tokens must carry 128 bits (server-security.test.ts)
const TOKEN = 'cli-token-Hq3Xv9Lm2Pz7Kd4Wf8Rt';

describe('aqueduct serve', () => {
  it('prints its address, serves the API with the token, and stops on SIGTERM', async () => {
    const home = tempHome('serve-cli');
    const child = spawn(process.execPath, [path.resolve('bin/aqueduct.mjs'), '--home', home, 'serve', '--port', '0'], {
      env: { ...process.env, AQUEDUCT_TOKEN: TOKEN, NO_COLOR: '1' },
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
