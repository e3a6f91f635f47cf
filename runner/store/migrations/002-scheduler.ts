// The scheduler's tables. Exactly-once rests on two constraints: one lease row names the
// only process allowed to schedule, and UNIQUE(schedule_id, slot_time) makes claiming a
// slot an INSERT that can succeed once. Follow-ups of a run (cascade, notification) are
// claimed the same way, by primary keys, so a takeover never repeats them.
export const scheduler = `
CREATE TABLE schedules (
  id          TEXT PRIMARY KEY,
  workflow_id TEXT NOT NULL UNIQUE REFERENCES workflows(id) ON DELETE CASCADE,
  source      TEXT NOT NULL DEFAULT 'app',      -- 'file' (workflow.yaml) or 'app' (UI, CLI, API)
  cron        TEXT NOT NULL,
  timezone    TEXT NOT NULL,
  paused      INTEGER NOT NULL DEFAULT 0,
  catchup     TEXT NOT NULL DEFAULT 'skip',     -- skip | once | each
  overlap     TEXT NOT NULL DEFAULT 'skip',     -- skip | queue | cancel
  params      TEXT NOT NULL DEFAULT '{}',
  file_hash   TEXT,                             -- hash of the schedule block last read from workflow.yaml
  cursor_at   INTEGER NOT NULL,                 -- every slot at or before this instant has been decided
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE schedule_slots (
  id           TEXT PRIMARY KEY,
  schedule_id  TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  workflow_id  TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  slot_time    INTEGER NOT NULL,
  decision     TEXT NOT NULL,   -- ran | skipped_missed | skipped_overlap | queued | cancelled_previous | failed_to_start
  reason       TEXT NOT NULL,
  claimed_by   TEXT NOT NULL,   -- lease holder id that decided it
  decided_at   INTEGER NOT NULL,
  run_id       TEXT REFERENCES runs(id) ON DELETE SET NULL,
  started_at   INTEGER,         -- set in the same transaction that created the run
  UNIQUE (schedule_id, slot_time)
);
CREATE INDEX schedule_slots_by_workflow ON schedule_slots(workflow_id, slot_time);
CREATE INDEX schedule_slots_waiting ON schedule_slots(slot_time)
  WHERE started_at IS NULL AND decision IN ('ran', 'queued', 'cancelled_previous');

CREATE TABLE scheduler_lease (
  name         TEXT PRIMARY KEY,
  holder_id    TEXT NOT NULL,
  pid          INTEGER NOT NULL,
  host         TEXT NOT NULL,
  acquired_at  INTEGER NOT NULL,
  renewed_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);

CREATE TABLE cascades (
  id                      TEXT PRIMARY KEY,
  upstream_workflow_id    TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  downstream_workflow_id  TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  params                  TEXT NOT NULL DEFAULT '{}',
  created_at              INTEGER NOT NULL,
  UNIQUE (upstream_workflow_id, downstream_workflow_id),
  CHECK (upstream_workflow_id <> downstream_workflow_id)
);

CREATE TABLE cascade_fires (
  cascade_id       TEXT NOT NULL REFERENCES cascades(id) ON DELETE CASCADE,
  upstream_run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  decision         TEXT NOT NULL,   -- started | not_started | failed_to_start
  reason           TEXT NOT NULL,
  run_id           TEXT REFERENCES runs(id) ON DELETE SET NULL,
  decided_at       INTEGER NOT NULL,
  PRIMARY KEY (cascade_id, upstream_run_id)
);

CREATE TABLE notification_settings (
  workflow_id    TEXT PRIMARY KEY REFERENCES workflows(id) ON DELETE CASCADE,
  on_failure     INTEGER NOT NULL DEFAULT 1,
  on_warning     INTEGER NOT NULL DEFAULT 0,
  on_success     INTEGER NOT NULL DEFAULT 0,
  email_to       TEXT,            -- comma-separated addresses
  slack_webhook  TEXT,            -- sealed with the secret box, never plain
  desktop        INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

CREATE TABLE notifications_sent (
  run_id   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  channel  TEXT NOT NULL,         -- email | slack | desktop
  status   TEXT NOT NULL,         -- sending | sent | failed
  detail   TEXT,
  ts       INTEGER NOT NULL,
  PRIMARY KEY (run_id, channel)
);

CREATE TABLE retention_policies (
  workflow_id  TEXT PRIMARY KEY REFERENCES workflows(id) ON DELETE CASCADE,
  keep_runs    INTEGER NOT NULL CHECK (keep_runs >= 1)
);

CREATE TABLE artifacts_deleted (
  run_id      TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  deleted_at  INTEGER NOT NULL,
  bytes       INTEGER NOT NULL,
  reason      TEXT NOT NULL
);

-- what the scheduler's follow-ups scan (newly finished runs) and retention checks (reused outputs)
CREATE INDEX runs_by_finished_at ON runs(finished_at);
CREATE INDEX node_runs_by_cached_from ON node_runs(cached_from) WHERE cached_from IS NOT NULL;
`;
