// Runs one packaging tool (uv, pip, python -m venv) as a child process: every output line
// goes to the build log as it comes, cancelling kills the whole process group (pip and
// uv start build subprocesses of their own), and the app's secrets never reach it, since
// a package's build script is code from the internet.
import { spawn } from 'node:child_process';
import { childEnv } from '../secrets/process-secrets.ts';

export interface ToolRun {
  code: number | null;
  /** the last lines of stdout and stderr, interleaved, for error messages */
  tail: string[];
  stdout: string;
}

export interface ToolOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
  /** keep stdout out of onLine (it is the tool's result, e.g. a whole lock file) */
  quietStdout?: boolean;
}

const TAIL_LINES = 60;

export class ToolCancelledError extends Error {
  override name = 'ToolCancelledError';
}

/** What a tool's environment changes (undefined: removed); childEnv() adds the rest without the app's secrets. */
function toolVars(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  // a venv the app itself runs in must not leak into the one it builds
  return { NO_COLOR: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONIOENCODING: 'utf-8', VIRTUAL_ENV: undefined, PYTHONHOME: undefined, PYTHONPATH: undefined, ...extra };
}

/** Resolves with the exit code (a non-zero code is the caller's to explain); rejects when the program is missing or cancelled. */
export function runTool(cmd: string, args: string[], o: ToolOptions = {}): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(new ToolCancelledError('cancelled'));
    const child = spawn(cmd, args, { cwd: o.cwd, env: childEnv(toolVars(o.env)), stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
    const tail: string[] = [];
    let stdout = '';
    const take = (stream: 'out' | 'err') => {
      let rest = '';
      return (chunk: Buffer) => {
        const text = rest + chunk.toString('utf8');
        if (stream === 'out') stdout += chunk.toString('utf8');
        const lines = text.split(/\r?\n|\r/);
        rest = lines.pop() ?? '';
        for (const line of lines) if (stream === 'err' || !o.quietStdout) emit(line);
      };
    };
    const emit = (raw: string) => {
      const line = raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd();
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      o.onLine?.(line);
    };
    child.stdout.on('data', take('out'));
    child.stderr.on('data', take('err'));
    const kill = () => {
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    };
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      kill();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      o.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (code) => {
      o.signal?.removeEventListener('abort', onAbort);
      if (cancelled) reject(new ToolCancelledError('cancelled'));
      else resolve({ code, tail, stdout });
    });
  });
}
