// Per-workflow Python environments: which interpreter a workflow's Python nodes run on,
// and, for the app-owned environment, keeping its lock current and its venv built. One
// venv per (lock hash, Python minor) under the environments folder, shared by every
// workflow whose lock is the same; a build is shared by everyone waiting for it and is
// cancelled only when nobody waits any more. Progress goes to listeners (the UI, the
// CLI), to the run that asked, and to a build log per workflow.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspectPython } from '../exec/python/environment.ts';
import type { EnvironmentRecords, PythonChoice } from '../store/environment-records.ts';
import { buildEnvironment, envDir, readyPython, MANIFEST } from './build.ts';
import { EnvironmentError } from './env-errors.ts';
import { collectGarbage, type GcResult } from './gc.ts';
import { lockIsCurrent, lockWorkflow } from './lock.ts';
import { LOCK_FILE, REQUIREMENTS_FILE, lockInfo, readDeclared, type LockInfo } from './requirements-file.ts';
import { ensurePrivateDir, makePrivate, PRIVATE_FILE } from '../store/private-files.ts';
import { ToolCancelledError } from './tool-process.ts';
import { ensureTool, type BaseInterpreter, type ToolContext } from './tools.ts';
import type { EnvPhase, EnvProgress } from '../api/types.ts';

export interface EnvironmentServiceOptions {
  records: EnvironmentRecords;
  /** where environments and tools live (AQUEDUCT_ENVS, or <home>/envs) */
  root: string;
  /** where build logs go */
  logDir: string;
  /** the interpreter from Settings → Python (or AQUEDUCT_PYTHON, or python3) */
  basePython: () => string;
}

export interface PreparedPython {
  python: string;
  mode: PythonChoice['mode'];
  lockHash?: string;
  pythonVersion?: string;
}

export interface PrepareOptions {
  signal?: AbortSignal;
  /** progress lines for the run that asked */
  log?: (line: string) => void;
}

interface Waiting {
  promise: Promise<PreparedPython>;
  controller: AbortController;
  waiters: number;
}

/** The workflow's choice when the user made none: the app-owned environment once the folder declares packages. */
export function defaultMode(folder: string): PythonChoice['mode'] {
  return fs.existsSync(path.join(folder, REQUIREMENTS_FILE)) || fs.existsSync(path.join(folder, LOCK_FILE)) ? 'app' : 'interpreter';
}

export class EnvironmentService {
  private readonly inflight = new Map<string, Waiting>(); // by folder
  private readonly builds = new Map<string, Promise<string>>(); // by env dir
  private readonly listeners = new Set<(p: EnvProgress) => void>();
  private readonly failures = new Map<string, string>(); // by folder: the last build's error
  private readonly progress = new Map<string, EnvProgress>(); // by folder: the latest step while one is under way
  private bases = new Map<string, Promise<BaseInterpreter>>();

  constructor(readonly o: EnvironmentServiceOptions) {}

