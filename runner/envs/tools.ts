// The packaging tool the app locks and builds with: uv (a pinned version, installed from
// PyPI as a wheel into a tool venv of the app's own, once per machine), or plain
// `python -m venv` + pip when uv cannot be had (or AQUEDUCT_ENV_TOOL=pip asks for it).
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError, explainToolFailure } from './env-errors.ts';
import { runTool } from './tool-process.ts';

export const UV_VERSION = '0.13.9';

export type Tool = { kind: 'uv'; uv: string; label: string } | { kind: 'pip'; python: string; label: string };

export interface BaseInterpreter {
  /** as configured (Settings → Python, AQUEDUCT_PYTHON, or python3) */
  python: string;
  /** sys.executable */
  executable: string;
  /** e.g. 3.11.7 */
  version: string;
  /** e.g. 3.11: environments are built per lock and per this */
  minor: string;
}

export interface ToolContext {
  /** the folder holding environments and tools */
  root: string;
  base: BaseInterpreter;
  signal?: AbortSignal;
  log: (line: string) => void;
}

export const venvBin = (dir: string, name: string) =>
  process.platform === 'win32' ? path.join(dir, 'Scripts', `${name}.exe`) : path.join(dir, 'bin', name);

/** A temp folder name beside `final`, unique to this process, so a crash leaves nothing that looks finished. */
export function tempBeside(final: string): string {
  return path.join(path.dirname(final), `.tmp-${path.basename(final)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
}

export async function ensureTool(ctx: ToolContext): Promise<Tool> {
  const want = process.env.AQUEDUCT_ENV_TOOL;
  if (want !== 'pip') {
    try {
      return await ensureUv(ctx);
    } catch (e) {
      if (want === 'uv' || (e instanceof EnvironmentError && (e.kind === 'network' || e.kind === 'cancelled' || e.kind === 'python'))) throw e;
      ctx.log(`uv could not be installed (${(e as Error).message}); building with python -m venv and pip instead`);
    }
  }
  return ensurePip(ctx);
}

async function ensureUv(ctx: ToolContext): Promise<Tool> {
  const dir = path.join(ctx.root, 'tools', `uv-${UV_VERSION}`);
  const uv = venvBin(dir, 'uv');
  if (fs.existsSync(uv)) return { kind: 'uv', uv, label: `uv ${UV_VERSION}` };
  ctx.log(`installing uv ${UV_VERSION} from PyPI (once per machine)`);
  await makeToolVenv(ctx, dir, [`uv==${UV_VERSION}`]);
  return { kind: 'uv', uv, label: `uv ${UV_VERSION}` };
}

async function ensurePip(ctx: ToolContext): Promise<Tool> {
  const dir = path.join(ctx.root, 'tools', `pip-py${ctx.base.minor}`);
  const python = venvBin(dir, 'python');
  if (!fs.existsSync(python)) await makeToolVenv(ctx, dir, []);
  return { kind: 'pip', python, label: 'pip' };
}

/** `python -m venv` into a temp folder, pip install, then rename into place. */
async function makeToolVenv(ctx: ToolContext, dir: string, packages: string[]): Promise<void> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = tempBeside(dir);
  try {
    await createVenvWithPip(ctx, tmp);
    if (packages.length) {
      const r = await runTool(venvBin(tmp, 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', ...packages], { signal: ctx.signal, onLine: ctx.log });
      if (r.code !== 0) throw explainToolFailure(r.tail, `installing ${packages.join(' ')}`, ctx.base.minor);
    }
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      if (!fs.existsSync(dir)) throw e; // another process finished the same tool first: use theirs
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function createVenvWithPip(ctx: ToolContext, dir: string): Promise<void> {
  const r = await runTool(ctx.base.executable, ['-m', 'venv', dir], { signal: ctx.signal, onLine: ctx.log });
  if (r.code !== 0) {
    throw new EnvironmentError(
      `Python at ${ctx.base.executable} cannot create virtual environments (${r.tail.at(-1) ?? 'its venv module failed'})`,
      'python',
      'install its venv module (Debian/Ubuntu: sudo apt install python3-venv) or choose another Python in Settings → Python',
    );
  }
}
