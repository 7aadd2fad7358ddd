// The URL policy as field errors of a webhook body, so that a bad URL is reported in the same
// answer as every other bad field (createRouter runs it beside the schema). Unless private URLs
// are allowed, the host's DNS answers are judged on save too: a name that resolves to a
// non-public address is refused like one that is such an address. A name that does not resolve
// now (not set up yet, or DNS unreachable) is accepted: before each send it is looked up again.
import { configOf } from "../config";
import type { FieldError } from "../http/field-errors";
import { checkDestination } from "./destination";
import { checkWebhookUrl, MAX_URL_LENGTH, type UrlPolicy, type UrlRefusal } from "./url-policy";

/** How long saving a webhook waits for its host's DNS answers. */
export const SAVE_DNS_TIMEOUT_MS = 2000;

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
export async function urlPolicyErrors(body: unknown, env: Env): Promise<FieldError[]> {
  const url = typeof body === "object" && body !== null ? (body as { url?: unknown }).url : undefined;
  if (typeof url !== "string") return [];
  const config = configOf(env);
  const policy = { allowPrivate: config.allowPrivateUrls };
  const verdict = checkWebhookUrl(url, policy);
  if (!verdict.ok) return [{ path: "url", message: verdict.message, ...CODES[verdict.reason](policy) }];
  if (policy.allowPrivate) return [];
  const destination = await checkDestination(verdict.url.hostname, {
    dohUrl: config.dohUrl,
    timeoutMs: SAVE_DNS_TIMEOUT_MS,
    nowMs: Date.now(),
  });
  if (destination.ok || destination.blocked === undefined) return [];
  return [
    { path: "url", message: `${destination.blocked}: only public hosts are allowed`, code: "private_host" },
  ];
}
