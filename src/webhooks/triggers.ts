// What a webhook can subscribe to: an entity type and what happened to it.
export const ENTITY_TYPES = ["user", "company"] as const;
export const ACTION_TYPES = ["new", "update", "delete"] as const;
export const TRIGGERS = [
  "user.new",
  "user.update",
  "user.delete",
  "company.new",
  "company.update",
  "company.delete",
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];
export type ActionType = (typeof ACTION_TYPES)[number];
export type Trigger = (typeof TRIGGERS)[number];

export const triggerOf = (entityType: EntityType, actionType: ActionType): Trigger =>
  `${entityType}.${actionType}`;
