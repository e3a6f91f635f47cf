// What an exported bundle installs: exactly the workflow's lock (requirements.lock, the
// packages its Python nodes ran with here) plus the portable runtime's own pinned and
// tested packages (resources/runtime/requirements.lock) for whatever the workflow's lock
// does not already pin, every file with its hash. Extra `--requirement` lines cannot be
// hash-checked, so a bundle with any of them lists exact pins without hashes.
import fs from 'node:fs';
import path from 'node:path';
import { RESOURCES_DIR } from '../app-root.ts';
import { lockIsCurrent } from '../envs/lock.ts';
import { LOCK_FILE, REQUIREMENTS_FILE, lockEntries, withoutHashes } from '../envs/requirements-file.ts';
import type { Workflow } from '../spec/workflow.ts';

const RUNTIME = path.join(RESOURCES_DIR, 'runtime');
export const RUNTIME_REQUIREMENTS = path.join(RUNTIME, 'requirements.txt');
export const RUNTIME_LOCK = path.join(RUNTIME, 'requirements.lock');
/** in the runtime's lock only for bundles that publish to PostgreSQL */
const POSTGRES_ONLY = new Set(['psycopg', 'psycopg-binary']);

export interface BundleRequirements {
  /** the bundle's requirements.txt */
  text: string;
  /** the same as exact pins without hashes (Ray's runtime_env takes these) */
  pins: string[];
  /** the workflow's own lock, when it has one */
  lockHash?: string;
}

export class StaleLockError extends Error {
  override name = 'StaleLockError';
}

export function bundleRequirements(w: Workflow, extra: string[], postgres: boolean): BundleRequirements {
  const declares = fs.existsSync(path.join(w.folder, REQUIREMENTS_FILE));
  const lock = lockIsCurrent(w.folder, undefined);
  if (declares && !lock) {
    throw new StaleLockError(
      `${REQUIREMENTS_FILE} of "${w.definition.name}" changed since ${LOCK_FILE} was written; lock it first (aqueduct env build ${w.folder}, or run the workflow once) and export again`,
    );
  }
  const own = lock ? lockEntries(lock.text) : [];
  const ownNames = new Set(own.map((e) => e.name));
  const runtime = lockEntries(fs.readFileSync(RUNTIME_LOCK, 'utf8')).filter((e) => !ownNames.has(e.name) && (postgres || !POSTGRES_ONLY.has(e.name)));
  const entries = [...own, ...runtime];
  const pins = entries.map((e) => withoutHashes(e.text));
  const head = [
    `# Exactly what this bundle runs with: ${lock ? `the workflow's ${LOCK_FILE} (lock ${lock.hash.slice(0, 12)})` : 'no packages of the workflow\'s own'}`,
    '# and the portable runtime\'s tested pins for the rest.',
  ];
  if (extra.length) {
    const text = [...head, '# Hashes are left out because of the extra --requirement lines, which are not locked.', ...pins, ...extra, ''].join('\n');
    return { text, pins: [...pins, ...extra], lockHash: lock?.hash };
  }
  const text = [...head, '# Install: pip install --require-hashes -r requirements.txt (or: uv pip sync requirements.txt)', ...entries.map((e) => e.text), ''].join('\n');
  return { text, pins, lockHash: lock?.hash };
}
