// A receiver typed from the document's `webhooks` section: every delivered body, a test among
// them, and how a sync applies them.
import type { webhooks } from "./api";

type Delivered = {
  [Trigger in keyof webhooks]: webhooks[Trigger]["post"] extends {
    requestBody?: { content: { "application/json": infer Body } };
  }
    ? Body
    : never;
}[keyof webhooks];

const records = new Map<string, unknown>();

export function apply(body: Delivered): void {
  // A test carries the admin's own user record: not a change to sync.
  if (body.action_type === "test") return;
  const key = `${body.entity_type}:${body.entity_id}`;
  if (body.action_type === "delete") records.delete(key);
  else records.set(key, body.result);
}

// @ts-expect-error the types are real: a delete carries no result
export const deleted: Delivered = { entity_type: "user", entity_id: 1, action_type: "delete", result: {} };
