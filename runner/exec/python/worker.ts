// One Python process of the pool: it starts, runs one call at a time over the private
// channel (fd 3), forwards the user's stdout/stderr as log lines, and dies on timeout,
// cancellation or crash.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { RESOURCES_DIR } from '../../app-root.ts';
import { childEnv } from '../../secrets/process-secrets.ts';
import type { Socket } from 'node:net';
import { packageProblem } from './environment.ts';
import { type PythonCall, type PythonResult, PythonError, PythonCancelledError, PythonEnvironmentError, type PythonPoolOptions } from './types.ts';

const WORKER_SCRIPT = path.join(RESOURCES_DIR, 'python', 'aqueduct_worker.py');
const STARTUP_TIMEOUT_MS = 120_000;
const MAX_LINE = 64 * 1024;
const STDERR_TAIL = 20;
// written by the worker on stdout and stderr after each request (see aqueduct_worker.py)
const END_MARKER = /\x1eaqueduct-end (\d+)$/;

type Stream = 'stdout' | 'stderr';
type WireResponse =
  | { type: 'ready' }
  /** pandas or pyarrow cannot be imported: the worker says which and exits */
  | { type: 'packages'; executable: string; missing: string[]; broken: Record<string, string> }
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
export class Worker {
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
  /** what the worker said before exiting unready (a package that does not import) */
  private packagesProblem?: string;
  private readonly python: string;
  private readonly startTimer: NodeJS.Timeout;

  /** `onGone` runs once the process has exited, with the reason if it never became ready */
  constructor(opts: PythonPoolOptions, private readonly onGone: (w: Worker, startError?: Error) => void) {
    this.python = opts.python;
    this.ready = new Promise((resolve, reject) => { this.markReady = resolve; this.failStart = reject; });
    this.ready.catch(() => {}); // observed by the pool; avoid an unhandled rejection here
    this.proc = spawn(opts.python, ['-u', WORKER_SCRIPT], {
      cwd: opts.cwd,
      env: childEnv({ ...opts.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' }),
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
    if (this.packagesProblem) return new PythonEnvironmentError(this.packagesProblem);
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
        if (msg.type === 'packages') {
          this.packagesProblem = packageProblem({ ...msg, pandas: undefined, pyarrow: undefined }, this.python);
          continue; // it exits; onExit fails the start with this sentence
        }
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