// Builds one environment from a lock: a venv in a temp folder beside its final place,
// the locked packages installed exactly (hashes checked), pandas and pyarrow tried, a
// manifest written, and only then renamed into place. A kill -9 at any point leaves a
// temp folder that is never used (and gc removes), never a half environment.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkPythonEnvironment } from '../exec/python/environment.ts';
import { EnvironmentError, explainToolFailure } from './env-errors.ts';
import type { LockInfo } from './requirements-file.ts';
import { runTool } from './tool-process.ts';
import { createVenvWithPip, tempBeside, venvBin, type Tool, type ToolContext } from './tools.ts';

export const MANIFEST = 'aqueduct-env.json';

export interface EnvManifest {
  lockHash: string;
  python: string;
  base: string;
  tool: string;
  packages: number;
  builtAt: number;
}

export function envDir(root: string, lockHash: string, minor: string): string {
  return path.join(root, `${lockHash.slice(0, 16)}-py${minor}`);
}

/** The environment's python when it is completely built and its base interpreter still exists. */
export function readyPython(dir: string): string | undefined {
  const python = venvBin(dir, 'python');
  return fs.existsSync(path.join(dir, MANIFEST)) && fs.existsSync(python) ? python : undefined;
}

export function readManifest(dir: string): EnvManifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as EnvManifest;
  } catch {
    return undefined;
  }
}

export async function buildEnvironment(dir: string, lock: LockInfo, tool: Tool, ctx: ToolContext & { phase: (p: 'venv' | 'install' | 'verify', message: string) => void }): Promise<string> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = tempBeside(dir);
  const lockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aqueduct-build-')), 'requirements.lock');
  fs.writeFileSync(lockFile, lock.text);
  const what = `installing the locked packages (lock ${lock.hash.slice(0, 12)})`;
  try {
    ctx.phase('venv', `creating a Python ${ctx.base.version} environment with ${tool.label}`);
    if (tool.kind === 'uv') {
      const r = await runTool(tool.uv, ['venv', '--relocatable', '--no-progress', '--python', ctx.base.executable, tmp], { cwd: path.dirname(dir), signal: ctx.signal, onLine: ctx.log });
      if (r.code !== 0) throw explainToolFailure(r.tail, 'creating the environment', ctx.base.minor);
    } else {
      await createVenvWithPip(ctx, tmp);
    }
    const python = venvBin(tmp, 'python');
    ctx.phase('install', `installing ${lock.packages.length} locked packages`);
    const r = tool.kind === 'uv'
      ? await runTool(tool.uv, ['pip', 'sync', '--no-progress', '--python', python, lockFile], { cwd: path.dirname(dir), signal: ctx.signal, onLine: ctx.log })
      : await runTool(python, ['-m', 'pip', 'install', '--no-deps', '--disable-pip-version-check', '-r', lockFile], { cwd: path.dirname(dir), signal: ctx.signal, onLine: ctx.log });
    if (r.code !== 0) throw explainToolFailure(r.tail, what, ctx.base.minor);
    ctx.phase('verify', 'checking that pandas and pyarrow import');
    const check = await checkPythonEnvironment(python);
    if (!check.ok) throw new EnvironmentError(`The environment was built but does not work: ${check.message}`, 'other', 'see the build log for the details');
    const manifest: EnvManifest = { lockHash: lock.hash, python: ctx.base.version, base: ctx.base.executable, tool: tool.label, packages: lock.packages.length, builtAt: Date.now() };
    fs.writeFileSync(path.join(tmp, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      // another process finished the same environment first: theirs is as good as ours
      if (!readyPython(dir)) throw e;
      ctx.log('another process built the same environment meanwhile; using it');
    }
    return venvBin(dir, 'python');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(path.dirname(lockFile), { recursive: true, force: true });
  }
}
