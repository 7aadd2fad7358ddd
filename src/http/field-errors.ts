// Field errors carry a stable `code` (what clients translate and branch on) beside an English
// `message` (for people reading API answers). Codes come from zod's issue codes where they fit;
// the service's own checks add theirs. `params` holds what a translation needs, e.g. `maximum`.
import type { z } from "zod";

export const FIELD_ERROR_CODES = [
  // derived from zod's issue codes
  "invalid_type",
  "too_small",
  "too_big",
  "invalid_format",
  "invalid_value",
  "unknown_field",
  // the service's own checks
  "control_characters",
  "invalid_url",
  "url_scheme",
  "url_userinfo",
  "url_port",
  "private_host",
  "invalid_cursor",
  "duplicate",
  "required",
  "not_allowed",
  "malformed_json",
  // a webhook's custom headers (src/webhooks/custom-headers.ts)
  "header_name_invalid",
  "header_name_too_long",
  "header_name_reserved",
  "header_name_transport",
  "header_value_too_long",
  "header_value_not_ascii",
  "header_value_spaces",
  "too_many_headers",
] as const;

export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export type FieldErrorParams = Record<string, string | number | boolean | (string | number)[]>;

export interface FieldError {
  path: string;
  code: FieldErrorCode;
  message: string;
  params?: FieldErrorParams;
}

const isFieldErrorCode = (value: unknown): value is FieldErrorCode =>
  FIELD_ERROR_CODES.includes(value as FieldErrorCode);

const primitives = (values: readonly unknown[]) =>
  values.map((value) => (typeof value === "number" ? value : String(value)));

/** The code and params of one zod issue; a custom check names its code in `params.code`. */
function classify(issue: z.core.$ZodIssue): Pick<FieldError, "code" | "params"> {
  switch (issue.code) {
    case "invalid_type":
      return { code: "invalid_type", params: { expected: issue.expected } };
    case "too_small":
      return { code: "too_small", params: { minimum: Number(issue.minimum), origin: issue.origin } };
    case "too_big":
      return { code: "too_big", params: { maximum: Number(issue.maximum), origin: issue.origin } };
    case "invalid_format":
      return { code: "invalid_format", params: { format: issue.format } };
    case "invalid_value":
      return { code: "invalid_value", params: { values: primitives(issue.values) } };
    case "custom": {
      const { code, ...params } = issue.params ?? {};
      return isFieldErrorCode(code) ? { code, params } : { code: "invalid_value" };
    }
    default:
      return { code: "invalid_value" };
  }
}

/** Zod issues as field errors; an unknown key becomes an error on that key's own path. */
export function fieldErrors(
  issues: readonly z.core.$ZodIssue[],
  prefix: (string | number)[] = [],
): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: [...path, key].join("."),
        code: "unknown_field",
        message: "Unknown field",
      }));
    }
    const { code, params } = classify(issue);
    const hasParams = params && Object.keys(params).length > 0;
    return [{ path: path.join("."), code, message: issue.message, ...(hasParams ? { params } : {}) }];
  });
}

/** A custom zod check's message and issue params: the code it reports and that code's params. */
export const withCode = (code: FieldErrorCode, message: string, params: FieldErrorParams = {}) => ({
  message,
  params: { code, ...params },
});
