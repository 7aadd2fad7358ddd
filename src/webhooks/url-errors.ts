// The URL policy as field errors of a webhook body, so that a bad URL is reported in the same
// answer as every other bad field (createRouter runs it beside the schema).
import { configOf } from "../config";
import type { FieldError } from "../http/field-errors";
import { checkWebhookUrl, MAX_URL_LENGTH, type UrlPolicy, type UrlRefusal } from "./url-policy";

type Coded = Pick<FieldError, "code" | "params">;

const CODES: Record<UrlRefusal, (policy: UrlPolicy) => Coded> = {
  invalid: () => ({ code: "invalid_url" }),
  control_characters: () => ({ code: "control_characters" }),
  scheme: ({ allowPrivate }) => ({
    code: "url_scheme",
    params: { allowed: allowPrivate ? ["https", "http"] : ["https"] },
  }),
  userinfo: () => ({ code: "url_userinfo" }),
  too_long: () => ({ code: "too_big", params: { maximum: MAX_URL_LENGTH, origin: "string" } }),
  private_host: () => ({ code: "private_host" }),
};

/** The error of the body's `url` under the environment's policy, if it has a string url. */
export function urlPolicyErrors(body: unknown, env: Env): FieldError[] {
  const url = typeof body === "object" && body !== null ? (body as { url?: unknown }).url : undefined;
  if (typeof url !== "string") return [];
  const policy = { allowPrivate: configOf(env).allowPrivateUrls };
  const verdict = checkWebhookUrl(url, policy);
  return verdict.ok ? [] : [{ path: "url", message: verdict.message, ...CODES[verdict.reason](policy) }];
}
