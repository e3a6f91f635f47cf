// Engine benchmarks: per-node overhead on a 200-node SQL chain, warm Python node
// overhead, and a 1M-row source → SQL → Python → Parquet run, each next to the same work
// done directly (DuckDB, Python) in the same process run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../runner/engine.ts';
import { figure, heading, median, ratio, time } from './report.ts';

function folder(name: string, def: object, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aq-bench-${name}-`));
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), YAML.stringify({ name, ...def }));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function chain(engine: Engine, n: number): Promise<void> {
  heading(`Engine overhead: a chain of ${n} trivial SQL nodes`);
  const nodes: object[] = [{ id: 'n0', kind: 'sql' }];
  const files: Record<string, string> = { 'nodes/n0.sql': 'SELECT 1 AS x' };
  for (let i = 1; i < n; i++) {
    nodes.push({ id: `n${i}`, kind: 'sql', inputs: [`n${i - 1}`] });
    files[`nodes/n${i}.sql`] = `SELECT x + 1 AS x FROM n${i - 1}`;
  }
  const dir = folder('chain', { nodes }, files);
  await engine.run(dir); // warm-up
  const runs: number[] = [];
  for (let k = 0; k < 3; k++) runs.push((await time(() => engine.run(dir))).ms);
  const engineMs = median(runs);

  // baseline: the same statements straight into DuckDB, each result written as Parquet
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-direct-'));
  const direct = async () => {
    await c.run(`COPY (SELECT 1 AS x) TO '${out}/n0.parquet' (FORMAT parquet)`);
    for (let i = 1; i < n; i++) {
      await c.run(`COPY (SELECT x + 1 AS x FROM read_parquet('${out}/n${i - 1}.parquet')) TO '${out}/n${i}.parquet' (FORMAT parquet)`);
    }
  };
  await direct();
  const directRuns: number[] = [];
  for (let k = 0; k < 3; k++) directRuns.push((await time(direct)).ms);
  const directMs = median(directRuns);
  c.closeSync();
  db.closeSync();
  figure('whole run through the engine', engineMs, 'ms');
  figure('same SQL directly in DuckDB (baseline)', directMs, 'ms');
  figure('engine overhead per node', (engineMs - directMs) / n, 'ms/node', '(target ≤ 5 ms/node)');
  ratio('engine / direct', engineMs, directMs);
}

async function warmPython(engine: Engine, python: string): Promise<void> {
  heading('Warm Python node overhead');
  const dir = folder('py', { nodes: [{ id: 'src', kind: 'sql' }, { id: 'py', kind: 'python', inputs: ['src'] }] }, {
    'nodes/src.sql': 'SELECT range AS x FROM range(10)',
    'nodes/py.py': 'def run(src):\n    return src\n',
  });
  await engine.run(dir);
  const durations: number[] = [];
  for (let k = 0; k < 15; k++) {
    const r = await engine.run(dir);
    const n = r.nodes.find((x) => x.nodeId === 'py')!;
    durations.push(n.finishedAt! - n.startedAt!);
  }
  const src = (await engine.run(dir)).nodes.find((x) => x.nodeId === 'src')!.artifactPath!;
  // baseline: what the node itself must do, measured inside one warm Python process
  const script = `import time, pandas as pd\nts=[]\nfor i in range(15):\n    t=time.perf_counter(); df=pd.read_parquet(${JSON.stringify(src)}); df.to_parquet('/tmp/aq-bench-py.parquet', index=False); ts.append(time.perf_counter()-t)\nts.sort(); print(ts[len(ts)//2]*1000)`;
  const base = Number(spawnSync(python, ['-c', script], { encoding: 'utf8' }).stdout.trim());
  const nodeMs = median(durations);
  figure('python node, start to finish (median of 15)', nodeMs, 'ms');
  figure('read + write the same Parquet in warm Python (baseline)', base, 'ms');
  figure('engine overhead per warm Python node', nodeMs - base, 'ms', '(target ≤ 20 ms)');
  ratio('node / baseline', nodeMs, base);
}

async function millionRows(engine: Engine, python: string): Promise<void> {
  heading('1M rows: CSV source → SQL → Python → Parquet');
  const dir = folder('million', {
    nodes: [
      { id: 'events', kind: 'source', file: 'data/events.csv' },
      { id: 'features', kind: 'sql', inputs: ['events'] },
      { id: 'scored', kind: 'python', inputs: ['features'] },
      { id: 'out', kind: 'publish', inputs: ['scored'], destination: { type: 'parquet', path: 'out/scored.parquet' } },
    ],
  }, {
    'nodes/features.sql': 'SELECT id, grp, amount, amount * 2 AS doubled, length(grp) AS grp_len FROM events',
    'nodes/scored.py': 'def run(features):\n    features["score"] = features["doubled"] / (1 + features["grp_len"])\n    return features\n',
  });
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  fs.mkdirSync(path.join(dir, 'data'));
  await c.run(`COPY (SELECT range AS id, 'g' || (range % 17) AS grp, (range % 1000) / 10.0 AS amount FROM range(1000000)) TO '${dir}/data/events.csv' (HEADER)`);
  const rssBefore = process.resourceUsage().maxRSS;
  const { ms } = await time(() => engine.run(dir));
  const rssAfter = process.resourceUsage().maxRSS;

  // baseline: the same steps by hand, DuckDB then one Python process
  const t0 = performance.now();
  await c.run(`COPY (SELECT id, grp, amount, amount * 2 AS doubled, length(grp) AS grp_len FROM read_csv('${dir}/data/events.csv')) TO '/tmp/aq-bench-f.parquet' (FORMAT parquet)`);
  const py = spawnSync(python, ['-c', "import pandas as pd, resource\nf=pd.read_parquet('/tmp/aq-bench-f.parquet')\nf['score']=f['doubled']/(1+f['grp_len'])\nf.to_parquet('/tmp/aq-bench-s.parquet', index=False)\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"], { encoding: 'utf8' });
  const directMs = performance.now() - t0;
  c.closeSync();
  db.closeSync();
  figure('through the engine', ms, 'ms');
  figure('same steps by hand (DuckDB + one Python process)', directMs, 'ms');
  ratio('engine / by hand', ms, directMs);
  figure('engine process peak RSS', Math.max(rssBefore, rssAfter) / 1024, 'MiB');
  figure('by-hand Python peak RSS (includes pandas import)', Number(py.stdout.trim()) / 1024, 'MiB');
}

export async function benchRunner(): Promise<void> {
  const python = process.env.AQUEDUCT_PYTHON ?? path.resolve('.venv/bin/python');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-home-'));
  const engine = await Engine.open({ home, python, pythonWorkers: 1 });
  try {
    await chain(engine, 200);
    await warmPython(engine, python);
    await millionRows(engine, python);
  } finally {
    await engine.close();
  }
}
