// Remote engines the app pushes workflows to (an Airflow webserver, a Ray cluster's
// dashboard, a Kubernetes context), beside the data connections. Settings a user may see
// sit in `config` as JSON; every secret (password, token) sits in `secrets`, each value
// sealed by the SecretBox, so the database file never holds one in plain text.
export const engines = `
CREATE TABLE engine_connections (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  type        TEXT NOT NULL CHECK (type IN ('airflow', 'ray', 'kubernetes')),
  config      TEXT NOT NULL DEFAULT '{}',
  secrets     TEXT NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
`;
