// Python environments: each run records the lock it ran with (beside its version hash)
// and the Python version; each lock's packages are kept once, so two runs' package
// changes can be shown long after the lock file moved on. A workflow may choose the
// app-owned environment or an interpreter of the user's own (per machine, so here and
// not in the workflow's folder).
export const environments = `
ALTER TABLE runs ADD COLUMN lock_hash TEXT;
ALTER TABLE runs ADD COLUMN python_version TEXT;

CREATE TABLE python_locks (
  hash        TEXT PRIMARY KEY,
  packages    TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE workflow_python (
  workflow_id  TEXT PRIMARY KEY REFERENCES workflows(id) ON DELETE CASCADE,
  mode         TEXT NOT NULL CHECK (mode IN ('app', 'interpreter')),
  interpreter  TEXT
);
`;
