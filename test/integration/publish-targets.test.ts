// Why: a file publish may only ever replace a regular file (or create one). Targets that
// are folders, devices, named pipes or sockets are refused, and so are the workflow's own
// definition files (workflow.yaml, node code, nodes/, requirements.txt and its lock), at validation and again when the
// publish runs (paths resolved, symlinks followed). A symlink is written through: the
// file it points to is replaced and the link stays a link.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, type Stats } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDestinationWriter } from '../../runner/connectors/registry.ts';
import type { PublishRequest } from '../../runner/connectors/types.ts';
import { loadWorkflow } from '../../runner/spec/load.ts';
import type { Engine } from '../../runner/engine.ts';
import { SAMPLE_SQL, scratchDuck } from '../helpers/db-servers.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

const isRoot = process.getuid?.() === 0;
let dir: string;
let sample: string;
let socket: Server;
let device: string;
let duck: Awaited<ReturnType<typeof scratchDuck>>;

const FILE_TYPES = [
  { type: 'csv', ext: 'csv' },
  { type: 'parquet', ext: 'parquet' },
  { type: 'json', ext: 'json' },
  { type: 'excel', ext: 'xlsx' },
  { type: 'sqlite', ext: 'sqlite' },
  { type: 'duckdb', ext: 'duckdb' },
] as const;

function req(type: string, path: string, extra: Partial<PublishRequest> = {}): PublishRequest {
  const table = type === 'sqlite' || type === 'duckdb' ? { table: 'scores' } : {};
  return { parquetPath: sample, destination: { type, path, ...table }, mode: 'replace', workflowFolder: dir, ...extra };
}
const publish = (r: PublishRequest) => getDestinationWriter(r.destination.type).publish(r);
/** Rows in a published file, read back by the format's own reader. */
async function rowsIn(type: string, p: string): Promise<number> {
  switch (type) {
    case 'sqlite': {
      const db = new Database(p, { readonly: true });
      try {
        return Number((db.prepare('SELECT count(*) AS n FROM scores').get() as { n: number }).n);
      } finally {
        db.close();
      }
    }
    case 'duckdb': {
      const inst = await DuckDBInstance.create(p, { access_mode: 'READ_ONLY' });
      try {
        const conn = await inst.connect();
        const n = Number((await conn.runAndReadAll('SELECT count(*) FROM scores')).getRows()[0]![0]);
        conn.closeSync();
        return n;
      } finally {
        inst.closeSync();
      }
    }
    case 'excel': {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(p);
      return wb.getWorksheet('Sheet1')!.rowCount - 1;
    }
    default:
      return Number(await duck.value(`SELECT count(*)::INTEGER FROM read_${type}(${duck.lit(p)})`));
  }
}
const kindOf = (s: Stats) => (s.isFIFO() ? 'fifo' : s.isSocket() ? 'socket' : s.isCharacterDevice() ? 'char' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'link' : 'file');

