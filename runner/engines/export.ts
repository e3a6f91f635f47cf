// `aqueduct export`: one workflow version to one engine. The bundle is the same for every
// engine; each engine adds its wrapper (an Airflow DAG file, a Ray job spec, Kubernetes
// manifests). Nodes the runtime cannot run are refused before anything is written.
import path from 'node:path';
import { ConnectionService } from '../connections/service.ts';
import { loadWorkflowOrThrow } from '../spec/load.ts';
import { openDatabase } from '../store/db.ts';
import { appPaths } from '../store/paths.ts';
import { writeBundle } from './bundle.ts';
import { storeHistory } from '../monitor/history.ts';
import type { BundleManifest, EngineName } from './bundle-format.ts';

export interface ExportOptions {
  engine: EngineName;
  out: string;
  /** app home whose saved connections give the (non-secret) settings of publish connections */
  home?: string;
  requirements?: string[];
  /** makes the workflow's requirements.lock current first (locks when requirements.txt changed) */
  ensureLock?: (folder: string) => Promise<unknown>;
  /** airflow: storage every worker reaches (tables between tasks, run records) */
  sharedDir?: string;
  /** kubernetes: base image, namespace, a PVC for results */
  image?: string;
  namespace?: string;
  resultsClaim?: string;
}

export interface ExportResult {
  engine: EngineName;
  out: string;
  bundleDir: string;
  workflow: string;
  versionHash: string;
  /** the engine wrapper's files (DAG, job spec, manifests) */
  files: string[];
  notes: string[];
}

export interface EngineWrapper {
  /** where the bundle goes inside `out` */
  bundleDir(out: string, manifest: { name: string }): string;
  write(out: string, bundleDir: string, manifest: BundleManifest, o: ExportOptions): Promise<{ files: string[]; notes: string[] }>;
}

async function wrapperFor(engine: EngineName): Promise<EngineWrapper | undefined> {
  switch (engine) {
    case 'python':
      return undefined;
    case 'airflow':
      return (await import('./airflow/dag.ts')).airflowWrapper;
    case 'ray':
      return (await import('./ray/job.ts')).rayWrapper;
    case 'kubernetes':
      return (await import('./kubernetes/manifests.ts')).kubernetesWrapper;
  }
}

export async function exportWorkflow(folder: string, o: ExportOptions): Promise<ExportResult> {
  const w = loadWorkflowOrThrow(folder);
  await o.ensureLock?.(w.folder);
  const out = path.resolve(o.out);
  const wrapper = await wrapperFor(o.engine);
  const bundleDir = wrapper ? wrapper.bundleDir(out, w.definition) : out;
  const settings = o.home ? connectionSettings(o.home) : undefined;
  try {
    const manifest = await writeBundle(w, bundleDir, { engine: o.engine, requirements: o.requirements, connectionSettings: settings?.get, history: settings?.history(w.folder) });
    const extra = wrapper ? await wrapper.write(out, bundleDir, manifest, o) : { files: [], notes: [] };
    const leftOut = (manifest.leftOut ?? []).map((r) => `left out ${r.nodeId}: ${r.why}`);
    return { engine: o.engine, out, bundleDir, workflow: manifest.workflow.name, versionHash: manifest.version.hash, ...extra, notes: [...leftOut, ...extra.notes] };
  } finally {
    settings?.close();
  }
}

/** Non-secret settings of saved data connections (the runtime gets secrets from its environment), and the history template checks and learned bounds bake in. */
function connectionSettings(home: string) {
  const paths = appPaths(path.resolve(home));
  const db = openDatabase(paths.database);
  const service = new ConnectionService(db, paths.home);
  return {
    get: (name: string): Record<string, unknown> | undefined => {
      try {
        return { ...service.get(name).config };
      } catch {
        return undefined;
      }
    },
    /** the workflow's runs in this app's history (none when the app has not run it) */
    history: (folder: string) => {
      const wf = db.prepare('SELECT id FROM workflows WHERE folder = ?').get(folder) as { id: string } | undefined;
      return wf ? storeHistory(db, wf.id, '', Date.now()) : undefined;
    },
    close: () => db.close(),
  };
}

/** A workflow name as an identifier for DAG ids, job names and file names. */
export function slugOf(name: string, max = 50): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return (s || 'workflow').slice(0, max);
}
