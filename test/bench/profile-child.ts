// One measured run for the profiling benchmark, in a process of its own: opens an engine
// on a fresh home with profiles on or off, runs the workflow once to warm the Python
// worker, then times a second run and prints {"ms": …, "cpuMs": …} as its last line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../runner/engine.ts';

const [folder, mode, python] = process.argv.slice(2);
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-profile-home-'));
const engine = await Engine.open({ home, python, pythonWorkers: 1, profiles: mode === 'on' });
try {
  await engine.run(folder!);
  const cpu = process.cpuUsage();
  const t = performance.now();
  const run = await engine.run(folder!);
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  if (run.status !== 'succeeded') throw new Error(`the benchmark run ${run.status}: ${run.error}`);
  const profiled = engine.store.db.prepare('SELECT count(DISTINCT node_id) AS n FROM column_profiles WHERE run_id = ?').get(run.id) as { n: number };
  console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, profiled: profiled.n }));
} finally {
  await engine.close();
  fs.rmSync(home, { recursive: true, force: true });
}
