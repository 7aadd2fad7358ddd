// Field errors as API clients get them: a stable code (from zod's issue code, or the check's own)
// and the numbers a translation needs, beside the English message.
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { ChangeIn } from "../../src/changes/schemas";
import { fieldErrors, withCode } from "../../src/http/field-errors";

const errorsOf = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input);
  return result.success ? [] : fieldErrors(result.error.issues);
};

describe("fieldErrors", () => {
  const Sample = z.strictObject({
    name: z.string().min(1).max(3),
    kind: z.enum(["a", "b"]),
    when: z.iso.datetime().optional(),
    even: z
      .number()
      .refine((n) => n % 2 === 0, withCode("invalid_value", "Must be even", { divisor: 2 }))
      .optional(),
    odd: z
      .number()
      .refine((n) => n % 2 === 1, "Must be odd")
      .optional(),
  });

  it.each([
    [
      { name: 1, kind: "a" },
      { path: "name", code: "invalid_type", params: { expected: "string" } },
    ],
    [
      { name: "", kind: "a" },
      { path: "name", code: "too_small", params: { minimum: 1, origin: "string" } },
    ],
    [
      { name: "abcd", kind: "a" },
      { path: "name", code: "too_big", params: { maximum: 3, origin: "string" } },
    ],
    [
      { name: "a", kind: "c" },
      { path: "kind", code: "invalid_value", params: { values: ["a", "b"] } },
    ],
    [
      { name: "a", kind: "a", when: "soon" },
      { path: "when", code: "invalid_format", params: { format: "datetime" } },
    ],
    [
      { name: "a", kind: "a", even: 3 },
      { path: "even", code: "invalid_value", params: { divisor: 2 } },
    ],
    [
      { name: "a", kind: "a", odd: 2 },
      { path: "odd", code: "invalid_value" },
    ],
  ])("words %j as %j", (input, expected) => {
    const [error] = errorsOf(Sample, input);
    expect(error).toEqual({ ...expected, message: expect.any(String) });
  });

  it("gives every unknown key an unknown_field error on its own path", () => {
    expect(errorsOf(Sample, { name: "a", kind: "a", x: 1, y: 2 })).toEqual([
      { path: "x", code: "unknown_field", message: "Unknown field" },
      { path: "y", code: "unknown_field", message: "Unknown field" },
    ]);
  });

  it("puts a prefix before each path, e.g. a batch item's index", () => {
    const [error] = fieldErrors(z.object({ n: z.number() }).safeParse({}).error?.issues ?? [], [
      "changes",
      3,
    ]);
    expect(error?.path).toBe("changes.3.n");
  });
});

describe("a change's result", () => {
  const change = { account_id: "acme", entity_type: "user", entity_id: 1 };

  it("is required for new and update (code required) and not allowed on delete (code not_allowed)", () => {
    expect(errorsOf(ChangeIn, { ...change, action_type: "update" })).toEqual([
      expect.objectContaining({ path: "result", code: "required" }),
    ]);
    expect(errorsOf(ChangeIn, { ...change, action_type: "delete", result: {} })).toEqual([
      expect.objectContaining({ path: "result", code: "not_allowed" }),
    ]);
  });
});
