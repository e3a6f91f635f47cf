// The data diff on two runs' 1M-row outputs (a key, text, numbers, nulls; about 1% of rows
// changed, 0.1% added and removed): keyed and without a key, next to the baseline of a
// plain DuckDB EXCEPT ALL both ways over the same files. Each measurement in a process of
// its own, the three alternating, median of ROUNDS, with the machine's load average.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../runner/engine.ts';
import { figure, heading, median, ratio } from './report.ts';

const ROUNDS = Number(process.env.AQUEDUCT_BENCH_ROUNDS ?? 5);

async function twoRuns(): Promise<{ home: string; runA: string; runB: string; cleanup(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-diff-'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), YAML.stringify({ name: 'diff-bench', nodes: [{ id: 'table', kind: 'source', file: 'data/t.parquet' }] }));
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const write = (sql: string) => c.run(`COPY (${sql}) TO '${dir}/data/t.parquet' (FORMAT parquet)`);
  const base = `SELECT range AS id, 'customer ' || (range % 50000) AS name, (range % 1000) / 10.0 AS amount, CASE WHEN range % 11 = 0 THEN NULL ELSE range % 97 END AS bucket FROM range(1000000)`;
  const engine = await Engine.open({ home, profiles: false });
  try {
    await write(base);
    const a = await engine.run(dir);
    await write(`SELECT id, name, CASE WHEN id % 100 = 7 THEN amount + 1 ELSE amount END AS amount, bucket FROM (${base}) WHERE id % 1000 <> 3
      UNION ALL SELECT range + 1000000, 'new', 1.0, 1 FROM range(1000)`);
    const b = await engine.run(dir);
    return { home, runA: a.id, runB: b.id, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
  } finally {
    c.closeSync();
    db.closeSync();
    await engine.close();
  }
}

function child(args: string[]): { ms: number; result?: number[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'diff-child.ts'), ...args], { encoding: 'utf8' });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`diff benchmark child failed: ${r.stderr || r.stdout}`);
  return JSON.parse(last) as { ms: number; result?: number[] };
}

export async function benchDiff(): Promise<void> {
  heading(`Data diff of two 1M-row outputs, ${ROUNDS} rounds, one process per measurement`);
  const runs = await twoRuns();
  const times: Record<'keyed' | 'multiset' | 'except', number[]> = { keyed: [], multiset: [], except: [] };
  let results: Record<string, number[] | undefined> = {};
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const order = (['keyed', 'multiset', 'except'] as const).map((_, k, all) => all[(k + i) % 3]!);
      for (const mode of order) {
        const r = child([runs.home, runs.runA, runs.runB, mode]);
        times[mode].push(r.ms);
        results = { ...results, [mode]: r.result };
      }
    }
  } finally {
    runs.cleanup();
  }
  console.log(`  load average (1, 5, 15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} cores`);
  console.log(`  keyed: added, removed, changed = ${results.keyed?.join(', ')}; without a key: only in A, only in B = ${results.multiset?.join(', ')}`);
  figure('diff with key id (median)', median(times.keyed), 'ms', `runs: ${times.keyed.map((x) => x.toFixed(0)).join(', ')}`);
  figure('diff without a key (median)', median(times.multiset), 'ms', `runs: ${times.multiset.map((x) => x.toFixed(0)).join(', ')}`);
  figure('plain DuckDB EXCEPT ALL both ways (baseline)', median(times.except), 'ms', `runs: ${times.except.map((x) => x.toFixed(0)).join(', ')}`);
  ratio('keyed diff / EXCEPT ALL', median(times.keyed), median(times.except));
  ratio('diff without a key / EXCEPT ALL', median(times.multiset), median(times.except));
}
