// Python environments the engine tests need, installed once per machine into a cache
// (~/.cache/aqueduct/engines, or AQUEDUCT_ENGINES_CACHE) and reused while their pins stay
// the same: the portable runtime's packages, Ray, and Airflow. The repository gets
// .venv-runtime, .venv-ray and .venv-airflow links to them. A failed install stops
// `npm test` with the reason: the engine tests are never skipped silently.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

// The runtime's own pins (resources/runtime/requirements.txt, what every exported bundle
// installs; duckdb matches the desktop app's @duckdb/node-api 1.5.6), plus scikit-learn for
// the churn example, so conformance compares semantics, not library versions.
const runtimePins = fs.readFileSync(path.join(root, 'resources', 'runtime', 'requirements.txt'), 'utf8')
  .split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
// (scikit-learn before psycopg: the order the cache keys of machines already set up were made with)
const isPsycopg = (p) => p.startsWith('psycopg');
export const RUNTIME_PINS = [...runtimePins.filter((p) => !isPsycopg(p)), 'scikit-learn==1.9.1', ...runtimePins.filter(isPsycopg)];
export const ENGINE_VENVS = {
  runtime: { pins: RUNTIME_PINS, check: 'import duckdb, pandas, pyarrow, sklearn, psycopg' },
  ray: { pins: [...RUNTIME_PINS, 'ray[default]==2.60.0'], check: 'import ray, ray.dashboard, duckdb, pandas, sklearn' },
  // Airflow 3.3.2 resolves cleanly on Python 3.11 from PyPI alone (no constraints file needed)
  airflow: { pins: [...RUNTIME_PINS, 'apache-airflow==3.3.2'], check: 'import airflow, airflow.sdk, duckdb, pandas, sklearn' },
};

function cacheRoot() {
  return process.env.AQUEDUCT_ENGINES_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'aqueduct', 'engines');
}

function pythonVersion(python) {
  const r = spawnSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${python} does not run: install Python 3.9+ (or set PYTHON)`);
  return r.stdout.trim();
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')}: exit ${r.status ?? r.signal}); see pip's output above`);
}

/** Creates (or reuses) one venv; returns its python. */
export function ensureVenv(name, basePython = process.env.PYTHON ?? 'python3') {
  const spec = ENGINE_VENVS[name];
  const version = pythonVersion(basePython);
  const key = createHash('sha256').update(JSON.stringify({ pins: spec.pins, version })).digest('hex').slice(0, 12);
  const dir = path.join(cacheRoot(), `${name}-py${version}-${key}`);
  const python = path.join(dir, 'bin', 'python');
  const ready = path.join(dir, '.aqueduct-ready');
  const works = () => spawnSync(python, ['-c', spec.check], { stdio: 'ignore' }).status === 0;
  if (!fs.existsSync(ready) || !works()) {
    console.log(`  installing ${name} (${spec.pins.at(-1)}) into ${dir}: once per machine, a few minutes`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    run(basePython, ['-m', 'venv', dir], `creating the ${name} venv`);
    run(python, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...spec.pins], `installing ${name} from PyPI`);
    if (!works()) throw new Error(`the ${name} venv installed but \`${spec.check}\` fails in ${dir}`);
    fs.writeFileSync(ready, JSON.stringify({ pins: spec.pins, version, at: new Date().toISOString() }) + '\n');
  } else {
    console.log(`  ${name}: ${dir} (cached)`);
  }
  const link = path.join(root, `.venv-${name}`);
  try {
    if (fs.lstatSync(link).isSymbolicLink()) fs.unlinkSync(link);
  } catch {
    /* no link yet */
  }
  if (!fs.existsSync(link)) fs.symlinkSync(dir, link);
  return python;
}

/** `npm test`'s step: every engine venv, exported to the tests through the environment. */
export function ensureEngines() {
  console.log('\n▶ Engine environments (portable runtime, Ray, Airflow)');
  process.env.AQUEDUCT_RUNTIME_PYTHON = ensureVenv('runtime');
  process.env.AQUEDUCT_RAY_PYTHON = ensureVenv('ray');
  process.env.AQUEDUCT_AIRFLOW_PYTHON = ensureVenv('airflow');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  ensureEngines();
}
