// Checks, before any worker starts, that the user's Python can run Python nodes, so a
// missing interpreter or package becomes one sentence saying what to do, not a crash
// deep inside a worker.
import { execFile } from 'node:child_process';
import { childEnv } from '../../secrets/process-secrets.ts';

export type PythonEnvironment =
  | { ok: true; version: string; pandas: string; pyarrow: string }
  /** lacksPackages: the interpreter runs, but pandas or pyarrow is missing or broken (an app-owned environment fixes that) */
  | { ok: false; message: string; lacksPackages?: boolean };

const MIN_VERSION: [number, number] = [3, 9];
const CHECK_TIMEOUT_MS = 60_000;

// Python 2 must be able to parse this too, so it can report its own version. IMPORT is
// True for a full check (Settings, environment builds): pandas and pyarrow are imported,
// so a broken install shows here. The worker pool asks without importing them (False):
// finding them and their versions is enough, the worker imports them once and reports a
// broken one itself (aqueduct_worker.py), so a first Python node pays pandas' import once.
const PROBE = [
  'import sys, json',
  'info = {"version": "%d.%d.%d" % tuple(sys.version_info[:3]), "executable": sys.executable, "missing": [], "broken": {}}',
  'for name in ("pandas", "pyarrow"):',
  '    try:',
  '        if IMPORT:',
  '            info[name] = __import__(name).__version__',
  '            continue',
  '        import importlib.util',
  '        if importlib.util.find_spec(name) is None:',
  '            info["missing"].append(name)',
  '            continue',
  '        try:',
  '            import importlib.metadata',
  '            info[name] = importlib.metadata.version(name)',
  '        except Exception:',
  '            info[name] = "?"',
  '    except ImportError as e:',
  '        if getattr(e, "name", name) == name: info["missing"].append(name)',
  '        else: info["broken"][name] = str(e)',
  '    except Exception as e:',
  '        info["broken"][name] = "%s: %s" % (type(e).__name__, e)',
  'sys.stdout.write(json.dumps(info))',
].join('\n');

export interface Probe {
  version: string;
  executable: string;
  pandas?: string;
  pyarrow?: string;
  missing: string[];
  broken: Record<string, string>;
}

const FIX_INTERPRETER = 'Install Python 3.9+ or set the interpreter in Settings (or AQUEDUCT_PYTHON).';

export interface CheckOptions {
  /** extra environment variables, as the workers will get them */
  env?: Record<string, string>;
  cwd?: string;
  /** import pandas and pyarrow (default), or only find them (the worker pool, whose workers import them) */
  importPackages?: boolean;
}

export type PythonInspection = { ok: true; probe: Probe } | { ok: false; message: string };

/** Runs the interpreter once: its version and where it lives, and whether pandas and pyarrow import. */
export async function inspectPython(python: string, opts: CheckOptions = {}): Promise<PythonInspection> {
  const fail = (message: string): PythonInspection => ({ ok: false, message });
  const isPath = /[\\/]/.test(python);
  let out: string;
  try {
    out = await run(python, opts);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { killed?: boolean; stderr?: string };
    if (e.code === 'ENOENT') {
      return fail(isPath
        ? `Python interpreter ${python} does not exist. ${FIX_INTERPRETER}`
        : `Python interpreter "${python}" was not found on PATH. ${FIX_INTERPRETER}`);
    }
    if (e.code === 'EACCES') return fail(`Python interpreter ${python} is not executable. ${FIX_INTERPRETER}`);
    if (e.killed) return fail(`Python at ${python} did not answer within ${CHECK_TIMEOUT_MS / 1000} seconds; check that it starts from a terminal, or choose another interpreter in Settings.`);
    const detail = clip(lastLine(e.stderr ?? '') || e.message);
    return fail(`Python at ${python} failed to run a version check (${detail}); check that it runs from a terminal, or choose another interpreter in Settings.`);
  }
  let probe: Probe;
  try {
    probe = JSON.parse(out) as Probe;
  } catch {
    return fail(`The program at ${python} does not behave like a Python interpreter. ${FIX_INTERPRETER}`);
  }
  const where = probe.executable || python;
  const [major = 0, minor = 0] = probe.version.split('.').map(Number);
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
    return fail(`Python at ${where} is version ${probe.version}, but Aqueduct needs Python 3.9 or newer; install a newer Python or set the interpreter in Settings (or AQUEDUCT_PYTHON).`);
  }
  return { ok: true, probe };
}

export async function checkPythonEnvironment(python: string, opts: CheckOptions = {}): Promise<PythonEnvironment> {
  const inspected = await inspectPython(python, opts);
  if (!inspected.ok) return inspected;
  const { probe } = inspected;
  const problem = packageProblem(probe, python);
  if (problem) return { ok: false, message: problem, lacksPackages: true };
  return { ok: true, version: probe.version, pandas: probe.pandas!, pyarrow: probe.pyarrow! };
}

/** What is wrong with pandas and pyarrow in a probe (this check's or a worker's own), in one sentence; undefined if nothing. */
export function packageProblem(probe: Pick<Probe, 'executable' | 'missing' | 'broken' | 'pandas' | 'pyarrow'>, python: string): string | undefined {
  const where = probe.executable || python;
  const pip = (names: string[]) => `${quoteArg(where)} -m pip install ${names.join(' ')}`;
  const brokenName = Object.keys(probe.broken)[0];
  if (brokenName) {
    return `Python at ${where} cannot import ${brokenName} (${firstLine(probe.broken[brokenName] ?? '')}); reinstall it with: ${pip([brokenName])} --force-reinstall`;
  }
  if (probe.missing.length > 0 || !probe.pandas || !probe.pyarrow) {
    const missing = probe.missing.length > 0 ? probe.missing : ['pandas', 'pyarrow'];
    const them = missing.length > 1 ? 'them' : 'it';
    return `Python at ${where} lacks ${missing.join(' and ')}. Install ${them} with: ${pip(missing)}`;
  }
  return undefined;
}

function run(python: string, opts: CheckOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const probe = `IMPORT = ${opts.importPackages === false ? 'False' : 'True'}\n${PROBE}`;
    execFile(python, ['-c', probe], { timeout: CHECK_TIMEOUT_MS, windowsHide: true, env: childEnv({ ...opts.env, PYTHONIOENCODING: 'utf-8' }), cwd: opts.cwd },
      (err, stdout, stderr) => (err ? reject(Object.assign(err, { stderr })) : resolve(stdout)));
  });
}

function lastLine(text: string): string {
  return text.trim().split(/\r?\n/).pop()?.trim() ?? '';
}

function firstLine(text: string): string {
  return clip(text.trim().split(/\r?\n/)[0] ?? '');
}

function clip(line: string): string {
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

function quoteArg(s: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(s) ? s : `"${s}"`;
}
