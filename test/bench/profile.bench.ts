// Profiling's cost: the 1M-row run of the runner benchmark (CSV source → SQL → Python →
// Parquet publish, three 1M-row table outputs) with column profiles on and off, each run
// in a process of its own, alternating on/off so a noisy neighbour hits both alike; the
// medians and their ratio are printed with the machine's load average. Budget: ≤ 1.10.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { DuckDBInstance } from '@duckdb/node-api';
import { figure, heading, median, ratio } from './report.ts';

const ROUNDS = Number(process.env.AQUEDUCT_BENCH_ROUNDS ?? 5);

export async function millionRowWorkflow(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-million-'));
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), YAML.stringify({
    name: 'million',
    nodes: [
      { id: 'events', kind: 'source', file: 'data/events.csv' },
      { id: 'features', kind: 'sql', inputs: ['events'] },
      { id: 'scored', kind: 'python', inputs: ['features'] },
      { id: 'out', kind: 'publish', inputs: ['scored'], destination: { type: 'parquet', path: 'out/scored.parquet' } },
    ],
  }));
  fs.mkdirSync(path.join(dir, 'nodes'));
  fs.writeFileSync(path.join(dir, 'nodes/features.sql'), 'SELECT id, grp, amount, amount * 2 AS doubled, length(grp) AS grp_len FROM events');
  fs.writeFileSync(path.join(dir, 'nodes/scored.py'), 'def run(features):\n    features["score"] = features["doubled"] / (1 + features["grp_len"])\n    return features\n');
  fs.mkdirSync(path.join(dir, 'data'));
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT range AS id, 'g' || (range % 17) AS grp, (range % 1000) / 10.0 AS amount FROM range(1000000)) TO '${dir}/data/events.csv' (HEADER)`);
  c.closeSync();
  db.closeSync();
  return dir;
}

function child(folder: string, mode: 'on' | 'off', python: string): { ms: number; cpuMs: number; profiled: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'profile-child.ts'), folder, mode, python], { encoding: 'utf8' });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`profile benchmark child (${mode}) failed: ${r.stderr || r.stdout}`);
  return JSON.parse(last) as { ms: number; cpuMs: number; profiled: number };
}

export async function benchProfile(): Promise<void> {
  const python = process.env.AQUEDUCT_PYTHON ?? path.resolve('.venv/bin/python');
  heading(`Column profiles on a 1M-row run (3 table outputs), ${ROUNDS} runs each, alternating, one process per run`);
  const folder = await millionRowWorkflow();
  const on: number[] = [];
  const off: number[] = [];
  const cpuOn: number[] = [];
  const cpuOff: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const mode of i % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const r = child(folder, mode, python);
      if (mode === 'on' && r.profiled !== 3) throw new Error(`expected 3 profiled outputs, got ${r.profiled}`);
      (mode === 'on' ? on : off).push(r.ms);
      (mode === 'on' ? cpuOn : cpuOff).push(r.cpuMs);
    }
  }
  console.log(`  load average (1, 5, 15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} cores`);
  figure('run without profiles (median)', median(off), 'ms', `runs: ${off.map((x) => x.toFixed(0)).join(', ')}`);
  figure('run with profiles (median)', median(on), 'ms', `runs: ${on.map((x) => x.toFixed(0)).join(', ')}`);
  ratio('with / without (wall)', median(on), median(off), '≤ 1.10');
  figure('engine process CPU without profiles (median)', median(cpuOff), 'ms');
  figure('engine process CPU with profiles (median)', median(cpuOn), 'ms');
  ratio('with / without (engine CPU)', median(cpuOn), median(cpuOff));
  fs.rmSync(folder, { recursive: true, force: true });
}
