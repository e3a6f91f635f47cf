// The Pythons the engine tests run against: the portable runtime's venv, Ray's and
// Airflow's, which `npm test` installs once per machine (scripts/engines-env.mjs) and
// passes in AQUEDUCT_{RUNTIME,RAY,AIRFLOW}_PYTHON. Missing ones fail the test with the
// command that installs them: never a silent skip.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { LogLine, RunDetail } from '../../runner/api/types.ts';
import { MANIFEST_FILE, type BundleManifest } from '../../runner/engines/bundle-format.ts';
import { appOnlyNodes } from '../../runner/engines/portability.ts';
import { loadWorkflow } from '../../runner/spec/load.ts';

export type EngineVenv = 'runtime' | 'ray' | 'airflow';

export function enginePython(name: EngineVenv): string {
  const fromEnv = process.env[`AQUEDUCT_${name.toUpperCase()}_PYTHON`];
  const python = fromEnv ?? path.resolve(`.venv-${name}/bin/python`);
  if (!fs.existsSync(python)) {
    throw new Error(`The ${name} Python for the engine tests is missing (${python}). Run \`npm test\`, or \`node scripts/engines-env.mjs\`, which installs it once per machine.`);
  }
  return python;
}

export interface RuntimeRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `python -m aqueduct_runtime run <bundle>` and returns what it printed. */
export function runBundle(python: string, bundle: string, results: string, params: Record<string, string | number> = {}, extra: string[] = []): RuntimeRun {
  const args = ['-m', 'aqueduct_runtime', 'run', bundle, '--results', results, ...extra];
  for (const [k, v] of Object.entries(params)) args.push('--param', `${k}=${v}`);
  const r = spawnSync(python, args, { cwd: bundle, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Column types as the conformance tests compare them. The local runner takes a SQL node's
 * types from the prepared query, the runtime from DuckDB's Python relation: both print
 * DuckDB's type names, so the mapping is the identity; it is the one place to widen if a
 * DuckDB version ever prints a type differently (documented in the README).
 */
export function comparableType(t: string): string {
  return t.trim().toUpperCase();
}

/**
 * A run's log lines as engines must agree on them: per node, in order, folders left out.
 * Lines of no node from the system are the local runner's preparing of the workflow's
 * Python environment (an engine installs the bundle's requirements before it runs): left out.
 */
export function logEssence(lines: LogLine[], folder: string): string[] {
  const appOnly = appOnlyIds(folder);
  return lines.filter((l) => (l.nodeId || l.stream !== 'system') && !appOnly.has(l.nodeId ?? '')).map((l) => `${l.nodeId ?? '-'} ${l.stream}: ${l.line.split(folder).join('<folder>')}`).sort();
}

/**
 * Nodes that run in the app only (reports and their deliveries): a bundle leaves them out
 * (its manifest lists them), so the engines are compared on everything else.
 */
export function appOnlyIds(folder: string): Set<string> {
  const manifest = path.join(folder, MANIFEST_FILE);
  if (fs.existsSync(manifest)) return new Set(((JSON.parse(fs.readFileSync(manifest, 'utf8')) as BundleManifest).leftOut ?? []).map((r) => r.nodeId));
  const loaded = loadWorkflow(folder);
  return new Set(loaded.ok ? appOnlyNodes(loaded.workflow.nodes).map((r) => r.nodeId) : []);
}

/** A run in the form two engines must agree on (ids, times and folders left out). */
export function runEssence(run: RunDetail, folder: string) {
  const rel = (s: string) => s.split(folder).join('<folder>');
  const appOnly = appOnlyIds(folder);
  run = { ...run, nodes: run.nodes.filter((n) => !appOnly.has(n.nodeId)), publications: run.publications.filter((p) => !appOnly.has(p.nodeId)) };
  return {
    status: run.status,
    error: run.error,
    params: run.params,
    versionHash: run.versionHash,
    nodes: Object.fromEntries(
      [...run.nodes].sort((a, b) => a.nodeId.localeCompare(b.nodeId)).map((n) => [n.nodeId, {
        kind: n.kind, status: n.status, rows: n.rows, value: n.value,
        columns: n.columns?.map((c) => `${c.name}:${comparableType(c.type)}`),
        error: n.error && { message: rel(n.error.message), fix: n.error.fix },
      }]),
    ),
    metrics: [...run.metrics].sort((a, b) => a.nodeId.localeCompare(b.nodeId)).map(({ nodeId, value, lower, upper, warnLower, warnUpper, passed }) => ({ nodeId, value, lower, upper, warnLower, warnUpper, passed })),
    checks: [...run.checks].sort((a, b) => a.nodeId.localeCompare(b.nodeId)).map(({ nodeId, passed, severity, message }) => ({ nodeId, passed, severity, message })),
    publications: [...run.publications].sort((a, b) => a.nodeId.localeCompare(b.nodeId)).map((p) => ({ ...p, runId: undefined, ts: undefined, target: rel(p.target) })),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface RayHead {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * A real single-node Ray cluster on 127.0.0.1 (dashboard and Jobs API included), started
 * with `ray start --head --block` in a process group of its own, so stop() ends exactly
 * it: SIGTERM to that process (Ray shuts its children down), then SIGKILL to the group.
 */
export async function startRayHead(python: string): Promise<RayHead> {
  const bin = path.dirname(python);
  const [gcs, dashboard, client, agent] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const temp = fs.mkdtempSync('/tmp/aqray-'); // short: Ray's socket paths must stay under 108 bytes
  const log = fs.openSync(path.join(temp, 'head.log'), 'a');
  const child = spawn(path.join(bin, 'ray'), [
    'start', '--head', '--block', '--dashboard-host', '127.0.0.1', '--port', String(gcs), '--dashboard-port', String(dashboard),
    '--ray-client-server-port', String(client), '--dashboard-agent-listen-port', String(agent), '--min-worker-port', '0', '--max-worker-port', '0',
    '--num-cpus', '2', '--object-store-memory', '200000000', '--temp-dir', temp, '--include-dashboard', 'true', '--disable-usage-stats',
  ], {
    detached: true,
    stdio: ['ignore', log, log],
    // the venv first on PATH, so a job's `python` is the venv's; loopback only (no node IP lookup)
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER: '0', VIRTUAL_ENV: path.dirname(bin) },
  });
  const pid = child.pid!;
  const killGroup = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', killGroup);
  const address = `http://127.0.0.1:${dashboard}`;
  const stop = async () => {
    process.removeListener('exit', killGroup);
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      for (let i = 0; i < 60 && child.exitCode === null && child.signalCode === null; i++) await sleep(500);
    }
    killGroup();
    fs.closeSync(log);
    fs.rmSync(temp, { recursive: true, force: true });
  };
  for (let i = 0; i < 180; i++) {
    if (child.exitCode !== null) break;
    const up = await fetch(`${address}/api/version`).then((r) => r.ok, () => false);
    if (up) return { address, pid, stop };
    await sleep(500);
  }
  const text = fs.readFileSync(path.join(temp, 'head.log'), 'utf8').split('\n').slice(-30).join('\n');
  await stop();
  throw new Error(`the Ray head did not come up on 127.0.0.1:${dashboard}:\n${text}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True while any process of the group `pid` leads is alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
