// Engine benchmarks: per-node overhead on a 200-node SQL chain, warm Python node
// overhead, and a 1M-row source → SQL → Python → Parquet run. Every figure and its
// baseline (the same work straight in DuckDB, or in plain Python) is measured in a
// process of its own (runner-child.ts), the two taking turns, median of ROUNDS, with the
// load average: a baseline timed inside the busy process under test is no baseline.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { DuckDBInstance } from '@duckdb/node-api';
import { millionRowWorkflow } from './profile.bench.ts';
import { alternate, figure, heading, loadAverage, median, ratio } from './report.ts';

const ROUNDS = Number(process.env.AQUEDUCT_BENCH_ROUNDS ?? 5);

interface ChildResult {
  ms: number;
  nodes?: Record<string, number>;
  rssMiB?: number;
}

function child(...args: string[]): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'runner-child.ts'), ...args], { encoding: 'utf8' });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`runner benchmark child (${args[0]}) failed: ${r.stderr || r.stdout}`);
  return JSON.parse(last) as ChildResult;
}

function folder(name: string, def: object, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aq-bench-${name}-`));
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), YAML.stringify({ name, ...def }));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const runs = (xs: number[]) => `runs: ${xs.map((x) => x.toFixed(0)).join(', ')}`;

function chain(python: string, n: number): void {
  heading(`Engine overhead: a chain of ${n} trivial SQL nodes (${ROUNDS} rounds, one process per measurement, alternating)`);
  const nodes: object[] = [{ id: 'n0', kind: 'sql' }];
  const files: Record<string, string> = { 'nodes/n0.sql': 'SELECT 1 AS x' };
  for (let i = 1; i < n; i++) {
    nodes.push({ id: `n${i}`, kind: 'sql', inputs: [`n${i - 1}`] });
    files[`nodes/n${i}.sql`] = `SELECT x + 1 AS x FROM n${i - 1}`;
  }
  const dir = folder('chain', { nodes }, files);
  const r = alternate(ROUNDS, () => child('engine', dir, python).ms, () => child('duck-chain', String(n)).ms);
  loadAverage();
  const engineMs = median(r.a);
  const directMs = median(r.b);
  figure('whole run through the engine (median)', engineMs, 'ms', runs(r.a));
  figure('same SQL directly in DuckDB (baseline, median)', directMs, 'ms', runs(r.b));
  figure('engine overhead per node', (engineMs - directMs) / n, 'ms/node', '(target ≤ 2 ms/node)');
  ratio('engine / direct', engineMs, directMs);
  fs.rmSync(dir, { recursive: true, force: true });
}

async function warmPython(python: string): Promise<void> {
  heading(`Warm Python node overhead (${ROUNDS} rounds, one process per measurement, alternating)`);
  const dir = folder('py', { nodes: [{ id: 'src', kind: 'sql' }, { id: 'py', kind: 'python', inputs: ['src'] }] }, {
    'nodes/src.sql': 'SELECT range AS x FROM range(10)',
    'nodes/py.py': 'def run(src):\n    return src\n',
  });
  // the baseline reads and writes the same 10-row Parquet the node gets, in a warm Python process
  const src = path.join(dir, 'src.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT range AS x FROM range(10)) TO '${src}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
  const script = `import sys, time, pandas as pd\nts=[]\nfor i in range(15):\n    t=time.perf_counter(); df=pd.read_parquet(sys.argv[1]); df.to_parquet(sys.argv[2], index=False); ts.append(time.perf_counter()-t)\nts.sort(); print(ts[len(ts)//2]*1000)`;
  const plain = () => {
    const p = spawnSync(python, ['-c', script, src, path.join(dir, 'out.parquet')], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`the plain Python baseline failed: ${p.stderr}`);
    return Number(p.stdout.trim());
  };
  const r = alternate(ROUNDS, () => child('engine', dir, python).nodes!.py!, plain);
  loadAverage();
  const nodeMs = median(r.a);
  const base = median(r.b);
  figure('python node, start to finish (median)', nodeMs, 'ms', runs(r.a));
  figure('read + write the same Parquet in warm Python (baseline)', base, 'ms', `runs: ${r.b.map((x) => x.toFixed(2)).join(', ')}`);
  figure('engine overhead per warm Python node', nodeMs - base, 'ms', '(target ≤ 20 ms)');
  ratio('node / baseline', nodeMs, base, '≤ 1.1');
  fs.rmSync(dir, { recursive: true, force: true });
}

async function millionRows(python: string): Promise<void> {
  heading(`1M rows: CSV source → SQL → Python → Parquet (${ROUNDS} rounds, one process per measurement, alternating)`);
  const dir = await millionRowWorkflow();
  const r = alternate(ROUNDS, () => child('engine', dir, python), () => child('duck-million', path.join(dir, 'data/events.csv'), python));
  loadAverage();
  const ms = median(r.a.map((x) => x.ms));
  const directMs = median(r.b.map((x) => x.ms));
  figure('through the engine (median)', ms, 'ms', runs(r.a.map((x) => x.ms)));
  figure('same steps by hand (DuckDB + one Python process)', directMs, 'ms', runs(r.b.map((x) => x.ms)));
  ratio('engine / by hand', ms, directMs, '≤ 1.0');
  figure('engine process peak RSS (median)', median(r.a.map((x) => x.rssMiB!)), 'MiB');
  figure('by-hand Python peak RSS (includes pandas import)', median(r.b.map((x) => x.rssMiB!)), 'MiB');
  fs.rmSync(dir, { recursive: true, force: true });
}

export async function benchRunner(): Promise<void> {
  const python = process.env.AQUEDUCT_PYTHON ?? path.resolve('.venv/bin/python');
  chain(python, 200);
  await warmPython(python);
  await millionRows(python);
}