/** A character device to publish to: a private copy of /dev/null (as root), else /dev/null itself, which a user cannot replace. */
function charDevice(): string {
  if (!isRoot) return '/dev/null';
  const p = join(dir, 'special', 'null-device');
  execFileSync('mknod', [p, 'c', '1', '3']);
  return p;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aq-pub-targets-'));
  duck = await scratchDuck();
  sample = await duck.parquet(SAMPLE_SQL, join(dir, 'sample.parquet'));
  mkdirSync(join(dir, 'special'));
  mkdirSync(join(dir, 'special', 'a-folder'));
  execFileSync('mkfifo', [join(dir, 'special', 'a-fifo')]);
  device = charDevice();
  socket = createServer();
  await new Promise<void>((r) => socket.listen(join(dir, 'special', 'a-socket'), r));
});
afterAll(async () => {
  await new Promise((r) => socket.close(r));
  duck.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(FILE_TYPES)('$type destination on something that is not a regular file', ({ type }) => {
  const refused = (what: RegExp) =>
    expect.objectContaining({ name: 'PublishError', message: expect.stringMatching(what), fix: expect.stringContaining('destination.path') });

  it('refuses a folder and leaves it a folder', async () => {
    const p = join(dir, 'special', 'a-folder');
    await expect(publish(req(type, p))).rejects.toEqual(refused(/destination\.path .*is a folder, not a file/));
    expect(kindOf(lstatSync(p))).toBe('dir');
  });

  it('refuses a socket and leaves it a socket', async () => {
    const p = join(dir, 'special', 'a-socket');
    await expect(publish(req(type, p))).rejects.toEqual(refused(/destination\.path .*is a socket, not a file/));
    expect(kindOf(lstatSync(p))).toBe('socket');
  });

  it('refuses a named pipe (FIFO) and leaves it a FIFO', async () => {
    const p = join(dir, 'special', 'a-fifo');
    await expect(publish(req(type, p))).rejects.toEqual(refused(/destination\.path .*is a named pipe \(FIFO\), not a file/));
    expect(kindOf(lstatSync(p))).toBe('fifo');
  });

  it('refuses a device (a copy of /dev/null) and leaves it a device', async () => {
    const p = device;
    await expect(publish(req(type, p))).rejects.toEqual(refused(/destination\.path .*is a device, not a file/));
    expect(kindOf(lstatSync(p))).toBe('char');
  });

  it('refuses a symlink that points at a FIFO, and leaves both', async () => {
    const link = join(dir, 'special', `to-fifo.${type}`);
    symlinkSync('a-fifo', link);
    await expect(publish(req(type, link))).rejects.toEqual(refused(/is a named pipe \(FIFO\), not a file/));
    expect(kindOf(lstatSync(link))).toBe('link');
    expect(kindOf(lstatSync(join(dir, 'special', 'a-fifo')))).toBe('fifo');
  });

  it('writes through a symlink: the file it points to is replaced, the link stays', async () => {
    const { ext } = FILE_TYPES.find((t) => t.type === type)!;
    mkdirSync(join(dir, type, 'real'), { recursive: true });
    mkdirSync(join(dir, type, 'out'), { recursive: true });
    const link = join(dir, type, 'out', `latest.${ext}`);
    const dangling = join(dir, type, 'out', `next.${ext}`);
    symlinkSync(`../real/target.${ext}`, link);
    symlinkSync(`../real/created.${ext}`, dangling);
    // an empty file to replace (DuckDB cannot open an empty file as a database: it gets none)
    if (type !== 'duckdb') writeFileSync(join(dir, type, 'real', `target.${ext}`), '');
    for (const p of [link, dangling]) {
      const r = await publish(req(type, p));
      expect(r.rows).toBe(3);
      expect(kindOf(lstatSync(p))).toBe('link');
    }
    expect(readlinkSync(link)).toBe(`../real/target.${ext}`);
    for (const name of [`target.${ext}`, `created.${ext}`]) {
      const real = join(dir, type, 'real', name);
      expect(kindOf(lstatSync(real))).toBe('file');
      expect(await rowsIn(type, real)).toBe(3);
    }
  });
});

describe('publishing over the workflow\'s own definition', () => {
  let wf: string;
  const protect = () => [join(wf, 'workflow.yaml'), join(wf, 'nodes'), join(wf, 'sql', 'custom.sql')];
  beforeAll(() => {
    wf = join(dir, 'wf');
    mkdirSync(join(wf, 'nodes'), { recursive: true });
    mkdirSync(join(wf, 'sql'), { recursive: true });
    writeFileSync(join(wf, 'workflow.yaml'), 'name: keep me\n');
    writeFileSync(join(wf, 'nodes', 'q.sql'), 'SELECT 1');
    writeFileSync(join(wf, 'sql', 'custom.sql'), 'SELECT 2');
    symlinkSync('.', join(wf, 'alias'));
  });

  it.each(FILE_TYPES)('is refused by the $type writer, however the path is spelled', async ({ type }) => {
    for (const p of ['workflow.yaml', 'nodes/q.sql', 'nodes/new-output.csv', 'sql/custom.sql', 'alias/workflow.yaml', `${wf}/./nodes/../workflow.yaml`]) {
      await expect(publish({ ...req(type, p), workflowFolder: wf, protectedPaths: protect() }), p).rejects.toMatchObject({
        name: 'PublishError',
        message: expect.stringMatching(/destination\.path .*is part of the workflow's own definition/),
        fix: expect.stringContaining('destination.path'),
      });
    }
    expect(readFileSync(join(wf, 'workflow.yaml'), 'utf8')).toBe('name: keep me\n');
    expect(readFileSync(join(wf, 'nodes', 'q.sql'), 'utf8')).toBe('SELECT 1');
    expect(readFileSync(join(wf, 'sql', 'custom.sql'), 'utf8')).toBe('SELECT 2');
  });
});

describe('validation of publish paths', () => {
  function folderWith(destination: Record<string, unknown>, extraNodes: Record<string, unknown>[] = [], files: Record<string, string> = {}) {
    return makeWorkflow(
      {
        nodes: [
          { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
          { id: 'q', kind: 'sql', inputs: ['numbers'], code: 'sql/q.sql' },
          ...extraNodes,
          { id: 'out', kind: 'publish', inputs: ['q'], destination },
        ],
      },
      { 'data/numbers.csv': numbersCsv(3), 'sql/q.sql': 'SELECT * FROM numbers', ...files },
      'validate-publish',
    );
  }
  const problemsOf = (folder: string) => {
    const r = loadWorkflow(folder);
    return r.ok ? [] : r.problems;
  };
  const last = (extra = 0) => `nodes[${2 + extra}].destination.path`;

  it.each([
    ['workflow.yaml', { type: 'csv', path: 'workflow.yaml' }],
    ['a node code file', { type: 'csv', path: 'sql/q.sql' }],
    ['the nodes/ folder', { type: 'sqlite', path: 'nodes/out.sqlite', table: 't' }],
    ['workflow.yaml through ./..', { type: 'excel', path: './data/../workflow.yaml' }],
    ['requirements.txt', { type: 'csv', path: 'requirements.txt' }],
    ['requirements.lock (the app writes it from requirements.txt)', { type: 'csv', path: 'requirements.lock' }],
  ])('refuses a target that is %s, naming node, field and fix', (_what, destination) => {
    const problems = problemsOf(folderWith(destination));
    expect(problems).toEqual([
      expect.objectContaining({
        nodeId: 'out',
        field: last(),
        message: expect.stringMatching(/is part of the workflow's own definition/),
        fix: expect.stringMatching(/set destination\.path to a file outside/),
      }),
    ]);
  });

  it('refuses a target that is a device or a folder', () => {
    expect(problemsOf(folderWith({ type: 'csv', path: '/dev/null' }))).toEqual([
      expect.objectContaining({ nodeId: 'out', field: last(), message: expect.stringMatching(/\/dev\/null is a device, not a file/), fix: expect.stringContaining('destination.path') }),
    ]);
    const withFolder = folderWith({ type: 'parquet', path: 'data' });
    expect(problemsOf(withFolder)).toEqual([
      expect.objectContaining({ nodeId: 'out', field: last(), message: expect.stringMatching(/is a folder, not a file/) }),
    ]);
  });

  it('accepts ordinary targets (new files, existing files, files beside the definition)', () => {
    expect(problemsOf(folderWith({ type: 'csv', path: 'out/q.csv' }))).toEqual([]);
    expect(problemsOf(folderWith({ type: 'csv', path: 'data/numbers.csv' }))).toEqual([]);
    expect(problemsOf(folderWith({ type: 'duckdb', path: 'warehouse.duckdb', table: 't' }))).toEqual([]);
    expect(problemsOf(folderWith({ type: 'postgres', connection: 'pg', table: 'nodes' }))).toEqual([]);
  });
});

describe('a run whose Python node points the output folder at the workflow itself', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('publish-guard');
  });
  afterAll(() => engine.close());

  it('refuses the publish at publish time and leaves workflow.yaml as it was', async () => {
    const folder = makeWorkflow(
      {
        nodes: [
          { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
          { id: 'sneaky', kind: 'python', inputs: ['numbers'] },
          { id: 'out', kind: 'publish', inputs: ['sneaky'], destination: { type: 'csv', path: 'out/workflow.yaml' } },
        ],
      },
      { 'data/numbers.csv': numbersCsv(3), 'nodes/sneaky.py': '' },
      'publish-guard-wf',
    );
    // the folder is valid when it loads; the Python node then makes out/ a link to the folder itself
    writeFileSync(join(folder, 'nodes', 'sneaky.py'), [
      'import os',
      'def run(numbers):',
      `    os.symlink(${JSON.stringify(folder)}, ${JSON.stringify(join(folder, 'out'))})`,
      '    return numbers',
    ].join('\n'));
    const before = readFileSync(join(folder, 'workflow.yaml'), 'utf8');
    const run = await engine.run(folder);
    const out = run.nodes.find((n) => n.nodeId === 'out')!;
    expect(out.status).toBe('failed');
    expect(out.error!.message).toMatch(/destination\.path .*workflow\.yaml.* is part of the workflow's own definition/);
    expect(out.error!.fix).toMatch(/set destination\.path to a file outside/);
    expect(readFileSync(join(folder, 'workflow.yaml'), 'utf8')).toBe(before);
    expect(run.publications).toEqual([]);
  });
});
