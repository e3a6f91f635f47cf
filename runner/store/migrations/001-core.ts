// Workflows, their immutable versions, runs, node runs, logs, metrics, checks and
// what each run published: the history every UI and engine writes into.
export const core = `
CREATE TABLE workflows (
  id          TEXT PRIMARY KEY,
  folder      TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE workflow_versions (
  hash         TEXT PRIMARY KEY,
  workflow_id  TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  definition   TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX workflow_versions_by_workflow ON workflow_versions(workflow_id, created_at);

CREATE TABLE runs (
  id            TEXT PRIMARY KEY,
  workflow_id   TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  version_hash  TEXT NOT NULL REFERENCES workflow_versions(hash),
  kind          TEXT NOT NULL DEFAULT 'run',
  target_node   TEXT,
  trigger       TEXT NOT NULL,
  params        TEXT NOT NULL DEFAULT '{}',
  status        TEXT NOT NULL,
  engine        TEXT NOT NULL DEFAULT 'local',
  error         TEXT,
  created_at    INTEGER NOT NULL,
  started_at    INTEGER,
  finished_at   INTEGER,
  owner_pid     INTEGER,
  owner_host    TEXT
);
CREATE INDEX runs_by_workflow ON runs(workflow_id, created_at);
CREATE INDEX runs_by_status ON runs(status);

CREATE TABLE node_runs (
  run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_id       TEXT NOT NULL,
  kind          TEXT NOT NULL,
  status        TEXT NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  started_at    INTEGER,
  finished_at   INTEGER,
  cache_key     TEXT,
  cached_from   TEXT,
  artifact_path TEXT,
  rows          INTEGER,
  bytes         INTEGER,
  columns       TEXT,
  value         TEXT,
  error         TEXT,
  PRIMARY KEY (run_id, node_id)
);
CREATE INDEX node_runs_by_cache_key ON node_runs(cache_key);

CREATE TABLE logs (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_id  TEXT,
  ts       INTEGER NOT NULL,
  stream   TEXT NOT NULL,
  line     TEXT NOT NULL
);
CREATE INDEX logs_by_run ON logs(run_id, node_id, id);

CREATE TABLE metric_values (
  run_id    TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_id   TEXT NOT NULL,
  value     REAL,
  lower     REAL,
  upper     REAL,
  passed    INTEGER NOT NULL,
  ts        INTEGER NOT NULL,
  PRIMARY KEY (run_id, node_id)
);

CREATE TABLE check_results (
  run_id    TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_id   TEXT NOT NULL,
  passed    INTEGER NOT NULL,
  severity  TEXT NOT NULL,
  message   TEXT,
  ts        INTEGER NOT NULL,
  PRIMARY KEY (run_id, node_id)
);

CREATE TABLE publications (
  run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_id      TEXT NOT NULL,
  destination  TEXT NOT NULL,
  connection   TEXT,
  target       TEXT NOT NULL,
  mode         TEXT NOT NULL,
  rows         INTEGER NOT NULL,
  ts           INTEGER NOT NULL,
  PRIMARY KEY (run_id, node_id)
);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
`;
