// The portable bundle's manifest (aqueduct-bundle.json), shared by the exporter and, as
// JSON, by the Python runtime (resources/runtime/aqueduct_runtime/bundle.py). One typed
// description so the two sides cannot drift apart silently.
import type { ParameterSpec, ScheduleSpec } from '../spec/schema.ts';
import type { ReadOptions } from '../exec/kinds/source-reader.ts';
import type { CheckTemplate } from '../spec/monitor-schema.ts';

export const BUNDLE_FORMAT = 'aqueduct-bundle/1';
export const MANIFEST_FILE = 'aqueduct-bundle.json';

export const ENGINE_NAMES = ['python', 'airflow', 'ray', 'kubernetes'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** A node as the runtime reads it: the workflow's node spec plus where things are in the bundle. */
export interface BundleNode {
  id: string;
  kind: string;
  inputs: string[];
  timeout?: number;
  retries?: number;
  severity?: string;
  /** metric bands: numbers or $parameters; bounds learned from history are baked in as numbers */
  bounds?: BundleBand;
  warnBounds?: BundleBand;
  /** a check made from a template: its settings (the compiled query is the node's SQL) */
  template?: CheckTemplate;
  destination?: Record<string, unknown>;
  mode?: string;
  key?: string[];
  /** source: the data file inside the bundle, and as the workflow names it (for messages) */
  file?: string;
  originalFile?: string;
  format?: string;
  originalFormat?: string;
  /** source: how to read the file (null markers, delimiter, column types…), as the local reader does */
  read?: ReadOptions;
  /** code file inside the bundle, and as the workflow names it (for messages) */
  code?: string;
  codeFile?: string;
  language?: string;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  runtimeVersion: string;
  engine: EngineName;
  exportedAt: number;
  workflow: { name: string; description?: string; folder: string };
  /** the workflow version this bundle is: its hash and definition (as the store keeps it) */
  version: { hash: string; definition: unknown };
  parameters: Record<string, ParameterSpec>;
  schedule?: ScheduleSpec;
  /** topological order, the local planner's */
  order: string[];
  nodes: BundleNode[];
  /** settings of the connections publishes use, never their secrets */
  connections: Record<string, Record<string, unknown>>;
  requirements: string[];
  /** nodes that run in the app only (reports and their deliveries), left out of the bundle */
  leftOut?: Refusal[];
  /** the workflow's requirements.lock the bundle installs (absent: no packages of its own) */
  lockHash?: string;
}

export interface BundleBand {
  lower?: number | string;
  upper?: number | string;
  /** learned at export from this many earlier runs */
  learnedFrom?: number;
}

/** A node the runtime cannot run, and why. */
export interface Refusal {
  nodeId: string;
  why: string;
}

export class ExportRefusedError extends Error {
  constructor(readonly refusals: Refusal[]) {
    super(`this workflow cannot be exported as it is:\n${refusals.map((r) => `  - node "${r.nodeId}": ${r.why}`).join('\n')}`);
    this.name = 'ExportRefusedError';
  }
}
