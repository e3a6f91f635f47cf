// A pool of warm Python workers for python nodes (and Python checks and metrics).
// Starting Python and importing pandas costs seconds, so workers live across calls; each
// call still runs the node's code in a fresh module. Requests and responses travel as JSON
// lines on a private pipe (fd 3), so whatever the user prints on stdout/stderr is only
// ever a log line. A worker that times out, is cancelled or crashes is killed and replaced.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { checkPythonEnvironment, type PythonEnvironment } from './environment.ts';

export interface PythonCall {
  nodeId: string;
  /** the node's module source; it defines `def run(...)` */
  code: string;
  /** file name shown in tracebacks, e.g. nodes/model.py */
  file: string;
  /** upstream tables: input name -> Parquet file path; passed to run() as pandas DataFrames, keyword args */
  inputs: Record<string, string>;
  /** workflow parameters; passed as keyword args — only those run() accepts by name, or all if it has **kwargs */
  params: Record<string, unknown>;
  /** where a DataFrame result is written (Parquet); an unnamed integer index is dropped, any other index becomes columns */
  outputPath: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** user output, line by line, as it happens */
  onLog?: (stream: 'stdout' | 'stderr', line: string) => void;
}

export type PythonResult =
  | { kind: 'table'; rows: number; columns: { name: string; type: string }[] }
  | { kind: 'scalar'; value: number | boolean | string | null };

/** An exception raised by (or about) the node's code; `traceback` names the node's file. */
export class PythonError extends Error {
  override name = 'PythonError';
  constructor(message: string, readonly pythonType: string, readonly traceback: string) {
    super(message);
  }
}
export class PythonTimeoutError extends Error { override name = 'PythonTimeoutError'; }
export class PythonCancelledError extends Error { override name = 'PythonCancelledError'; }
export class PythonEnvironmentError extends Error { override name = 'PythonEnvironmentError'; }

export interface PythonPoolOptions { python: string; size: number; env?: Record<string, string>; cwd?: string }

const WORKER_SCRIPT = fileURLToPath(new URL('../../../resources/python/aqueduct_worker.py', import.meta.url));
const STARTUP_TIMEOUT_MS = 120_000;
const MAX_LINE = 64 * 1024;
const STDERR_TAIL = 20;
// written by the worker on stdout and stderr after each request (see aqueduct_worker.py)
const END_MARKER = /\x1eaqueduct-end (\d+)$/;

type Stream = 'stdout' | 'stderr';
type WireResponse =
  | { type: 'ready' }
  | { id: number; ok: true; result: PythonResult; streams: boolean }
  | { id: number; ok: false; error: { type: string; message: string; traceback: string }; streams: boolean };

interface InFlight {
  id: number;
  call: PythonCall;
  response?: WireResponse;
  synced: Record<Stream, boolean>;
  resolve: (r: PythonResult) => void;
  reject: (e: Error) => void;
}

/** One Python process: starts, runs one call at a time, dies. */
class Worker {
  state: 'starting' | 'idle' | 'busy' | 'dead' = 'starting';
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  private readonly proc: ChildProcess;
  private readonly channel: Socket;
  private current?: InFlight;
  private nextId = 1;
  private readonly partial: Record<Stream | 'channel', string> = { stdout: '', stderr: '', channel: '' };
  private readonly stderrTail: string[] = [];
  private markReady!: () => void;
  private failStart!: (e: Error) => void;
  private isReady = false;
  private stopReason?: 'killed' | 'startup-timeout';
  private readonly startTimer: NodeJS.Timeout;