  onProgress(listener: (p: EnvProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forget what was learned about interpreters (Settings → Python changed). */
  forgetInterpreters(): void {
    this.bases = new Map();
  }

  choiceOf(workflowId: string, folder: string): PythonChoice {
    return this.o.records.choice(workflowId) ?? { mode: defaultMode(folder) };
  }

  setChoice(workflowId: string, c: PythonChoice): void {
    this.o.records.setChoice(workflowId, c);
  }

  isBuilding(folder: string): boolean {
    return this.inflight.has(folder);
  }

  currentProgress(folder: string): EnvProgress | undefined {
    return this.progress.get(folder);
  }

  lastFailure(folder: string): string | undefined {
    return this.failures.get(folder);
  }

  logFile(folder: string): string {
    return path.join(this.o.logDir, `${createHash('sha256').update(folder).digest('hex').slice(0, 16)}.log`);
  }

  /** The base interpreter, probed once per process (and again after a failure). */
  base(): Promise<BaseInterpreter> {
    const python = this.o.basePython();
    let p = this.bases.get(python);
    if (!p) {
      p = (async () => {
        const r = await inspectPython(python);
        if (!r.ok) {
          // "X does not exist. Install Python 3.9+ or …" becomes one sentence: what is wrong; what to do
          const [what, ...fix] = r.message.replace(/\.$/, '').split(/\. (?=[A-Z])/);
          throw new EnvironmentError(what!, 'python', fix.length ? fix.join('. ').replace(/^./, (c) => c.toLowerCase()) : undefined);
        }
        const [major, minor] = r.probe.version.split('.');
        return { python, executable: r.probe.executable || python, version: r.probe.version, minor: `${major}.${minor}` };
      })();
      this.bases.set(python, p);
      p.catch(() => this.bases.delete(python));
    }
    return p;
  }

  /** Where the workflow's environment is (or would be) built, when its lock is current. */
  async envDirFor(folder: string): Promise<{ dir: string; lock: LockInfo; base: BaseInterpreter } | undefined> {
    const base = await this.base();
    const lock = lockIsCurrent(folder, base);
    return lock && { dir: envDir(this.o.root, lock.hash, base.minor), lock, base };
  }

  /** The interpreter a run of this workflow uses, building the app-owned environment first if need be. */
  async prepare(workflowId: string, folder: string, o: PrepareOptions = {}): Promise<PreparedPython> {
    const choice = this.choiceOf(workflowId, folder);
    if (choice.mode === 'interpreter') return { python: choice.interpreter ?? this.o.basePython(), mode: 'interpreter' };
    let w = this.inflight.get(folder);
    if (!w) {
      const controller = new AbortController();
      const promise = this.prepareApp(folder, controller.signal).finally(() => {
        this.inflight.delete(folder);
        this.progress.delete(folder);
      });
      w = { promise, controller, waiters: 0 };
      this.inflight.set(folder, w);
    }
    const waiting = w;
    waiting.waiters++;
    const off = o.log ? this.onProgress((p) => p.folder === folder && o.log!(p.line ?? p.message)) : undefined;
    try {
      return await abortable(waiting.promise, o.signal);
    } finally {
      off?.();
      if (--waiting.waiters === 0 && o.signal?.aborted) waiting.controller.abort();
    }
  }

  /** Lock and build now (the Packages panel's Build, "Set up Python", `aqueduct env build`). */
  build(workflowId: string, folder: string, o: PrepareOptions = {}): Promise<PreparedPython> {
    return this.prepare(workflowId, folder, o);
  }

  /** Makes requirements.lock current (locking again when requirements.txt changed), without building anything. */
  async ensureLock(folder: string, signal?: AbortSignal): Promise<LockInfo> {
    const base = await this.base();
    const current = lockIsCurrent(folder, base);
    if (current) return current;
    const log = (line: string) => {
      const p: EnvProgress = { folder, phase: 'lock', message: `locking the packages of ${path.basename(folder)}`, line, ts: Date.now() };
      for (const l of [...this.listeners]) l(p);
    };
    const ctx: ToolContext = { root: this.o.root, base, signal, log };
    return lockWorkflow(folder, await ensureTool(ctx), ctx, `locking the packages of ${path.basename(folder)}`);
  }

  /** The python of an environment built from exactly this lock text (an exported bundle's requirements.txt, say). */
  async buildFromLock(text: string, o: PrepareOptions = {}): Promise<string> {
    const base = await this.base();
    const lock = lockInfo(text);
    const dir = envDir(this.o.root, lock.hash, base.minor);
    const ready = readyPython(dir);
    if (ready) return ready;
    let build = this.builds.get(dir);
    if (!build) {
      const ctx: ToolContext = { root: this.o.root, base, signal: o.signal, log: (line) => o.log?.(line) };
      build = (async () => {
        const tool = await ensureTool(ctx);
        removeBroken(dir);
        return buildEnvironment(dir, lock, tool, { ...ctx, phase: (_p, message) => o.log?.(message) });
      })().finally(() => this.builds.delete(dir));
      this.builds.set(dir, build);
    }
    return build;
  }

  /** Cancels every build under way (the app is closing: no packaging tool may outlive it). */
  cancelAll(): void {
    for (const w of this.inflight.values()) w.controller.abort();
  }

  cancel(folder: string): boolean {
    const w = this.inflight.get(folder);
    if (!w) return false;
    w.controller.abort();
    return true;
  }

  private async prepareApp(folder: string, signal: AbortSignal): Promise<PreparedPython> {
    const logFile = this.logFile(folder);
    let logOpen = false;
    const emit = (phase: EnvPhase, message: string, line?: string) => {
      try {
        if (!logOpen) {
          // the log sits in the app folder, which is the user's alone
          ensurePrivateDir(path.dirname(logFile));
          fs.writeFileSync(logFile, `# Python environment of ${folder}, ${new Date().toISOString()}\n`, { mode: PRIVATE_FILE });
          makePrivate(logFile);
          logOpen = true;
        }
        fs.appendFileSync(logFile, `${line ?? `== ${message}`}\n`);
      } catch {
        logOpen = false; // the log folder went away: start it again with the next line; the build goes on
      }
      const p: EnvProgress = { folder, phase, message, line, ts: Date.now() };
      if (!line || phase === 'failed') this.progress.set(folder, p);
      for (const l of [...this.listeners]) {
        try {
          l(p);
        } catch {
          /* a broken listener must not break a build */
        }
      }
    };
    let phase: EnvPhase = 'tool';
    try {
      const base = await this.base();
      const ctx: ToolContext = { root: this.o.root, base, signal, log: (line) => emit(phase, this.progress.get(folder)?.message ?? '', line) };
      let lock = lockIsCurrent(folder, base);
      if (!lock) {
        phase = 'tool';
        emit(phase, 'preparing the packaging tool');
        const tool = await ensureTool(ctx);
        phase = 'lock';
        emit(phase, `locking the packages of ${path.basename(folder)}`);
        lock = await lockWorkflow(folder, tool, ctx, `locking the packages of ${path.basename(folder)}`);
      }
      this.o.records.putLock(lock.hash, lock.packages);
      const dir = envDir(this.o.root, lock.hash, base.minor);
      let python = readyPython(dir);
      if (!python) {
        let build = this.builds.get(dir);
        if (!build) {
          build = (async () => {
            phase = 'tool';
            const tool = await ensureTool(ctx);
            removeBroken(dir);
            return buildEnvironment(dir, lock, tool, { ...ctx, phase: (p, message) => emit((phase = p), message) });
          })().finally(() => this.builds.delete(dir));
          this.builds.set(dir, build);
        } else {
          emit('install', 'waiting for the same environment, which is being built for another workflow');
        }
        python = await build;
      } else {
        touch(dir);
      }
      this.failures.delete(folder);
      emit('ready', `ready: Python ${base.version}, ${lock.packages.length} packages (lock ${lock.hash.slice(0, 12)})`);
      return { python, mode: 'app', lockHash: lock.hash, pythonVersion: base.version };
    } catch (e) {
      const err = e instanceof ToolCancelledError || signal.aborted
        ? new EnvironmentError(`Building the Python environment of ${path.basename(folder)} was cancelled`, 'cancelled')
        : e instanceof EnvironmentError
          ? e
          : new EnvironmentError(`Building the Python environment of ${path.basename(folder)} failed (${(e as Error).message})`, 'other', 'see the build log for the details');
      this.failures.set(folder, err.sentence);
      emit(err.kind === 'cancelled' ? 'cancelled' : 'failed', err.sentence);
      throw err;
    }
  }

  /** Removes environments no known workflow's current lock names, and leftovers of interrupted builds. */
  gc(folders: string[], o: { dryRun?: boolean } = {}): GcResult {
    return collectGarbage(this.o.root, folders, { dryRun: o.dryRun, busy: this.builds.size > 0 || this.inflight.size > 0, building: new Set(this.builds.keys()) });
  }

  declared(folder: string) {
    return readDeclared(folder);
  }
}

function removeBroken(dir: string): void {
  if (!fs.existsSync(dir)) return;
  // an environment whose base Python went away, or that predates its manifest: out of the way first
  const aside = path.join(path.dirname(dir), `.tmp-stale-${path.basename(dir)}-${process.pid}-${Date.now().toString(36)}`);
  fs.renameSync(dir, aside);
  fs.rmSync(aside, { recursive: true, force: true });
}

function touch(dir: string): void {
  const now = new Date();
  try {
    fs.utimesSync(path.join(dir, MANIFEST), now, now);
  } catch {
    /* read-only environments folder: nothing to record */
  }
}

function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new EnvironmentError('Waiting for the Python environment was cancelled', 'cancelled'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
