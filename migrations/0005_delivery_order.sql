-- Order per entity: a failed delivery keeps its change's place in the order of acceptance, so that
-- recover and redeliver can tell whether a newer change of its entity was delivered since (it is
-- then superseded and never sent again). NULL for deliveries recorded before this migration.
ALTER TABLE failed_deliveries ADD COLUMN seq INTEGER;
