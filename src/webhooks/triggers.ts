// What a webhook can subscribe to: an entity type and what happened to it, or news about the
// account's other webhooks (operational notifications, never about events).
export const ENTITY_TYPES = ["user", "company"] as const;
export const ACTION_TYPES = ["new", "update", "delete"] as const;
export const ENTITY_TRIGGERS = [
  "user.new",
  "user.update",
  "user.delete",
  "company.new",
  "company.update",
  "company.delete",
] as const;
export const OPERATIONAL_TRIGGERS = ["webhook.failing", "webhook.disabled", "webhook.recovered"] as const;
export const TRIGGERS = [...ENTITY_TRIGGERS, ...OPERATIONAL_TRIGGERS] as const;
/** What a webhook created without `triggers` gets: every entity trigger, no operational one. */
export const DEFAULT_TRIGGERS = ENTITY_TRIGGERS;

type EntityType = (typeof ENTITY_TYPES)[number];
type ActionType = (typeof ACTION_TYPES)[number];
type EntityTrigger = (typeof ENTITY_TRIGGERS)[number];
type OperationalTrigger = (typeof OPERATIONAL_TRIGGERS)[number];
export type Trigger = (typeof TRIGGERS)[number];

export const triggerOf = (entityType: EntityType, actionType: ActionType): EntityTrigger =>
  `${entityType}.${actionType}`;

export const isOperationalTrigger = (trigger: Trigger): trigger is OperationalTrigger =>
  (OPERATIONAL_TRIGGERS as readonly string[]).includes(trigger);
