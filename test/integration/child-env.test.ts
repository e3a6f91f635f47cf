// No child process sees the secret key or the API token: workflow code (a Python node, the
// interpreter check before it) runs in an environment without AQUEDUCT_SECRET_KEY and
// AQUEDUCT_TOKEN, from the CLI and from the headless server alike, while the server still
// seals and opens secrets with the key it was given. The interpreter is a real Python
// behind a small shell wrapper that notes the names in its environment on every start.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeApiClient, createApiClient } from '../../renderer/client/index.ts';
import { SecretBox } from '../../runner/secrets/secret-box.ts';
import { tempHome } from '../helpers/home.ts';
import { startPostgresPasswordTrap, type PasswordTrap } from '../helpers/password-trap.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow, numbersCsv } from '../helpers/workflows.ts';

const KEY = crypto.randomBytes(32).toString('base64');
const TOKEN = 'child-env-token-Vb7Qx2Nc9Lm4Ht8K';
const SECRETS = { AQUEDUCT_SECRET_KEY: KEY, AQUEDUCT_TOKEN: TOKEN };

/** A Python that appends its environment's variable names to `log` each time it starts. */
function spyingPython(log: string): string {
  const file = path.join(tempHome('spy-python'), 'python');
  fs.writeFileSync(file, `#!/bin/sh\nenv | sed 's/=.*//' >> '${log}'\nexec '${testPython()}' "$@"\n`, { mode: 0o755 });
  return file;
}

/** A workflow whose Python node writes its whole environment to `dump`. */
function envWorkflow(dump: string): string {
  return makeWorkflow({
    nodes: [
      { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
      { id: 'env_dump', kind: 'python', inputs: ['numbers'] },
    ],
  }, {
    'data/numbers.csv': numbersCsv(3),
    'nodes/env_dump.py': `import json, os\n\ndef run(numbers):\n    with open(${JSON.stringify(dump)}, "w") as f:\n        json.dump(dict(os.environ), f)\n    return numbers\n`,
  }, 'child-env');
}

function expectNoSecrets(dump: string, spyLog: string): void {
  const env = JSON.parse(fs.readFileSync(dump, 'utf8')) as Record<string, string>;
  expect(Object.keys(env).length).toBeGreaterThan(3);
  expect(Object.keys(env)).not.toContain('AQUEDUCT_SECRET_KEY');
  expect(Object.keys(env)).not.toContain('AQUEDUCT_TOKEN');
  expect(Object.values(env).join('\n')).not.toContain(KEY);
  expect(Object.values(env).join('\n')).not.toContain(TOKEN);
  // every start of the interpreter (the check before the workers, each worker)
  const names = fs.readFileSync(spyLog, 'utf8').split('\n');
  expect(names).toContain('PATH');
  expect(names).not.toContain('AQUEDUCT_SECRET_KEY');
  expect(names).not.toContain('AQUEDUCT_TOKEN');
}

describe('child processes', () => {
  it('a Python node run by the CLI sees neither the secret key nor the token', () => {
    const home = tempHome('child-env-cli');
    const dump = path.join(home, 'env.json');
    const spyLog = path.join(home, 'spy.log');
    const r = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, 'run', envWorkflow(dump)], {
      encoding: 'utf8',
      env: { ...process.env, ...SECRETS, AQUEDUCT_PYTHON: spyingPython(spyLog), NO_COLOR: '1' },
      timeout: 180_000,
    });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expectNoSecrets(dump, spyLog);
  });

  describe('under aqueduct serve started with AQUEDUCT_SECRET_KEY', () => {
    const home = tempHome('child-env-serve');
    let child: ReturnType<typeof spawn> | undefined;
    let trap: PasswordTrap | undefined;
    afterAll(async () => {
      child?.kill('SIGTERM');
      await trap?.close();
    });

    it('seals and opens secrets with that key (sent to a local stand-in server), and its Python nodes see neither it nor the token', async () => {
      trap = await startPostgresPasswordTrap();
      const spyLog = path.join(home, 'spy.log');
      child = spawn(process.execPath, [path.resolve('bin/aqueduct.mjs'), '--home', home, 'serve', '--port', '0'], {
        env: { ...process.env, ...SECRETS, AQUEDUCT_PYTHON: spyingPython(spyLog), NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stderr!.on('data', (d) => (out += d));
      const url = await new Promise<URL>((resolve, reject) => {
        child!.stdout!.on('data', (d) => {
          out += d;
          const m = /Aqueduct is running at (\S+)/.exec(out);
          if (m) resolve(new URL(m[1]!));
        });
        child!.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${out}`)));
      });
      const api = createApiClient({ kind: 'web', baseUrl: url.origin, token: TOKEN, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
      try {
        const password = 'Trap-Password-31c9';
        await api.connections.create.mutate({ name: 'trap', type: 'postgres', settings: { host: '127.0.0.1', port: trap.port, database: 'd', user: 'u', password } });
        const test = await api.connections.test.mutate({ name: 'trap' });
        expect(test.problem).toBe('auth');
        // the server opened the sealed password to send it: it holds the key it was given
        expect(trap.passwords).toEqual([password]);
        const db = new Database(path.join(home, 'aqueduct.db'), { readonly: true });
        const sealed = JSON.parse((db.prepare("SELECT secrets FROM connections WHERE name = 'trap'").get() as { secrets: string }).secrets) as Record<string, string>;
        db.close();
        expect(new SecretBox(Buffer.from(KEY, 'base64')).open(sealed.password!)).toBe(password);
        expect(fs.existsSync(path.join(home, 'secret.key'))).toBe(false);

        const dump = path.join(home, 'env.json');
        const wf = await api.workflows.open.mutate({ folder: envWorkflow(dump) });
        const run = await api.runs.start.mutate({ workflowId: wf.id });
        let status = '';
        for (let i = 0; i < 600 && !/succeeded|failed|cancelled/.test(status); i++) {
          await new Promise((r) => setTimeout(r, 200));
          status = (await api.runs.get.query({ runId: run.id })).status;
        }
        expect(status).toBe('succeeded');
        expectNoSecrets(dump, spyLog);
      } finally {
        closeApiClient(api);
      }
    }, 180_000);
  });
});
