// The folder watcher reports edits to workflow.yaml and to code files (also in folders
// created after watching began), debounces bursts into one report, and stops cleanly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { subscriptionStream } from '../api/subscription-stream.ts';
import { watchWorkflowFolder, watchedFolders } from './watch.ts';

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((s) => s()));

function folder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-watch-'));
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), 'name: w\nnodes:\n  - id: a\n    kind: sql\n  - id: b\n    kind: sql\n    code: queries/b.sql\n');
  fs.mkdirSync(path.join(dir, 'queries'));
  return dir;
}

function collect(dir: string, debounceMs = 60): string[][] {
  const reports: string[][] = [];
  stops.push(watchWorkflowFolder(dir, (files) => reports.push(files), { debounceMs }));
  return reports;
}

const until = async (f: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out waiting for a watch report');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('watchWorkflowFolder', () => {
  it('watches the folder, nodes/ and folders named by code paths', () => {
    const dir = folder();
    fs.mkdirSync(path.join(dir, 'nodes'));
    expect(watchedFolders(dir).sort()).toEqual([dir, path.join(dir, 'nodes'), path.join(dir, 'queries')].sort());
  });

  it('reports a burst of writes once, with the files changed', async () => {
    const dir = folder();
    const reports = collect(dir);
    fs.writeFileSync(path.join(dir, 'workflow.yaml'), 'name: w2\nnodes: []\n');
    fs.writeFileSync(path.join(dir, 'queries', 'b.sql'), 'SELECT 2');
    await until(() => reports.length > 0);
    await new Promise((r) => setTimeout(r, 150));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toEqual(expect.arrayContaining(['workflow.yaml', path.join('queries', 'b.sql')]));
  });

  it('picks up nodes/ when it is created after watching began', async () => {
    const dir = folder();
    const reports = collect(dir);
    fs.mkdirSync(path.join(dir, 'nodes'));
    await until(() => reports.length > 0);
    fs.writeFileSync(path.join(dir, 'nodes', 'a.sql'), 'SELECT 1');
    await until(() => reports.some((r) => r.includes(path.join('nodes', 'a.sql'))));
  });

  it('ignores temporary files of atomic writes', async () => {
    const dir = folder();
    const reports = collect(dir, 40);
    fs.writeFileSync(path.join(dir, 'workflow.yaml.123.tmp'), 'x');
    await new Promise((r) => setTimeout(r, 200));
    expect(reports).toEqual([]);
  });

  it('as a stream, ends when the signal aborts', async () => {
    const dir = folder();
    const ac = new AbortController();
    const got: string[][] = [];
    const done = (async () => {
      for await (const files of subscriptionStream<string[]>((push) => watchWorkflowFolder(dir, push, { debounceMs: 40 }), ac.signal)) got.push(files);
    })();
    await new Promise((r) => setTimeout(r, 50));
    fs.writeFileSync(path.join(dir, 'queries', 'b.sql'), 'SELECT 3');
    await until(() => got.length > 0);
    ac.abort();
    await done;
    expect(got[0]).toContain(path.join('queries', 'b.sql'));
  });
});
