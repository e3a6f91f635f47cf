// What each run's publishes are staging right now: temp files beside the user's outputs
// and SQLite files inside an open transaction. A row is written before the path is
// touched and removed once the publish is committed or discarded, so the rows left by a
// killed run name exactly what the next run must clean up, and nothing else.
export const publishStaging = `
CREATE TABLE publish_staging (
  run_id      TEXT NOT NULL,
  path        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('file', 'sqlite')),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (run_id, path)
);
`;
