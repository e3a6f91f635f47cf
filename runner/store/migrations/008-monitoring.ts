// Monitoring: a column profile of every table output (one row per column, numbers in
// columns so history queries and drift checks read them with plain SQL; top values and
// the histogram as compact JSON), and a metric's warning band beside its error band.
export const monitoring = `
CREATE TABLE column_profiles (
  run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_id       TEXT NOT NULL,
  ordinal       INTEGER NOT NULL,
  name          TEXT NOT NULL,
  type          TEXT NOT NULL,
  rows          INTEGER NOT NULL,
  nulls         INTEGER NOT NULL,
  distinct_est  INTEGER,
  min_value     TEXT,             -- JSON: a number, or text for dates, times and strings
  max_value     TEXT,
  mean          REAL,
  stddev        REAL,
  top_values    TEXT,             -- JSON [[value, count], ...], most frequent first
  histogram     TEXT,             -- JSON {"min": n, "max": n, "counts": [...]} (times as epoch ms)
  sample_rows   INTEGER,          -- set when distinct, mean, top values and histogram come from a sample
  PRIMARY KEY (run_id, node_id, ordinal)
);
CREATE INDEX column_profiles_by_node ON column_profiles(node_id, name);

ALTER TABLE metric_values ADD COLUMN warn_lower REAL;
ALTER TABLE metric_values ADD COLUMN warn_upper REAL;
`;
