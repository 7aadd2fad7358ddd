-- Webhooks ("Koppelungen"): one row per endpoint an account's admin registered, with its
-- signing secrets (AES-GCM sealed, see src/webhooks/secrets.ts) and its delivery health.
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,                   -- wh_…, time-ordered: list pagination runs on it
  account_id TEXT NOT NULL,              -- the tenant; every query is scoped by it
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  triggers TEXT NOT NULL,                -- JSON array, e.g. ["user.update"]
  event_ids TEXT NOT NULL DEFAULT '[]',  -- JSON array; [] = every event
  secret TEXT NOT NULL,                  -- sealed whsec_…
  previous_secret TEXT,                  -- sealed; still signs until previous_secret_expires_at
  previous_secret_expires_at TEXT,
  disabled_reason TEXT,                  -- NULL, 'gone' or 'failing'
  last_delivery_at TEXT,
  last_status INTEGER,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  failing_since TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX webhooks_by_account ON webhooks (account_id, id);

-- Who wants what: one row per (trigger, event) of every webhook, event_id '' meaning every
-- event. Fan-out looks up "the webhooks of account A for trigger T and events E" here by the
-- primary key, so it reads only matching rows however many webhooks an account has.
CREATE TABLE webhook_subscriptions (
  account_id TEXT NOT NULL,
  trigger TEXT NOT NULL,
  event_id TEXT NOT NULL,
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  PRIMARY KEY (account_id, trigger, event_id, webhook_id)
) WITHOUT ROWID;

CREATE INDEX webhook_subscriptions_by_webhook ON webhook_subscriptions (webhook_id);