  /** `onGone` runs once the process has exited, with the reason if it never became ready */
  constructor(opts: PythonPoolOptions, private readonly onGone: (w: Worker, startError?: Error) => void) {
    this.ready = new Promise((resolve, reject) => { this.markReady = resolve; this.failStart = reject; });
    this.ready.catch(() => {}); // observed by the pool; avoid an unhandled rejection here
    this.proc = spawn(opts.python, ['-u', WORKER_SCRIPT], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32', // own process group, so a kill also ends its children
      windowsHide: true,
    });
    this.channel = this.proc.stdio[3] as Socket;
    for (const s of ['stdout', 'stderr'] as const) {
      this.proc[s]!.setEncoding('utf8').on('data', (chunk: string) => this.onOutput(s, chunk));
    }
    this.channel.setEncoding('utf8').on('data', (chunk: string) => this.onChannel(chunk));
    this.channel.on('error', () => {}); // a dying worker closes the pipe; 'exit' reports it
    this.startTimer = setTimeout(() => { this.kill(); this.stopReason = 'startup-timeout'; }, STARTUP_TIMEOUT_MS);
    this.exited = new Promise((resolve) => {
      let done = false;
      const finish = (detail: string) => {
        if (done) return;
        done = true;
        clearTimeout(this.startTimer);
        this.onExit(detail);
        resolve();
      };
      this.proc.on('error', (e) => finish(e.message));
      this.proc.on('exit', (code, signal) => {
        const detail = signal ? `was killed by signal ${signal}` : `exited with code ${code}`;
        // let the last output arrive (a crash often prints why), but do not wait for it forever
        const late = setTimeout(() => finish(detail), 1000);
        this.proc.once('close', () => { clearTimeout(late); finish(detail); });
      });
    });
    this.setRef(true);
  }

  run(call: PythonCall): Promise<PythonResult> {
    const id = this.nextId++;
    const { code, file, inputs, params, outputPath } = call;
    const request = `${JSON.stringify({ id, code, file, inputs, params, outputPath })}\n`; // throws on a bigint param
    this.state = 'busy';
    this.setRef(true);
    this.stderrTail.length = 0;
    return new Promise((resolve, reject) => {
      this.current = { id, call, synced: { stdout: false, stderr: false }, resolve, reject };
      this.channel.write(request);
    });
  }

  /** Ends the process (and its children); a call in flight is rejected with `reason`. */
  kill(reason?: Error): void {
    const c = this.current;
    if (c && reason) this.settle(() => c.reject(reason));
    this.state = 'dead';
    this.stopReason ??= 'killed';
    this.setRef(true); // whoever killed it may await `exited`
    try {
      if (process.platform !== 'win32' && this.proc.pid) process.kill(-this.proc.pid, 'SIGKILL');
      else this.proc.kill('SIGKILL');
    } catch {
      this.proc.kill('SIGKILL'); // already gone, or not a group leader
    }
  }

  private onExit(detail: string): void {
    const tail = this.stderrTail.join('\n');
    const startError = this.isReady ? undefined : this.startError(detail);
    if (startError) this.failStart(startError);
    const c = this.current;
    if (c) {
      const err = new PythonError(`The Python worker ${detail} while running node "${c.call.nodeId}"; a new worker is started for the next call.`, 'WorkerExit', tail);
      this.settle(() => c.reject(err));
    }
    this.state = 'dead';
    this.setRef(false);
    this.onGone(this, startError);
  }

  private startError(detail: string): Error {
    if (this.stopReason === 'killed') return new PythonCancelledError('The Python worker was stopped before it was ready.');
    if (this.stopReason === 'startup-timeout') {
      return new PythonEnvironmentError(`The Python worker did not start within ${STARTUP_TIMEOUT_MS / 1000} seconds; check that importing pandas works in a terminal with this interpreter.`);
    }
    return new PythonEnvironmentError(`The Python worker failed to start (${this.stderrTail.at(-1) ?? detail}); check that "${WORKER_SCRIPT}" runs with this interpreter.`);
  }

  private onChannel(chunk: string): void {
    const lines = (this.partial.channel + chunk).split('\n');
    this.partial.channel = lines.pop() ?? '';
    for (const line of lines) {
      if (!line) continue;
      let msg: WireResponse;
      try {
        msg = JSON.parse(line) as WireResponse;
      } catch { // only user code writing to fd 3 itself could cause this
        const node = this.current?.call.nodeId ?? '?';
        this.kill(new PythonError(`The Python worker's private channel was written to while running node "${node}"; do not write to file descriptor 3.`, 'WorkerProtocol', line.slice(0, 500)));
        return;
      }
      if ('type' in msg) {
        if (this.state !== 'starting') continue;
        this.state = 'idle';
        this.isReady = true;
        clearTimeout(this.startTimer);
        this.setRef(false);
        this.markReady();
      } else if (this.current?.id === msg.id) {
        this.current.response = msg;
        if (!msg.streams) { // the worker cannot write its streams any more and is exiting
          this.current.synced = { stdout: true, stderr: true };
          this.state = 'dead';
        }
        this.maybeFinish();
      }
    }
  }

  private onOutput(stream: Stream, chunk: string): void {
    const lines = (this.partial[stream] + chunk).split('\n');
    let rest = lines.pop() ?? '';
    if (rest.length > MAX_LINE) { lines.push(rest); rest = ''; }
    this.partial[stream] = rest;
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const end = END_MARKER.exec(line);
      const text = end ? line.slice(0, end.index) : line;
      if (!end || text) this.log(stream, text);
      if (end && this.current?.id === Number(end[1])) {
        this.current.synced[stream] = true;
        this.maybeFinish();
      }
    }
  }

  private log(stream: Stream, line: string): void {
    if (stream === 'stderr') {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
    }
    try {
      this.current?.call.onLog?.(stream, line);
    } catch {
      // a failing log listener must not break the worker
    }
  }

  private maybeFinish(): void {
    const c = this.current;
    if (!c?.response || !c.synced.stdout || !c.synced.stderr || 'type' in c.response) return;
    const r = c.response;
    this.settle(() => (r.ok ? c.resolve(r.result) : c.reject(new PythonError(r.error.message, r.error.type, r.error.traceback))));
  }

  private settle(done: () => void): void {
    this.current = undefined;
    if (this.state === 'busy') {
      this.state = 'idle';
      this.setRef(false);
    }
    done();
  }

  /** Idle workers must not keep Node alive; starting and busy ones must. */
  private setRef(on: boolean): void {
    for (const h of [this.proc, this.proc.stdout, this.proc.stderr, this.channel] as (ChildProcess | Socket | null)[]) {
      if (on) h?.ref(); else h?.unref();
    }
  }
}

