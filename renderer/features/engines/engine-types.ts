// What the Engines screen and the Publish dialog read from the API, named once, and how
// each engine is called where a user sees it.
import type { RouterOutputs } from '../../client/index.ts';

export type EngineConnection = RouterOutputs['engines']['connections']['list'][number];
export type EngineTypes = RouterOutputs['engines']['types'];
export type Deployment = RouterOutputs['engines']['deployments']['list'][number];
export type ResultsFolder = RouterOutputs['engines']['resultsFolders']['list']['folders'][number];
export type ExportAnswer = RouterOutputs['engines']['export'];
export type EngineName = EngineTypes['engines'][number];
export type EngineConnectionType = EngineConnection['type'];

export const ENGINE_LABEL: Record<string, string> = {
  local: 'Local',
  python: 'Python bundle',
  airflow: 'Airflow',
  ray: 'Ray',
  kubernetes: 'Kubernetes',
};

/** What an export for each engine writes, shown before the user presses Export. */
export const ENGINE_WRITES: Record<EngineName, string> = {
  python: 'A portable bundle: the workflow, its node code and data, and the Python runtime. Run it with python -m aqueduct_runtime run <bundle> --results <dir>.',
  airflow: 'The bundle plus an Airflow DAG file (one task per node) to drop into your dags folder.',
  ray: 'The bundle plus a Ray job spec (one remote task per node, tables through the object store).',
  kubernetes: 'The bundle as a ConfigMap plus Job and CronJob manifests, ready for kubectl apply.',
};

