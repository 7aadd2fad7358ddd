// How deeply a parsed JSON value nests. Records deeper than a few dozen levels are refused at the
// door: serialising them (JSON.stringify, queue and RPC structured clones) recurses, and a record
// of ~5000 levels fits in 100 KiB yet overflows the stack there.
import { z } from "@hono/zod-openapi";
import { withCode } from "./field-errors";

export const MAX_JSON_DEPTH = 32;

/** Whether `value` nests objects or arrays deeper than `max` levels; iterative, so safe on any input. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== "object" || item === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A JSON object (a user or company record) of bounded nesting, passed through as it was sent:
 * validated, never rebuilt — rebuilding would drop a key such as "__proto__" (an assignment to it
 * sets the prototype instead), and receivers must get every key the origin sent.
 */
export const JsonRecord = z
  .custom<Record<string, unknown>>(
    isJsonObject,
    withCode("invalid_type", "Must be a JSON object", { expected: "object" }),
  )
  .refine(
    (record) => !nestsDeeperThan(record, MAX_JSON_DEPTH),
    withCode("too_big", `Must not nest objects or arrays deeper than ${MAX_JSON_DEPTH} levels`, {
      maximum: MAX_JSON_DEPTH,
      origin: "depth",
    }),
  )
  .openapi({ type: "object", additionalProperties: true });
