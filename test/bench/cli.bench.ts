// The `aqueduct` command's start-up: CPU and wall time of `aqueduct runs`, `aqueduct
// validate <example>` and `aqueduct --help` (the compiled bundle, as users run it) next to
// `node -e 0`. Every call is a process of its own; the baseline alternates with the
// commands, so a noisy machine weighs on both alike. CPU time is the process's own
// (user + system, reported at exit by cpu-report.mjs, loaded into the baseline too).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCli } from '../../main/build.mjs';
import { figure, heading, median, ratio } from './report.ts';

const REPS = Math.max(5, Number(process.env.BENCH_CLI_REPS ?? 9));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const ROOT = path.resolve(import.meta.dirname, '../..');
const HOOK = pathToFileURL(path.join(import.meta.dirname, 'cpu-report.mjs')).href;
const EXAMPLE = path.join(ROOT, 'resources/examples/customer-churn');

function measure(args: string[], env: NodeJS.ProcessEnv, out: string): { cpu: number; wall: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', HOOK, ...args], { cwd: ROOT, env: { ...env, BENCH_CPU_OUT: out }, encoding: 'utf8' });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.trim().split('\n').slice(-3).join('\n')}`);
  return { cpu: Number(fs.readFileSync(out, 'utf8')), wall };
}

export async function benchCli(): Promise<void> {
  await ensureCli();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-cli-'));
  const env = { ...process.env, AQUEDUCT_HOME: path.join(scratch, 'home'), NO_COLOR: '1' };
  const out = path.join(scratch, 'cpu');
  const cases: [string, string[]][] = [
    ['node -e 0 (baseline)', ['-e', '0']],
    ['aqueduct runs', ['bin/aqueduct.mjs', 'runs']],
    ['aqueduct validate <customer-churn>', ['bin/aqueduct.mjs', 'validate', EXAMPLE]],
    ['aqueduct --help', ['bin/aqueduct.mjs', '--help']],
  ];
  try {
    measure(['bin/aqueduct.mjs', 'runs'], env, out); // creates the store: later calls open an existing one
    const loadBefore = load();
    const cpu = cases.map(() => [] as number[]);
    const wall = cases.map(() => [] as number[]);
    for (let i = 0; i < REPS; i++) {
      for (const [k, [, args]] of cases.entries()) {
        const m = measure(args, env, out);
        cpu[k]!.push(m.cpu);
        wall[k]!.push(m.wall);
      }
    }
    heading(`CLI start-up: each call a process of its own, alternating with node -e 0 (median of ${REPS})`);
    console.log(`  load average before: ${loadBefore}`);
    const [baseCpu, baseWall] = [median(cpu[0]!), median(wall[0]!)];
    for (const [k, [name]] of cases.entries()) {
      figure(`${name}: CPU`, median(cpu[k]!), 'ms');
      figure(`${name}: wall`, median(wall[k]!), 'ms');
      if (k === 0) continue;
      ratio(`${name}: CPU / node -e 0`, median(cpu[k]!), baseCpu, k < 3 ? '<= 3' : undefined);
      ratio(`${name}: wall / node -e 0`, median(wall[k]!), baseWall);
    }
    console.log(`  load average after: ${load()}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
