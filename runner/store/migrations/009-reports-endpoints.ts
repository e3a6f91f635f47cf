// Reports delivered to people, outputs served as endpoints, and who owns each workflow.
// A delivery is claimed (state 'sending') before anything is sent and marked 'sent' or
// 'failed' after; its key is the run a retried slot started from, so a run retried after
// a crash finds what the first attempt did and never sends twice. Endpoint keys are kept
// as SHA-256 hashes: the key itself is shown once, when it is made.
export const reportsEndpoints = `
CREATE TABLE deliveries (
  run_key      TEXT NOT NULL,   -- the first run of a retried slot, else the run itself
  node_id      TEXT NOT NULL,
  run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,   -- the run that claimed it last
  channel      TEXT NOT NULL,   -- email | slack | folder
  target       TEXT NOT NULL,   -- recipients, channel or folder
  state        TEXT NOT NULL,   -- sending | sent | failed
  attempts     INTEGER NOT NULL DEFAULT 0,
  detail       TEXT,
  started_at   INTEGER NOT NULL,
  finished_at  INTEGER,
  PRIMARY KEY (run_key, node_id)
);
CREATE INDEX deliveries_by_run ON deliveries(run_id);

CREATE TABLE endpoint_keys (
  id            TEXT PRIMARY KEY,   -- the public part of the key (aqk_<id>_<secret>)
  workflow_id   TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  output        TEXT,               -- one output, or NULL for every output the workflow serves
  label         TEXT NOT NULL,
  secret_hash   TEXT NOT NULL,      -- hex SHA-256 of the secret part
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER,
  revoked_at    INTEGER
);
CREATE INDEX endpoint_keys_by_workflow ON endpoint_keys(workflow_id);

ALTER TABLE workflows ADD COLUMN owner_name TEXT;
ALTER TABLE workflows ADD COLUMN owner_email TEXT;
ALTER TABLE workflows ADD COLUMN watchers TEXT NOT NULL DEFAULT '[]';
`;
