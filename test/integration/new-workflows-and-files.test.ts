// New workflows and their files through the real server: a blank workflow is saved and
// opened with no nodes and running it says what to add; a copy of the example takes the
// name given (folder too) and nothing of the example's own notes; both run on an
// app-owned Python environment, while an existing folder opened keeps its interpreter; a
// folder without workflow.yaml is offered for a new one; the Workflows folder is a setting.
// Uploads land in data/ only, with a safe name, under the size limit, and only with the
// token; the folder listing never leaves the workflow folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TRPCClientError } from '@trpc/client';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { closeApiClient, createApiClient, type Api } from '../../renderer/client/index.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';

let server: RunningServer;
let api: Api;
let base: string;

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, home: tempHome('new-wf'), python: testPython(), seedExample: false, scheduler: false, uploadLimitBytes: 64 * 1024 });
  base = `http://127.0.0.1:${server.port}`;
  api = createApiClient({ kind: 'web', baseUrl: base, token: server.token, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
});

afterAll(async () => {
  if (api) closeApiClient(api);
  await server?.close();
});

const dataOf = (e: unknown) => (e instanceof TRPCClientError ? (e.data as { field?: string; fix?: string; offer?: string }) : {});
async function refusal(p: Promise<unknown>): Promise<{ message: string; field?: string; fix?: string; offer?: string }> {
  try {
    await p;
  } catch (e) {
    return { message: (e as Error).message, ...dataOf(e) };
  }
  throw new Error('expected a refusal');
}

