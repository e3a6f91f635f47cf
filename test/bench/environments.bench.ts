// Building a workflow's Python environment (pandas + pyarrow + scikit-learn, the churn
// example's lock) with uv against plain venv + pip, from a warm package cache and from an
// empty one (cold: everything is downloaded from PyPI, so the network is part of it).
// Every build runs in a process of its own; uv and pip alternate, so a noisy machine
// weighs on both alike. Medians of BENCH_ENV_REPS (default 5) builds each from a warm
// cache; from an empty cache BENCH_ENV_COLD_REPS (default 3): a cold pip build takes over a
// minute on a 2-core machine, so five of each would make this one benchmark half an hour.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspectPython } from '../../runner/exec/python/environment.ts';
import { ensureTool } from '../../runner/envs/tools.ts';
import { appHome } from '../../runner/store/paths.ts';
import { figure, heading, median, ratio } from './report.ts';

const REPS = Number(process.env.BENCH_ENV_REPS ?? 5);
const COLD_REPS = Number(process.env.BENCH_ENV_COLD_REPS ?? 3);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const LOCK = path.resolve(import.meta.dirname, '../../resources/examples/customer-churn/requirements.lock');
const CHILD = path.join(import.meta.dirname, 'env-build-child.ts');

function build(kind: 'uv' | 'pip', uv: string, root: string, caches: { uv: string; pip: string }): number {
  const env = { ...process.env, UV_CACHE_DIR: caches.uv, PIP_CACHE_DIR: caches.pip };
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, kind, uv, root, LOCK], { env, encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) throw new Error(`${kind} build failed: ${r.stderr.split('\n').slice(-5).join('\n')}`);
  return (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ms: number }).ms;
}

export async function benchEnvironments(): Promise<void> {
  const python = process.env.AQUEDUCT_PYTHON ?? 'python3';
  const probe = await inspectPython(python);
  if (!probe.ok) throw new Error(probe.message);
  const [major, minor] = probe.probe.version.split('.');
  const base = { python, executable: probe.probe.executable, version: probe.probe.version, minor: `${major}.${minor}` };
  const tool = await ensureTool({ root: process.env.AQUEDUCT_ENVS ?? path.join(appHome(), 'envs'), base, log: () => {} });
  if (tool.kind !== 'uv') throw new Error('uv could not be installed: the comparison needs it');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bench-envs-'));
  const loadBefore = load();
  try {
    const warm = { uv: path.join(scratch, 'uv-cache'), pip: path.join(scratch, 'pip-cache') };
    // fill the warm caches once (not measured)
    build('uv', tool.uv, scratch, warm);
    build('pip', tool.uv, scratch, warm);
    const times = { uvWarm: [] as number[], pipWarm: [] as number[], uvCold: [] as number[], pipCold: [] as number[] };
    for (let i = 0; i < REPS; i++) {
      times.uvWarm.push(build('uv', tool.uv, scratch, warm));
      times.pipWarm.push(build('pip', tool.uv, scratch, warm));
      if (i >= COLD_REPS) continue;
      const cold = (k: string) => ({ uv: path.join(scratch, `cold-${k}-${i}-uv`), pip: path.join(scratch, `cold-${k}-${i}-pip`) });
      times.uvCold.push(build('uv', tool.uv, scratch, cold('uv')));
      times.pipCold.push(build('pip', tool.uv, scratch, cold('pip')));
      for (const k of ['uv', 'pip']) for (const d of Object.values(cold(k))) fs.rmSync(d, { recursive: true, force: true });
    }
    const s = (ms: number[]) => median(ms) / 1000;
    heading(`Environment build: pandas + pyarrow + scikit-learn (median of ${REPS} warm and ${COLD_REPS} cold builds each; Python ${base.version})`);
    console.log(`  load average before: ${loadBefore}`);
    figure('uv, warm package cache', s(times.uvWarm), 's');
    figure('venv + pip, warm package cache (baseline)', s(times.pipWarm), 's');
    ratio('pip / uv, warm', s(times.pipWarm), s(times.uvWarm));
    figure('uv, empty cache (downloads from PyPI)', s(times.uvCold), 's');
    figure('venv + pip, empty cache (baseline)', s(times.pipCold), 's');
    ratio('pip / uv, cold', s(times.pipCold), s(times.uvCold));
    ratio('uv cold / uv warm', s(times.uvCold), s(times.uvWarm));
    console.log(`  load average after: ${load()}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
