// One measurement of the runner benchmark, in a process of its own (a baseline timed in
// the busy process under test runs 3–5× slower than alone, so it is no baseline):
//   engine <folder> <python>      opens an engine on a fresh home, runs the workflow once to
//                                 warm up, times a second run
//   duck-chain <n>                the chain's statements straight into DuckDB, each result
//                                 written as Parquet, once to warm up, then timed
//   duck-million <csv> <python>   the 1M-row steps by hand: DuckDB, then one Python process
// and prints {"ms": …, "nodes": {id: ms}, "rssMiB": …} as its last line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../runner/engine.ts';

const [mode, a, b] = process.argv.slice(2);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-child-'));
try {
  if (mode === 'engine') console.log(JSON.stringify(await engineRun(a!, b!)));
  else if (mode === 'duck-chain') console.log(JSON.stringify(await duckChain(Number(a))));
  else if (mode === 'duck-million') console.log(JSON.stringify(await duckMillion(a!, b!)));
  else throw new Error(`unknown mode ${mode}`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

async function engineRun(folder: string, python: string) {
  const engine = await Engine.open({ home: path.join(scratch, 'home'), python, pythonWorkers: 1 });
  try {
    await engine.run(folder);
    const t = performance.now();
    const run = await engine.run(folder);
    const ms = performance.now() - t;
    if (run.status !== 'succeeded') throw new Error(`the benchmark run ${run.status}: ${run.error}`);
    const nodes = Object.fromEntries(run.nodes.map((n) => [n.nodeId, n.finishedAt! - n.startedAt!]));
    return { ms, nodes, rssMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await engine.close();
  }
}

async function duckChain(n: number) {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const direct = async () => {
    await c.run(`COPY (SELECT 1 AS x) TO '${scratch}/n0.parquet' (FORMAT parquet)`);
    for (let i = 1; i < n; i++) {
      await c.run(`COPY (SELECT x + 1 AS x FROM read_parquet('${scratch}/n${i - 1}.parquet')) TO '${scratch}/n${i}.parquet' (FORMAT parquet)`);
    }
  };
  await direct();
  const t = performance.now();
  await direct();
  const ms = performance.now() - t;
  c.closeSync();
  db.closeSync();
  return { ms };
}

async function duckMillion(csv: string, python: string) {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const features = path.join(scratch, 'features.parquet');
  const t = performance.now();
  await c.run(`COPY (SELECT id, grp, amount, amount * 2 AS doubled, length(grp) AS grp_len FROM read_csv('${csv}')) TO '${features}' (FORMAT parquet)`);
  const py = spawnSync(python, ['-c', `import pandas as pd, resource, sys\nf=pd.read_parquet(sys.argv[1])\nf['score']=f['doubled']/(1+f['grp_len'])\nf.to_parquet(sys.argv[2], index=False)\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)`, features, path.join(scratch, 'scored.parquet')], { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (py.status !== 0) throw new Error(`the by-hand Python step failed: ${py.stderr}`);
  c.closeSync();
  db.closeSync();
  return { ms, rssMiB: Number(py.stdout.trim()) / 1024 };
}