describe('new workflows', () => {
  it('creates a blank workflow named by the user under the Workflows folder, and saves and opens it with no nodes', async () => {
    const { folder, workflowsFolder } = await api.workflows.suggestFolder.query({ name: 'House prices (2026)' });
    expect(folder).toBe(path.join(workflowsFolder, 'house-prices-2026'));
    const w = await api.workflows.create.mutate({ name: 'House prices (2026)' });
    expect(w.folder).toBe(folder);
    expect(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')).toBe('name: House prices (2026)\nnodes: []\n');
    const detail = await api.workflows.get.query({ id: w.id });
    expect(detail.problems).toEqual([]);
    expect(detail.definition?.nodes).toEqual([]);
    // saving it empty again is fine too
    await api.workflows.save.mutate({ id: w.id, definition: detail.definition!, code: {} });
    // the next one of the same name gets a folder of its own
    expect((await api.workflows.suggestFolder.query({ name: 'House prices (2026)' })).folder).toBe(`${folder}-2`);
  });

  it('says in one sentence what to add when an empty workflow is run', async () => {
    const w = (await api.workflows.list.query()).find((x) => x.name === 'House prices (2026)')!;
    const r = await refusal(api.runs.start.mutate({ workflowId: w.id }));
    expect(r.message).toBe('"House prices (2026)" has no nodes yet: add a Source node that reads your data file (from the palette, or a source in workflow.yaml), then the steps that use it.');
  });

  it('copies the example under the name given, without the example’s README or comments', async () => {
    const w = await api.workflows.create.mutate({ name: 'Churn for Q3', example: 'customer-churn' });
    expect(path.basename(w.folder)).toBe('churn-for-q3');
    expect(fs.readdirSync(w.folder).sort()).toEqual(['data', 'nodes', 'requirements.lock', 'requirements.txt', 'workflow.yaml']);
    const yaml = fs.readFileSync(path.join(w.folder, 'workflow.yaml'), 'utf8');
    expect(yaml).toMatch(/^name: Churn for Q3$/m);
    expect(yaml).not.toMatch(/#/);
    expect(yaml).toContain('layout:');
    const detail = await api.workflows.get.query({ id: w.id });
    expect(detail.problems).toEqual([]);
    // the example's ten nodes, and its report, the chart's input and the two deliveries
    expect(detail.nodes).toHaveLength(14);
  });

  it('offers to create a workflow in a folder without workflow.yaml, and refuses one that has one', async () => {
    const empty = path.join(tempHome('empty-folder'), 'my-analysis');
    fs.mkdirSync(empty);
    const r = await refusal(api.workflows.open.mutate({ folder: empty }));
    expect(r.message).toBe(`no workflow.yaml in ${empty}: the folder is empty`);
    expect(r.offer).toBe('create');
    const w = await api.workflows.create.mutate({ name: 'My analysis', folder: empty });
    expect(w.folder).toBe(empty);
    const again = await refusal(api.workflows.create.mutate({ name: 'Other', folder: empty }));
    expect(again.field).toBe('folder');
    expect(again.message).toBe(`${empty} already holds a workflow`);
  });

  it('puts new workflows in the Workflows folder chosen in Settings', async () => {
    const chosen = path.join(tempHome('chosen'), 'Workflows');
    const bad = await refusal(api.settings.set.mutate({ workflowsFolder: 'relative/place' }));
    expect(bad.field).toBe('workflowsFolder');
    const s = await api.settings.set.mutate({ workflowsFolder: chosen });
    expect(s.workflowsFolder).toBe(chosen);
    const w = await api.workflows.create.mutate({ name: 'Elsewhere' });
    expect(w.folder).toBe(path.join(chosen, 'elsewhere'));
  });
});

describe('the Python environment of new workflows', () => {
  it('runs a new blank workflow on its app-owned environment, declared by a requirements.txt with no packages yet', async () => {
    const w = await api.workflows.create.mutate({ name: 'Env blank' });
    const env = await api.environments.status.query({ workflowId: w.id });
    expect([env.mode, env.modeChosen, env.requirementsFile]).toEqual(['app', false, true]);
    expect(env.declared).toEqual([]);
    // only a comment: the folder says which environment it runs on wherever it is opened
    expect(fs.readFileSync(path.join(w.folder, 'requirements.txt'), 'utf8')).toMatch(/^# [^\n]*pandas and pyarrow[^\n]*\n$/);
  });

  it('gives a copy of the example the example’s packages and lock, on its app-owned environment', async () => {
    const w = await api.workflows.create.mutate({ name: 'Env copy', example: 'customer-churn' });
    const env = await api.environments.status.query({ workflowId: w.id });
    expect(env.mode).toBe('app');
    expect(env.declared.map((d) => d.name)).toEqual(['scikit-learn']);
    expect(env.lock?.current).toBe(true);
    expect(env.lock?.packages.find((p) => p.name === 'scikit-learn')?.version).toMatch(/^\d+\.\d+/);
  });

  it('leaves an existing folder without requirements.txt as it was: it keeps running on Settings → Python', async () => {
    const folder = path.join(tempHome('existing'), 'older');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'workflow.yaml'), 'name: Older\nnodes: []\n');
    const w = await api.workflows.open.mutate({ folder });
    const env = await api.environments.status.query({ workflowId: w.id });
    expect([env.mode, env.requirementsFile]).toEqual(['interpreter', false]);
    expect(fs.readdirSync(folder)).toEqual(['workflow.yaml']);
  });
});

describe('a workflow’s files', () => {
  let id: string;
  let folder: string;
  beforeAll(async () => {
    const w = await api.workflows.create.mutate({ name: 'Uploads' });
    id = w.id;
    folder = w.folder;
  });

  const upload = (name: string, body: string | Buffer, token = server.token) =>
    fetch(`${base}/upload?workflow=${encodeURIComponent(id)}&name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('saves an upload in data/ with the token, atomically, and says when it replaced one', async () => {
    expect((await upload('train.csv', 'a,b\n1,2\n', 'wrong-token')).status).toBe(401);
    expect(fs.existsSync(path.join(folder, 'data', 'train.csv'))).toBe(false);
    const first = await upload('train.csv', 'a,b\n1,2\n');
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ path: 'data/train.csv', bytes: 8, replaced: false });
    const second = await upload('train.csv', 'a,b\n3,4\n');
    expect(await second.json()).toEqual({ path: 'data/train.csv', bytes: 8, replaced: true });
    expect(fs.readFileSync(path.join(folder, 'data', 'train.csv'), 'utf8')).toBe('a,b\n3,4\n');
    expect(fs.readdirSync(path.join(folder, 'data'))).toEqual(['train.csv']);
  });

  it('never writes outside data/, whatever the name', async () => {
    for (const name of ['../workflow.yaml', '../../escape.csv', '/etc/passwd', 'sub/dir/x.csv', '..\\..\\win.csv']) {
      const r = await upload(name, 'x\n');
      expect(r.status, name).toBe(200);
      const saved = ((await r.json()) as { path: string }).path;
      expect(saved.startsWith('data/') && !saved.slice(5).includes('/'), `${name} → ${saved}`).toBe(true);
    }
    expect(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')).toMatch(/^name: Uploads/);
    expect(fs.existsSync(path.join(path.dirname(folder), 'escape.csv'))).toBe(false);
    const hidden = await upload('.bashrc', 'x\n');
    expect(((await hidden.json()) as { path: string }).path).toBe('data/bashrc');
    const r = await upload('..', 'x\n');
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toBe('".." cannot be used as a file name');
  });

  it('refuses a file over the size limit and leaves nothing behind', async () => {
    const r = await upload('big.csv', Buffer.alloc(65 * 1024, 97));
    expect(r.status).toBe(413);
    expect(((await r.json()) as { error: string }).error).toBe('the file is larger than the upload limit of 64 KB');
    expect(fs.readdirSync(path.join(folder, 'data')).filter((f) => f.startsWith('big') || f.startsWith('.'))).toEqual([]);
  });

  it('refuses to write through a data/ folder that leads outside the workflow', async () => {
    const w = await api.workflows.create.mutate({ name: 'Linked data' });
    const outside = tempHome('outside');
    fs.symlinkSync(outside, path.join(w.folder, 'data'));
    const r = await fetch(`${base}/upload?workflow=${encodeURIComponent(w.id)}&name=x.csv`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}` }, body: 'x\n' });
    expect(r.status).toBe(400);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('lists the workflow folder, folders first, and nothing outside it', async () => {
    const root = await api.files.list.query({ workflowId: id });
    expect(root.entries.map((e) => `${e.kind}:${e.path}`)).toEqual(['folder:data', 'file:requirements.txt', 'file:workflow.yaml']);
    const data = await api.files.list.query({ workflowId: id, dir: 'data' });
    expect(data.entries.find((e) => e.name === 'train.csv')).toMatchObject({ path: 'data/train.csv', kind: 'file', bytes: 8 });
    for (const dir of ['..', '../..', '/etc', 'data/../..']) {
      const r = await refusal(api.files.list.query({ workflowId: id, dir }));
      expect(r.message, dir).toMatch(/outside the workflow folder/);
    }
  });

  it('reads the first rows of a file with the options in the form, before saving', async () => {
    const sample = await api.files.sample.query({ workflowId: id, node: { id: 's', kind: 'source', file: 'data/train.csv', column_types: { a: 'string' } } });
    expect(sample).toMatchObject({ ok: true, format: 'csv', columns: [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'BIGINT' }], rows: [{ a: '3', b: 4 }] });
    const missing = await api.files.sample.query({ workflowId: id, node: { id: 's', kind: 'source', file: 'data/nope.csv' } });
    expect(missing).toMatchObject({ ok: false, message: `data/nope.csv does not exist (looked at ${path.join(folder, 'data/nope.csv')})` });
  });
});
