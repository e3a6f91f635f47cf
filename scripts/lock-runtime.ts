// Rewrites resources/runtime/requirements.lock from the runtime's pinned requirements.txt
// with the app's own locking (uv, universal, hashes). Run after changing a pin:
// `npx tsx scripts/lock-runtime.ts` (a unit test fails while the lock is out of date).
import path from 'node:path';
import { inspectPython } from '../runner/exec/python/environment.ts';
import { lockWorkflow } from '../runner/envs/lock.ts';
import { ensureTool } from '../runner/envs/tools.ts';
import { appHome } from '../runner/store/paths.ts';

const folder = path.resolve(import.meta.dirname, '..', 'resources', 'runtime');
const python = process.env.AQUEDUCT_PYTHON ?? 'python3';
const probe = await inspectPython(python);
if (!probe.ok) throw new Error(probe.message);
const [major, minor] = probe.probe.version.split('.');
const base = { python, executable: probe.probe.executable, version: probe.probe.version, minor: `${major}.${minor}` };
const ctx = { root: process.env.AQUEDUCT_ENVS ?? path.join(appHome(), 'envs'), base, log: (line: string) => console.log(line) };
const lock = await lockWorkflow(folder, await ensureTool(ctx), ctx, 'locking the runtime requirements');
console.log(`resources/runtime/requirements.lock: ${lock.packages.length} packages, lock ${lock.hash.slice(0, 12)}`);
