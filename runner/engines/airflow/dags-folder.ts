// Puts a workflow version into the folder Airflow reads DAGs from, so that Airflow never
// sees half of it: the bundle and the DAG file are written under .aqueduct/ (which the
// .airflowignore hides from the DAG processor), the bundle is renamed into a folder of its
// own version, and the DAG file, which names that folder, is renamed over the old one
// last. A crash leaves either the old version or the new one, and a staging folder the
// next deploy clears. The previous version's bundle stays while its runs may still need it.
import fs from 'node:fs';
import path from 'node:path';
import { writeAtomic } from '../../spec/save.ts';
import type { Workflow } from '../../spec/workflow.ts';
import { writeBundle } from '../bundle.ts';
import type { BundleManifest } from '../bundle-format.ts';
import { DEFAULT_SHARED_DIR, dagIdOf, dagSource } from './dag.ts';

export const APP_FOLDER = '.aqueduct';
const IGNORE_LINE = `${APP_FOLDER}/`;

export interface DagFiles {
  dagId: string;
  dagFile: string;
  bundleDir: string;
  manifest: BundleManifest;
}

export interface WriteDagOptions {
  sharedDir?: string;
  requirements?: string[];
  connectionSettings?: (name: string) => Record<string, unknown> | undefined;
}

export async function writeDagFiles(dagsFolder: string, w: Workflow, o: WriteDagOptions): Promise<DagFiles> {
  const dags = path.resolve(dagsFolder);
  if (!fs.existsSync(dags) || !fs.statSync(dags).isDirectory()) throw new Error(`the dags folder ${dags} does not exist`);
  const dagId = dagIdOf(w.definition.name);
  const root = path.join(dags, APP_FOLDER);
  fs.mkdirSync(root, { recursive: true });
  hideFromAirflow(dags);
  clearStaging(root);
  const staging = fs.mkdtempSync(path.join(root, '.staging-'));
  try {
    const manifest = await writeBundle(w, path.join(staging, 'bundle'), { engine: 'airflow', requirements: o.requirements, connectionSettings: o.connectionSettings });
    const bundleDir = path.join(root, dagId, manifest.version.hash);
    const rel = path.relative(dags, bundleDir).split(path.sep).join('/');
    fs.writeFileSync(path.join(staging, `${dagId}.py`), dagSource(manifest, { dagId, bundleDirName: rel, sharedDir: o.sharedDir ?? DEFAULT_SHARED_DIR }));
    fs.mkdirSync(path.dirname(bundleDir), { recursive: true });
    // the same version again: the old copy moves aside first, so a crash never leaves none
    if (fs.existsSync(bundleDir)) fs.renameSync(bundleDir, path.join(staging, 'replaced'));
    fs.renameSync(path.join(staging, 'bundle'), bundleDir);
    const dagFile = path.join(dags, `${dagId}.py`);
    const previous = bundleOf(dagFile);
    fs.renameSync(path.join(staging, `${dagId}.py`), dagFile);
    pruneBundles(path.dirname(bundleDir), [manifest.version.hash, previous]);
    return { dagId, dagFile, bundleDir, manifest };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Removes a deployed DAG's files: the DAG file first (so Airflow stops seeing it), then its bundles. */
export function removeDagFiles(dagsFolder: string, dagId: string): void {
  const dags = path.resolve(dagsFolder);
  fs.rmSync(path.join(dags, `${dagId}.py`), { force: true });
  fs.rmSync(path.join(dags, APP_FOLDER, dagId), { recursive: true, force: true });
}

/** The version folder a DAG file written here points at (for keeping it while its runs finish). */
function bundleOf(dagFile: string): string | undefined {
  if (!fs.existsSync(dagFile)) return undefined;
  const m = /os\.path\.join\(os\.path\.dirname\(os\.path\.abspath\(__file__\)\), "([^"]+)"\)/.exec(fs.readFileSync(dagFile, 'utf8'));
  return m ? path.basename(m[1]!) : undefined;
}

function pruneBundles(dir: string, keep: (string | undefined)[]): void {
  for (const name of fs.readdirSync(dir)) if (!keep.includes(name)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
}

/** Staging folders a crashed deploy left behind. */
function clearStaging(root: string): void {
  for (const name of fs.readdirSync(root)) {
    if (name.startsWith('.staging-')) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/** The DAG processor must not parse the bundles' Python files as DAGs. */
function hideFromAirflow(dags: string): void {
  const file = path.join(dags, '.airflowignore');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (text.split('\n').some((l) => l.trim() === IGNORE_LINE)) return;
  writeAtomic(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${IGNORE_LINE}\n`);
}
