-- The events catalog: each account's EventInsight events (Veranstaltungen), kept up to date by
-- origin services (PUT /v1/events) so that admins pick the events a webhook includes by name.
-- A webhook's event_ids may still name ids that are not (or no longer) here.
CREATE TABLE events (
  account_id TEXT NOT NULL,              -- the tenant; every query is scoped by it
  id TEXT NOT NULL,                      -- the origin's event id, e.g. ev_2026_fair
  name TEXT NOT NULL,
  starts_at TEXT,                        -- ISO 8601 in UTC, or NULL
  name_key TEXT NOT NULL,                -- the name folded (lower case, no accents): list order
  search_key TEXT NOT NULL,              -- id and name folded, one per line: what ?query= matches
  updated_at TEXT NOT NULL,
  PRIMARY KEY (account_id, id)
) WITHOUT ROWID;

-- Lists run in name order within an account, paged by (name_key, id).
CREATE INDEX events_by_name ON events (account_id, name_key, id);
