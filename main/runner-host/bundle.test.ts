// The packaged desktop runs the runner from one bundled ES module (main/dist/runner-host.mjs)
// so the app can live in an asar archive with no tsx at run time. Built here with the same
// build step, and run under plain Node without tsx (Electron cannot run here) behind a
// stand-in parentPort: it answers the API, runs the bundled example (Python node
// included), analyses a notebook and exports the run as one, so every path it resolves
// (worker script, examples, the notebook scripts) is right from the bundle.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { buildRunnerHost } from '../build.mjs';
import { tempHome } from '../../test/helpers/home.ts';
import { testPython } from '../../test/helpers/python.ts';

describe('the bundled runner host', () => {
  it("finds the app's files only through runner/app-root.ts", () => {
    // import.meta.url is the bundle's own place once bundled (inside the asar archive), so a
    // path built from it elsewhere misses the unpacked resources/ that Python reads
    const files = ['runner', 'main/runner-host'].flatMap((dir) =>
      (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(ts|mjs)$/.test(f) && !/\.test\.ts$/.test(f)).map((f) => path.join(dir, f)),
    );
    const users = files.filter((f) => /import\.meta\.url/.test(fs.readFileSync(f, 'utf8')));
    expect(users).toEqual([path.join('runner', 'app-root.ts')]);
  });

  it('is plain JavaScript that answers the API and runs the example without tsx', async () => {
    // where the packaged app has it: the runner finds the app's files from there
    const out = path.resolve('main/dist/runner-host.mjs');
    await buildRunnerHost({ quiet: true });
    const code = fs.readFileSync(out, 'utf8');
    expect(code).not.toMatch(/from ["']tsx/);
    expect(code).not.toMatch(/import\(["'][^"']+\.ts["']\)/);

    const home = tempHome('runner-bundle-home');
    const env: NodeJS.ProcessEnv = { ...process.env, AQUEDUCT_HOME: home, AQUEDUCT_HOST_MODULE: out, AQUEDUCT_PYTHON: testPython() };
    // no loader hooks: the bundle must run on plain Node
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [path.resolve('main/runner-host/fake-parent-port.mjs')], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: Record<string, unknown>[] = [];
    const waiters: (() => void)[] = [];
    readline.createInterface({ input: child.stdout }).on('line', (l) => {
      lines.push(JSON.parse(l) as Record<string, unknown>);
      waiters.splice(0).forEach((w) => w());
    });
    const reply = async (id: number) => {
      for (;;) {
        const found = lines.find((o) => (o.port as { id?: number } | undefined)?.id === id) as { port: { result?: { data: unknown }; error?: unknown } } | undefined;
        if (found) return found.port;
        await new Promise<void>((r) => waiters.push(r));
      }
    };
    const send = (o: unknown) => child.stdin.write(JSON.stringify(o) + '\n');
    const call = async (id: number, method: 'query' | 'mutation', p: string, input?: unknown) => {
      send({ call: { id, method, path: p, input } });
      const r = await reply(id);
      expect(r.error, JSON.stringify(r.error)).toBeUndefined();
      return r.result!.data as Record<string, unknown>;
    };
    try {
      send({ secretKey: crypto.randomBytes(32).toString('base64') });
      send({ connect: true });
      const wf = await call(1, 'mutation', 'workflows.createFromExample', {});
      expect(wf.name).toBe('Customer churn');
      const run = await call(2, 'mutation', 'runs.start', { workflowId: wf.id });
      let status = '';
      for (let id = 3; !/succeeded|failed|cancelled/.test(status); id++) {
        await new Promise((r) => setTimeout(r, 300));
        status = String((await call(id, 'query', 'runs.get', { runId: run.id })).status);
      }
      expect(status).toBe('succeeded');

      // the notebook import's analysis script and the export's helpers are found from the bundle too
      const text = fs.readFileSync(path.resolve('test/fixtures/notebooks/churn/churn.ipynb'), 'utf8');
      const analysed = await call(100, 'mutation', 'notebooks.analyze', { text, fileName: 'churn.ipynb' });
      expect((analysed.analysis as { nodes: unknown[] }).nodes.length).toBeGreaterThan(1);
      const exported = await call(101, 'mutation', 'notebooks.export', { workflowId: wf.id, runId: run.id });
      expect(exported.text).toMatch(/"nbformat": 4/);
    } finally {
      const exit = new Promise((r) => child.once('exit', r));
      send({ shutdown: true });
      await exit;
    }
  }, 180_000);
});
