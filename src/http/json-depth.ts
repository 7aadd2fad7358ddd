// How deeply a parsed JSON value nests, and whether it holds a number that cannot be passed
// through exactly. Records deeper than a few dozen levels are refused at the door: serialising
// them (JSON.stringify, queue and RPC structured clones) recurses, and a record of ~5000 levels
// fits in 100 KiB yet overflows the stack there.
import { z } from "@hono/zod-openapi";
import { withCode } from "./field-errors";

const MAX_JSON_DEPTH = 32;

/**
 * A number JSON cannot carry through here as sent: beyond ±(2^53 − 1) a JavaScript number is no
 * longer exact (12345678901234567890 would arrive as 12345678901234567000, 1e999 as null).
 */
const isLossy = (n: number) => !(Math.abs(n) <= Number.MAX_SAFE_INTEGER);

/**
 * Whether `value` nests objects or arrays deeper than `max` levels, and whether it holds a lossy
 * number: one pass, iterative, so safe on any input.
 */
function inspectJson(value: unknown, max: number): { tooDeep: boolean; lossy: boolean } {
  let lossy = false;
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item === "number") {
      if (isLossy(item)) lossy = true;
      continue;
    }
    if (typeof item !== "object" || item === null) continue;
    if (depth > max) return { tooDeep: true, lossy };
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return { tooDeep: false, lossy };
}

/** The path to the first lossy number in `value` (which holds one and nests boundedly). */
function lossyPath(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === "number") return isLossy(value) ? path : null;
  if (typeof value !== "object" || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const found = lossyPath(child, [...path, Array.isArray(value) ? Number(key) : key]);
    if (found) return found;
  }
  return null;
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
  .superRefine((record, ctx) => {
    const { tooDeep, lossy } = inspectJson(record, MAX_JSON_DEPTH);
    if (tooDeep) {
      ctx.addIssue({
        code: "custom",
        ...withCode("too_big", `Must not nest objects or arrays deeper than ${MAX_JSON_DEPTH} levels`, {
          maximum: MAX_JSON_DEPTH,
          origin: "depth",
        }),
      });
    } else if (lossy) {
      ctx.addIssue({
        code: "custom",
        path: lossyPath(record) ?? [],
        ...withCode(
          "too_big",
          `Numbers beyond ±${Number.MAX_SAFE_INTEGER} cannot be passed through exactly (they would arrive altered); send them as strings`,
          { maximum: Number.MAX_SAFE_INTEGER, origin: "number" },
        ),
      });
    }
  })
  .openapi({ type: "object", additionalProperties: true });
