// @ts-check
// What went wrong, in the page's language: a field error by its API `code` and `params`, any
// other refusal by its problem type. The API's English `message` and `detail` are never shown.
import { ApiError } from "./api.js";
import { has, t } from "./i18n.js";

/** @typedef {import("./api.js").FieldError} FieldError */

/** The more specific wordings of a code, most specific first (see i18n/en-errors.ts). */
function variants(/** @type {FieldError} */ error) {
  const params = error.params ?? {};
  switch (error.code) {
    case "too_small":
      return params.origin === "string" && params.minimum === 1 ? ["empty"] : [String(params.origin)];
    case "too_big":
      return [String(params.origin)];
    case "invalid_format":
      return [String(params.format)];
    case "url_scheme":
      return Array.isArray(params.allowed) && params.allowed.includes("http") ? ["or_http"] : [];
    default:
      return [];
  }
}

/**
 * A field error as the page words it. A key per field applies to the field itself only, not to
 * one of its items ("event_ids", not "event_ids.3").
 * @param {FieldError} error
 */
export function fieldErrorText(error) {
  const keys = [
    `error_${error.code}_${error.path}`,
    // One of the custom headers (headers.X-Api-Key): its rules, whatever its name.
    ...(error.path.startsWith("headers.") ? [`error_${error.code}_header`] : []),
    ...variants(error).map((variant) => `error_${error.code}_${variant}`),
    `error_${error.code}`,
  ];
  /** @type {Record<string, string | number>} */
  const values = {};
  for (const [name, value] of Object.entries(error.params ?? {})) {
    values[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return t(keys.find(has) ?? "error_invalid_value", values);
}

/** Anything that went wrong, as one sentence; a 500 names its request id. @param {unknown} error */
export function errorText(error) {
  if (!(error instanceof ApiError)) return t("problem_script");
  if (error.status === 0) return t("unreachable");
  const key = `problem_${error.code}`;
  return t(has(key) ? key : "problem_other", {
    status: error.status,
    seconds: error.retryAfter ?? 10,
    request_id: error.problem.request_id ?? "—",
  });
}
