// One environment build for environments.bench.ts, in a process of its own: builds a venv
// from the lock file given with uv or with venv + pip (the app's own build code), prints
// how long the build took as JSON, and removes the venv again.
import fs from 'node:fs';
import path from 'node:path';
import { buildEnvironment } from '../../runner/envs/build.ts';
import { lockInfo } from '../../runner/envs/requirements-file.ts';
import type { Tool } from '../../runner/envs/tools.ts';
import { inspectPython } from '../../runner/exec/python/environment.ts';

const [kind, uv, root, lockFile] = process.argv.slice(2) as [string, string, string, string];
const python = process.env.AQUEDUCT_PYTHON ?? 'python3';
const probe = await inspectPython(python);
if (!probe.ok) throw new Error(probe.message);
const [major, minor] = probe.probe.version.split('.');
const base = { python, executable: probe.probe.executable, version: probe.probe.version, minor: `${major}.${minor}` };
const tool: Tool = kind === 'uv' ? { kind: 'uv', uv, label: 'uv' } : { kind: 'pip', python: base.executable, label: 'pip' };
const dir = path.join(root, `bench-${kind}-${process.pid}`);
const t = performance.now();
await buildEnvironment(dir, lockInfo(fs.readFileSync(lockFile, 'utf8')), tool, { root, base, log: () => {}, phase: () => {} });
const ms = performance.now() - t;
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ ms }));