interface Job {
  call: PythonCall;
  /** called when a worker takes the job: arms the timeout, lets abort kill that worker */
  start: (w: Worker) => void;
  resolve: (r: PythonResult) => void;
  reject: (e: Error) => void;
}

export class PythonPool {
  private readonly workers = new Set<Worker>(); // counted against `size`
  private readonly alive = new Set<Worker>(); // not yet exited (killed ones are reaped here)
  private readonly queue: Job[] = [];
  private env?: Promise<PythonEnvironment>;
  private started = 0;
  private closing?: Promise<void>;

  constructor(private readonly opts: PythonPoolOptions) {
    if (!(opts.size >= 1)) throw new RangeError(`PythonPool size must be at least 1, got ${opts.size}`);
  }

  get stats(): { started: number; busy: number; idle: number } {
    const all = [...this.workers];
    return { started: this.started, busy: all.filter((w) => w.state === 'busy').length, idle: all.filter((w) => w.state === 'idle').length };
  }

  async warm(): Promise<void> {
    await this.checkEnvironment();
    while (this.workers.size < this.opts.size && !this.closing) this.startWorker();
    await Promise.all([...this.workers].map((w) => w.ready));
  }

  async call(c: PythonCall): Promise<PythonResult> {
    if (this.closing) throw new Error('PythonPool is closed');
    const cancelled = () => new PythonCancelledError(`Python node "${c.nodeId}" was cancelled.`);
    if (c.signal?.aborted) throw cancelled();
    await this.checkEnvironment();
    if (c.signal?.aborted) throw cancelled();
    if (this.closing) throw new PythonCancelledError(`Python node "${c.nodeId}" was cancelled because the Python pool closed.`);
    return new Promise<PythonResult>((resolve, reject) => {
      let worker: Worker | undefined;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        const i = this.queue.indexOf(job);
        if (i >= 0) { this.queue.splice(i, 1); job.reject(cancelled()); } else worker?.kill(cancelled());
      };
      const cleanup = () => { clearTimeout(timer); c.signal?.removeEventListener('abort', onAbort); };
      const job: Job = {
        call: c,
        start: (w) => {
          worker = w;
          if (c.timeoutMs === undefined) return;
          const seconds = Math.round(c.timeoutMs) / 1000;
          timer = setTimeout(() => w.kill(new PythonTimeoutError(
            `Python node "${c.nodeId}" timed out after ${seconds} seconds; its worker was killed and is restarted for the next call.`)), c.timeoutMs);
        },
        resolve: (r) => { cleanup(); resolve(r); },
        reject: (e) => { cleanup(); reject(e); },
      };
      c.signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const job of this.queue.splice(0)) {
        job.reject(new PythonCancelledError(`Python node "${job.call.nodeId}" was cancelled because the Python pool closed.`));
      }
      for (const w of this.alive) w.kill(new PythonCancelledError('The Python pool closed while the node was running.'));
      await Promise.all([...this.alive].map((w) => w.exited));
    })();
    return this.closing;
  }

  /** Once per pool while it works; after a failure the next call checks again (the user may have fixed it). */
  private async checkEnvironment(): Promise<void> {
    this.env ??= checkPythonEnvironment(this.opts.python, { env: this.opts.env, cwd: this.opts.cwd });
    const env = await this.env;
    if (!env.ok) {
      this.env = undefined;
      throw new PythonEnvironmentError(env.message);
    }
  }

  private startWorker(): Worker {
    const w = new Worker(this.opts, (gone, startError) => {
      this.workers.delete(gone);
      this.alive.delete(gone);
      // starting is deterministic: the queued calls would fail the same way
      if (startError) for (const job of this.queue.splice(0)) job.reject(startError);
      this.pump();
    });
    this.started++;
    this.workers.add(w);
    this.alive.add(w);
    w.ready.then(() => this.pump(), () => {});
    return w;
  }

  private pump(): void {
    if (this.closing) return;
    for (;;) {
      const idle = [...this.workers].find((w) => w.state === 'idle');
      const job = idle && this.queue.shift();
      if (!idle || !job) break;
      this.dispatch(idle, job);
    }
    const starting = [...this.workers].filter((w) => w.state === 'starting').length;
    for (let need = this.queue.length - starting; need > 0 && this.workers.size < this.opts.size; need--) this.startWorker();
  }

  private dispatch(w: Worker, job: Job): void {
    job.start(w);
    let running: Promise<PythonResult>;
    try {
      running = w.run(job.call);
    } catch (err) {
      job.reject(err as Error); // e.g. a parameter JSON cannot carry
      return;
    }
    running.then(job.resolve, job.reject).finally(() => {
      if (w.state === 'dead' && this.workers.delete(w)) w.kill(); // exiting anyway; free its slot now
      this.pump();
    });
  }
}
