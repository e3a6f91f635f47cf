// The desktop's runner process, run under plain Node with a stand-in parentPort (Electron
// cannot run here): it takes the secret key and a port from the shell, answers the API on
// the port, seals secrets with the key it was handed (never an environment variable, never
// a key file of its own), and on `shutdown` closes the engine and exits 0.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../runner/secrets/secret-box.ts';
import { tempHome } from '../../test/helpers/home.ts';

function startHost(home: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, AQUEDUCT_HOME: home };
  delete env.AQUEDUCT_SECRET_KEY;
  const child = spawn(process.execPath, [path.resolve('main/runner-host/fake-parent-port.mjs')], { env, stdio: ['pipe', 'pipe', 'inherit'] });
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
  const reply = (id: number) => next((o) => (o.port as { id?: number } | undefined)?.id === id) as Promise<{ port: { id: number; result?: { data: unknown }; error?: { data: { code: string } } } }>;
  const stop = async () => {
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    send({ shutdown: true });
    return exit;
  };
  return { next, send, reply, stop };
}

describe('runner host', () => {
  it('answers the API on a handed-over port, and on loopback for local clients, and shuts down cleanly', async () => {
    const home = tempHome('runner-host');
    const host = startHost(home);
    host.send({ secretKey: null });
    expect(await host.next((o) => 'host' in o)).toEqual({ host: { type: 'ready', home } });
    host.send({ connect: true });
    host.send({ call: { id: 1, method: 'query', path: 'settings.get' } });
    expect(((await host.reply(1)).port.result!.data as { home: string }).home).toBe(home);

    host.send({ call: { id: 2, method: 'query', path: 'runs.get', input: { runId: 'nope' } } });
    expect((await host.reply(2)).port.error!.data.code).toBe('NOT_FOUND');

    // local clients find the app through <home>/server.json, readable by this user only
    const discovery = path.join(home, 'server.json');
    expect(fs.statSync(discovery).mode & 0o777).toBe(0o600);
    const { url, token } = JSON.parse(fs.readFileSync(discovery, 'utf8')) as { url: string; token: string };
    const answer = await fetch(`${url}/trpc/settings.get`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await answer.json()) as { result: { data: { home: string } } }).result.data.home).toBe(home);
    expect((await fetch(`${url}/trpc/settings.get`)).status).toBe(401);

    expect(await host.stop()).toBe(0);
    expect(fs.existsSync(discovery)).toBe(false);
  });

  it('seals secrets with the key the shell handed over its port, not with a key file', async () => {
    const home = tempHome('runner-host-key');
    const key = crypto.randomBytes(32).toString('base64');
    const host = startHost(home);
    host.send({ connect: true });
    host.send({ secretKey: key });
    const settings = { host: '127.0.0.1', database: 'd', user: 'u', password: 'Handed-Over-9f2' };
    host.send({ call: { id: 1, method: 'mutation', path: 'connections.create', input: { name: 'db', type: 'postgres', settings } } });
    expect((await host.reply(1)).port.error).toBeUndefined();
    const db = new Database(path.join(home, 'aqueduct.db'), { readonly: true });
    const sealed = JSON.parse((db.prepare("SELECT secrets FROM connections WHERE name = 'db'").get() as { secrets: string }).secrets) as Record<string, string>;
    db.close();
    expect(new SecretBox(Buffer.from(key, 'base64')).open(sealed.password!)).toBe('Handed-Over-9f2');
    expect(fs.existsSync(path.join(home, 'secret.key'))).toBe(false);
    expect(await host.stop()).toBe(0);
  });
});
