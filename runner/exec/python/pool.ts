// A pool of warm Python workers for python nodes (and Python checks and metrics).
// Starting Python and importing pandas costs seconds, so workers live across calls; each
// call still runs the node's code in a fresh module. Requests and responses travel as JSON
// lines on a private pipe (fd 3), so whatever the user prints on stdout/stderr is only
// ever a log line. A worker that times out, is cancelled or crashes is killed and replaced.
import { checkPythonEnvironment, type PythonEnvironment } from './environment.ts';
import { PythonCancelledError, PythonEnvironmentError, PythonTimeoutError, type PythonCall, type PythonPoolOptions, type PythonResult } from './types.ts';
import { Worker } from './worker.ts';

export * from './types.ts';


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
  /** calls accepted and not yet answered (checking the environment, queued or running) */
  private pending = 0;
  private retiring?: { resolve: () => void; done: Promise<void> };

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

  /**
   * One worker started ahead of the first call (the app and `aqueduct serve` at start), so
   * the first Python node does not wait for pandas' import. Never fails: a Python that
   * cannot start is told by the first call that needs it.
   */
  async prewarm(): Promise<void> {
    try {
      await this.checkEnvironment();
      if (this.workers.size === 0 && !this.closing) await this.startWorker().ready;
    } catch {
      // told by the first call
    }
  }

  async call(c: PythonCall): Promise<PythonResult> {
    if (this.closing) throw new Error('PythonPool is closed');
    this.pending++;
    try {
      return await this.accept(c);
    } finally {
      this.pending--;
      if (this.pending === 0 && this.retiring) void this.close().then(this.retiring.resolve);
    }
  }

  /** Closes the pool once no call is pending any more (at once when idle): a changed interpreter takes over for new calls. */
  closeWhenIdle(): Promise<void> {
    if (!this.retiring) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      this.retiring = { resolve, done };
      if (this.pending === 0) void this.close().then(resolve);
    }
    return this.retiring.done;
  }

  private async accept(c: PythonCall): Promise<PythonResult> {
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
    // without importing pandas: each worker imports it once, and reports a broken install itself
    this.env ??= checkPythonEnvironment(this.opts.python, { env: this.opts.env, cwd: this.opts.cwd, importPackages: false });
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
