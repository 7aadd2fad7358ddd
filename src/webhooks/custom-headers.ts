// Extra request headers of a webhook (e.g. an API key for the receiver's gateway). Their values
// are credentials: sealed at rest like the signing secret, shown in full only in the create and
// PATCH answers and on GET /v1/webhooks/{id}/headers, as MASK everywhere else.
import { z } from "@hono/zod-openapi";
import { type FieldErrorCode, type FieldErrorParams, withCode } from "../http/field-errors";
import { decryptSecret, encryptSecret, resealSecret, type SecretKeys } from "./secrets";

export type CustomHeaders = Record<string, string>;

const MAX_HEADERS = 10;
const MAX_HEADER_NAME_LENGTH = 100;
const MAX_HEADER_VALUE_LENGTH = 1000;
export const MASK = "••••";

/** Headers the service sets itself, lower case; `webhook-*` is reserved as a whole. */
const RESERVED_HEADERS = ["content-type", "content-length", "host", "user-agent"];
const RESERVED_PREFIX = "webhook-";
/**
 * Headers about the connection or the body's encoding: the runtime drops most of them, and
 * `upgrade` makes it send the request without its body. Refused rather than silently lost.
 */
const TRANSPORT_HEADERS = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-encoding",
];

// RFC 9110 field names are tokens.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
// Header values travel as bytes: a character beyond ASCII cannot be sent as it is typed.
const NOT_PRINTABLE_ASCII = /[^ -~]/;

interface HeaderProblem {
  /** The header's name as sent, or null for the set as a whole. */
  name: string | null;
  /** What kind of problem, for clients to word it: its name's or its value's (see docs/api.md). */
  code: FieldErrorCode;
  message: string;
  params?: FieldErrorParams;
}

type Problem = Omit<HeaderProblem, "name">;

function nameProblem(name: string, seen: Set<string>): Problem | null {
  const lower = name.toLowerCase();
  if (name.length > MAX_HEADER_NAME_LENGTH) {
    return {
      code: "header_name_too_long",
      message: `Must be at most ${MAX_HEADER_NAME_LENGTH} characters`,
      params: { maximum: MAX_HEADER_NAME_LENGTH },
    };
  }
  if (!TOKEN.test(name)) {
    return {
      code: "header_name_invalid",
      message: "Must be an HTTP header name: letters, digits and !#$%&'*+-.^_`|~",
    };
  }
  if (name === "__proto__") return { code: "header_name_reserved", message: "Not allowed as a header name" };
  if (RESERVED_HEADERS.includes(lower) || lower.startsWith(RESERVED_PREFIX)) {
    return { code: "header_name_reserved", message: "Set by the service itself; choose another header name" };
  }
  if (TRANSPORT_HEADERS.includes(lower)) {
    return {
      code: "header_name_transport",
      message: "Controls how the request is sent; it cannot be set per webhook",
    };
  }
  if (seen.has(lower)) {
    return { code: "duplicate", message: "Duplicates another header: header names are case-insensitive" };
  }
  seen.add(lower);
  return null;
}

function valueProblem(value: unknown): Problem | null {
  if (typeof value !== "string") {
    return { code: "invalid_type", message: "Must be a string", params: { expected: "string" } };
  }
  if (value.length > MAX_HEADER_VALUE_LENGTH) {
    return {
      code: "header_value_too_long",
      message: `Must be at most ${MAX_HEADER_VALUE_LENGTH} characters`,
      params: { maximum: MAX_HEADER_VALUE_LENGTH },
    };
  }
  if (CONTROL_CHARACTER.test(value)) {
    return { code: "control_characters", message: "Must not contain control characters such as line breaks" };
  }
  if (NOT_PRINTABLE_ASCII.test(value)) {
    return { code: "header_value_not_ascii", message: "Must contain only ASCII characters" };
  }
  if (value.trim() !== value)
    return { code: "header_value_spaces", message: "Must not begin or end with a space" };
  return null;
}

/** Everything wrong with a set of headers, per header; never quotes a value. Pure. */
export function headerProblems(headers: Record<string, unknown>): HeaderProblem[] {
  const entries = Object.entries(headers);
  const problems: HeaderProblem[] = [];
  if (entries.length > MAX_HEADERS) {
    problems.push({
      name: null,
      code: "too_many_headers",
      message: `At most ${MAX_HEADERS} headers`,
      params: { maximum: MAX_HEADERS },
    });
  }
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const problem = nameProblem(name, seen) ?? valueProblem(value);
    if (problem) problems.push({ name, ...problem });
  }
  return problems;
}

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const HEADER_RULES = `At most ${MAX_HEADERS} headers. Names are HTTP tokens (at most ${MAX_HEADER_NAME_LENGTH} characters, each at most once) other than ${RESERVED_HEADERS.join(", ")}, webhook-* and the connection headers ${TRANSPORT_HEADERS.join(", ")}, case-insensitively; values are printable ASCII without leading or trailing spaces, at most ${MAX_HEADER_VALUE_LENGTH} characters.`;

/** The `headers` field: validated as sent, never rebuilt (a rebuilt object would drop odd keys silently). */
export const CustomHeadersField = z
  .custom<CustomHeaders>(isJsonObject, { message: "Must be an object of header names and values" })
  .superRefine((headers, ctx) => {
    for (const problem of headerProblems(headers)) {
      ctx.addIssue({
        code: "custom",
        path: problem.name === null ? [] : [problem.name],
        ...withCode(problem.code, problem.message, problem.params),
      });
    }
  })
  .openapi({
    type: "object",
    maxProperties: MAX_HEADERS,
    additionalProperties: { type: "string", maxLength: MAX_HEADER_VALUE_LENGTH },
    description: `Extra request headers sent with every request, e.g. an API key for the receiver's gateway. ${HEADER_RULES}`,
    example: { "X-Api-Key": "k_live_4f9a" },
  });

/** The headers as every answer but create, PATCH and /headers shows them: names, values masked. */
export function maskedHeaders(names: readonly string[]): CustomHeaders {
  return Object.fromEntries(names.map((name) => [name, MASK]));
}

/** The standard headers of a delivered request; any other header is a webhook's own. */
const STANDARD_HEADERS = new Set([
  "content-type",
  "user-agent",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
]);

/** A request's headers for the request log: a webhook's own headers masked. */
export function maskCustomHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      STANDARD_HEADERS.has(name.toLowerCase()) ? value : MASK,
    ]),
  );
}

// Bound to the webhook id and to their purpose: a sealed secret copied here does not open.
const boundTo = (webhookId: string) => `${webhookId}#headers`;

/** The sealed form stored in D1, or null for no headers. */
export async function sealHeaders(
  headers: CustomHeaders,
  webhookId: string,
  keys: SecretKeys,
): Promise<string | null> {
  if (Object.keys(headers).length === 0) return null;
  return encryptSecret(JSON.stringify(headers), boundTo(webhookId), keys);
}

export async function openHeaders(
  sealed: string | null,
  webhookId: string,
  keys: SecretKeys,
): Promise<CustomHeaders> {
  if (sealed === null) return {};
  return JSON.parse(await decryptSecret(sealed, boundTo(webhookId), keys)) as CustomHeaders;
}

/** Re-encrypts sealed headers under the current key (the cron's key rotation). */
export const resealHeaders = (sealed: string, webhookId: string, keys: SecretKeys) =>
  resealSecret(sealed, boundTo(webhookId), keys);
