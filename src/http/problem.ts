// RFC 9457 problem details: the one shape every error of this service takes.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { logError } from "../log";
import { FIELD_ERROR_CODES, type FieldError, type FieldErrorCode } from "./field-errors";

export { type FieldError, fieldErrors } from "./field-errors";

/** Every expected failure, by code: its status and title. */
export const PROBLEMS = {
  validation_failed: { status: 400, title: "The request is not valid" },
  malformed_json: { status: 400, title: "The body is not valid JSON" },
  unauthorized: { status: 401, title: "Missing or invalid credentials" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Not possible in the resource's current state" },
  superseded: { status: 409, title: "A newer change of the same record was delivered since" },
  payload_too_large: { status: 413, title: "The body is too large" },
  unsupported_media_type: { status: 415, title: "The body must be application/json" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal_error: { status: 500, title: "Internal error" },
  queue_unavailable: { status: 503, title: "The work could not be queued" },
  unavailable: { status: 503, title: "A part of the service did not answer" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

const PROBLEM_TYPE_BASE = "https://eventinsight.io/problems/webhooks/";

export class ApiError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

export const notFound = (what: string) => new ApiError("not_found", `${what} does not exist.`);

export function validationError(errors: FieldError[], detail?: string): ApiError {
  const summary = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ");
  return new ApiError("validation_failed", detail ?? summary, errors);
}

export const invalidCursor = () =>
  validationError([{ path: "cursor", code: "invalid_cursor", message: "Not a cursor this API handed out" }]);

/** The field error of a 400 that names no field: the body as a whole (path ""). */
function bodyError(code: ProblemCode, detail: string): FieldError {
  const fieldCode = FIELD_ERROR_CODES.includes(code as FieldErrorCode)
    ? (code as FieldErrorCode)
    : "invalid_value";
  return { path: "", code: fieldCode, message: detail };
}

function problemJson(
  c: Context,
  code: ProblemCode,
  detail: string,
  extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
): Response {
  const { status, title } = PROBLEMS[code];
  // Every 400 says where the problem is: a field's path, or "" for the body as a whole.
  const errors = extra.errors ?? (status === 400 ? [bodyError(code, detail)] : undefined);
  const body = {
    type: PROBLEM_TYPE_BASE + code,
    title,
    status,
    detail,
    instance: new URL(c.req.url).pathname,
    request_id: c.get("requestId") as string | undefined,
    ...(errors ? { errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", ...extra.headers },
  });
}

const HTTP_EXCEPTION_CODES: Partial<Record<number, ProblemCode>> = {
  400: "malformed_json",
  401: "unauthorized",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** The one error handler: expected errors become problems; anything else a 500 that leaks nothing. */
export function onError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    return problemJson(c, error.code, error.detail, { errors: error.errors, headers: error.headers });
  }
  if (error instanceof HTTPException) {
    const code = HTTP_EXCEPTION_CODES[error.status];
    if (code) {
      const challenge = error.res?.headers.get("www-authenticate");
      const detail = code === "unauthorized" ? "A valid bearer token is required." : error.message;
      return problemJson(c, code, detail || PROBLEMS[code].title, {
        headers: challenge ? { "www-authenticate": challenge } : undefined,
      });
    }
  }
  logError("request failed on our side; answered 500", error, { request_id: c.get("requestId") });
  return problemJson(
    c,
    "internal_error",
    "Something went wrong on our side. Quote the request_id when asking.",
  );
}
