// The desktop's runner process, run under plain Node with a stand-in parentPort (Electron
// cannot run here): it takes a port, answers the API on it, and on `shutdown` closes the
// engine and exits 0.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../../test/helpers/home.ts';

describe('runner host', () => {
  it('answers the API on a handed-over port, and on loopback for local clients, and shuts down cleanly', async () => {
    const home = tempHome('runner-host');
    const child = spawn(process.execPath, [path.resolve('main/runner-host/fake-parent-port.mjs')], {
      env: { ...process.env, AQUEDUCT_HOME: home },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines: Record<string, unknown>[] = [];
    const waiters: (() => void)[] = [];
    readline.createInterface({ input: child.stdout }).on('line', (l) => {
      lines.push(JSON.parse(l) as Record<string, unknown>);
      waiters.splice(0).forEach((w) => w());
    });
    const next = async (pred: (o: Record<string, unknown>) => boolean) => {
      for (;;) {
        const found = lines.find(pred);
        if (found) return found;
        await new Promise<void>((r) => waiters.push(r));
      }
    };
    const send = (o: unknown) => child.stdin.write(JSON.stringify(o) + '\n');

    expect(await next((o) => 'host' in o)).toEqual({ host: { type: 'ready', home } });
    send({ connect: true });
    send({ call: { id: 1, method: 'query', path: 'settings.get' } });
    const reply = (await next((o) => 'port' in o)) as { port: { id: number; result: { data: { home: string } } } };
    expect(reply.port.id).toBe(1);
    expect(reply.port.result.data.home).toBe(home);

    send({ call: { id: 2, method: 'query', path: 'runs.get', input: { runId: 'nope' } } });
    const err = (await next((o) => (o.port as { id?: number } | undefined)?.id === 2)) as { port: { error: { data: { code: string } } } };
    expect(err.port.error.data.code).toBe('NOT_FOUND');

    // local clients find the app through <home>/server.json, readable by this user only
    const discovery = path.join(home, 'server.json');
    expect(fs.statSync(discovery).mode & 0o777).toBe(0o600);
    const { url, token } = JSON.parse(fs.readFileSync(discovery, 'utf8')) as { url: string; token: string };
    const answer = await fetch(`${url}/trpc/settings.get`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await answer.json()) as { result: { data: { home: string } } }).result.data.home).toBe(home);
    expect((await fetch(`${url}/trpc/settings.get`)).status).toBe(401);

    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    send({ shutdown: true });
    expect(await exit).toBe(0);
    expect(fs.existsSync(discovery)).toBe(false);
  });
});
