-- Operational notifications (webhook.failing, webhook.disabled, webhook.recovered): when the
-- account was last told that this webhook is in trouble (failing for an hour, or disabled), so
-- that it is told once per failure streak and again each day, and told when it recovers; and
-- which notice the last health update raised (read back by the consumer that wrote it).
ALTER TABLE webhooks ADD COLUMN trouble_reported_at TEXT;
ALTER TABLE webhooks ADD COLUMN notice TEXT;
