-- Changes to a webhook apply at once: every change of its configuration (PATCH, a secret rotation,
-- a disable by the service) counts its version up, so that the webhook's Durable Object lets no
-- delivery start with a configuration older than the last change's answer.
ALTER TABLE webhooks ADD COLUMN config_version INTEGER NOT NULL DEFAULT 1;
-- Why a delivery failed, as the receiver said it: the last answer's status, its body cut to 1 KiB
-- and whether it was cut (JSON; NULL when no answer came, e.g. a timeout).
ALTER TABLE failed_deliveries ADD COLUMN last_response TEXT;
