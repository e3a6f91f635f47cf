// Resolves a workflow's declared packages (plus pandas and pyarrow) to exact versions and
// writes requirements.lock into its folder. With uv: one universal lock (any platform,
// this Python minor or newer) with the hashes of every file; the previous lock is handed
// to uv as preferences, so adding a package does not upgrade the others. Without uv:
// pip's resolver (`pip install --dry-run --report`) for this platform, with the hash of
// each chosen file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeAtomic } from '../spec/save.ts';
import { EnvironmentError, explainToolFailure } from './env-errors.ts';
import { IMPLICIT_REQUIREMENTS, LOCK_FILE, REQUIREMENTS_FILE, inputHashOf, lockInfo, lockText, readDeclared, readLock, type LockInfo } from './requirements-file.ts';
import { runTool } from './tool-process.ts';
import type { BaseInterpreter, Tool, ToolContext } from './tools.ts';

/** Whether the lock in the folder still matches requirements.txt and can serve this Python. */
export function lockIsCurrent(folder: string, base: Pick<BaseInterpreter, 'minor'> | undefined): LockInfo | undefined {
  const lock = readLock(folder);
  if (!lock || lock.inputHash !== inputHashOf(folder)) return undefined;
  if (base && lock.pythonFloor && compareMinor(base.minor, lock.pythonFloor) < 0) return undefined;
  return lock;
}

export function compareMinor(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

export async function lockWorkflow(folder: string, tool: Tool, ctx: ToolContext, what: string): Promise<LockInfo> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aqueduct-lock-'));
  try {
    const implicit = path.join(tmp, 'aqueduct-implicit.txt');
    fs.writeFileSync(implicit, IMPLICIT_REQUIREMENTS.join('\n') + '\n');
    const declared = readDeclared(folder);
    const inputs = [...(declared.exists ? [path.join(folder, REQUIREMENTS_FILE)] : []), implicit];
    const inputHash = inputHashOf(folder);
    ctx.log(`locking ${declared.requirements.map((r) => r.line).join(', ') || 'no packages of its own'} (plus ${IMPLICIT_REQUIREMENTS.join(', ')}) with ${tool.label}`);
    const pins = tool.kind === 'uv' ? await lockWithUv(folder, tool.uv, inputs, tmp, ctx, what) : await lockWithPip(folder, tool.python, inputs, tmp, ctx, what);
    const text = lockText(pins, { inputHash, pythonFloor: ctx.base.minor, tool: tool.label, universal: tool.kind === 'uv' });
    writeAtomic(path.join(folder, LOCK_FILE), text);
    const info = lockInfo(text);
    ctx.log(`locked ${info.packages.length} packages into ${LOCK_FILE} (lock ${info.hash.slice(0, 12)})`);
    return info;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function lockWithUv(folder: string, uv: string, inputs: string[], tmp: string, ctx: ToolContext, what: string): Promise<string> {
  const out = path.join(tmp, LOCK_FILE);
  const previous = path.join(folder, LOCK_FILE);
  if (fs.existsSync(previous)) fs.copyFileSync(previous, out);
  const args = ['pip', 'compile', '--universal', '--generate-hashes', '--no-header', '--no-annotate', '--no-progress', '--python-version', ctx.base.minor, '--python', ctx.base.executable, '-o', out, ...inputs];
  const r = await runTool(uv, args, { cwd: folder, signal: ctx.signal, onLine: ctx.log, quietStdout: true });
  if (r.code !== 0) throw explainToolFailure(r.tail, what, ctx.base.minor);
  return fs.readFileSync(out, 'utf8');
}

interface PipReport {
  install: { metadata: { name: string; version: string }; download_info?: { url: string; archive_info?: { hash?: string; hashes?: Record<string, string> }; dir_info?: unknown } }[];
}

async function lockWithPip(folder: string, python: string, inputs: string[], tmp: string, ctx: ToolContext, what: string): Promise<string> {
  const report = path.join(tmp, 'report.json');
  const args = ['-m', 'pip', 'install', '--dry-run', '--ignore-installed', '--disable-pip-version-check', '--report', report, ...inputs.flatMap((f) => ['-r', f])];
  const r = await runTool(python, args, { cwd: folder, signal: ctx.signal, onLine: ctx.log });
  if (r.code !== 0) throw explainToolFailure(r.tail, what, ctx.base.minor);
  let parsed: PipReport;
  try {
    parsed = JSON.parse(fs.readFileSync(report, 'utf8')) as PipReport;
  } catch {
    throw new EnvironmentError(`pip resolved the packages but wrote no readable report while ${what}`, 'other', 'see the build log for the details');
  }
  const lines = parsed.install
    .map((p) => {
      const info = p.download_info;
      const sha = info?.archive_info?.hashes?.sha256 ?? /^sha256=(.+)$/.exec(info?.archive_info?.hash ?? '')?.[1];
      if (info && !info.archive_info) return `${p.metadata.name} @ ${info.url}`;
      return sha ? `${p.metadata.name}==${p.metadata.version} \\\n    --hash=sha256:${sha}` : `${p.metadata.name}==${p.metadata.version}`;
    })
    .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return lines.join('\n') + '\n';
}
