// A scheduled run interrupted by a crash is retried (per schedule: retry_interrupted
// times, default once). Each interrupted run's decision is claimed by its primary key,
// as cascades and notifications are, so a takeover never retries it twice.
export const interruptedRetries = `
ALTER TABLE schedules ADD COLUMN retry_interrupted INTEGER NOT NULL DEFAULT 1;

CREATE TABLE interrupted_retries (
  run_id        TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,   -- the interrupted run
  slot_id       TEXT NOT NULL REFERENCES schedule_slots(id) ON DELETE CASCADE,
  attempt       INTEGER NOT NULL,   -- which retry of the slot this decision is about (1 = the first)
  decision      TEXT NOT NULL,      -- retried | not_retried | failed_to_start
  reason        TEXT NOT NULL,
  retry_run_id  TEXT REFERENCES runs(id) ON DELETE SET NULL,
  decided_at    INTEGER NOT NULL
);
CREATE INDEX interrupted_retries_by_slot ON interrupted_retries(slot_id);
`;
