-- Deliveries that failed for good: the retry schedule was spent, the receiver answered 410, the
-- webhook was disabled by the service while the change waited, or no consumer could process it.
-- Kept 30 days (purged by the cron trigger) to be sent again one by one or recovered all at once.
CREATE TABLE failed_deliveries (
  id TEXT PRIMARY KEY,                 -- fd_…
  webhook_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  message_id TEXT NOT NULL,            -- the webhook-id header, kept on every re-send
  change_id TEXT NOT NULL,
  payload TEXT NOT NULL,               -- JSON: entity_id, entity_type, action_type, result
  reason TEXT NOT NULL,                -- 'exhausted', 'gone', 'disabled' or 'unprocessable'
  attempts INTEGER NOT NULL,
  last_status INTEGER,
  last_error TEXT,
  first_attempt_at TEXT,
  failed_at TEXT NOT NULL,
  recovery_queued_at TEXT,             -- last time recover put it back on the queue
  recovered_at TEXT                    -- when a re-send succeeded
);

-- One row per delivery: a dead letter seen twice is recorded once, a re-failure updates it.
CREATE UNIQUE INDEX failed_deliveries_by_message ON failed_deliveries (webhook_id, message_id);
CREATE INDEX failed_deliveries_by_webhook ON failed_deliveries (webhook_id, failed_at);
CREATE INDEX failed_deliveries_by_age ON failed_deliveries (failed_at);

-- Queue messages nobody could read, kept for an operator (30 days, like failed deliveries).
CREATE TABLE dead_letters (
  id TEXT PRIMARY KEY,                 -- dl_…
  queue TEXT NOT NULL,
  raw TEXT NOT NULL,
  received_at TEXT NOT NULL
);

CREATE INDEX dead_letters_by_age ON dead_letters (received_at);
