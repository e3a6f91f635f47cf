// Workflows deployed to remote engines (a DAG in an Airflow's dags folder, a bundle
// uploaded to Ray, manifests applied to Kubernetes), one row per workflow and engine
// connection, with the version deployed; and the runs the app follows on those engines
// (each linked to the engine's own id for it), so a restart picks up where it left off.
export const deployments = `
CREATE TABLE engine_deployments (
  id            TEXT PRIMARY KEY,
  workflow_id   TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  connection    TEXT NOT NULL,      -- the engine connection's name
  engine        TEXT NOT NULL,      -- airflow | ray | kubernetes
  version_hash  TEXT NOT NULL,
  remote_id     TEXT NOT NULL,      -- the DAG id, the Kubernetes name, the Ray package
  detail        TEXT NOT NULL DEFAULT '{}',   -- engine-specific, never a secret
  problem       TEXT,               -- the last deploy's failure (an import error), shown on the Engines screen
  deployed_at   INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (workflow_id, connection)
);

CREATE TABLE remote_runs (
  run_id         TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  deployment_id  TEXT NOT NULL REFERENCES engine_deployments(id) ON DELETE CASCADE,
  engine_ref     TEXT NOT NULL,     -- the DAG run id, the Ray submission id, the Job's name
  done           INTEGER NOT NULL DEFAULT 0,
  UNIQUE (deployment_id, engine_ref)
);
`;
