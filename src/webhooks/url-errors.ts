// The URL policy as field errors of a webhook body (its url, and the token_url of its endpoint
// authentication), so that a bad URL is reported in the same answer as every other bad field
// (createRouter runs it beside the schema). Unless private URLs
// are allowed, the host's DNS answers are judged on save too: a name that resolves to a
// non-public address is refused like one that is such an address. A name that does not resolve
// now (not set up yet, or DNS unreachable) is accepted: before each send it is looked up again.
import { configOf } from "../config";
import type { FieldError } from "../http/field-errors";
import { checkDestination } from "./destination";
import { checkWebhookUrl, MAX_URL_LENGTH, type UrlPolicy, type UrlRefusal } from "./url-policy";

/** How long saving a webhook waits for its host's DNS answers. */
const SAVE_DNS_TIMEOUT_MS = 2000;

type Coded = Pick<FieldError, "code" | "params">;

const CODES: Record<UrlRefusal, (policy: UrlPolicy) => Coded> = {
  invalid: () => ({ code: "invalid_url" }),
  control_characters: () => ({ code: "control_characters" }),
  scheme: ({ allowPrivate }) => ({
    code: "url_scheme",
    params: { allowed: allowPrivate ? ["https", "http"] : ["https"] },
  }),
  userinfo: () => ({ code: "url_userinfo" }),
  port: () => ({ code: "url_port" }),
  too_long: () => ({ code: "too_big", params: { maximum: MAX_URL_LENGTH, origin: "string" } }),
  private_host: () => ({ code: "private_host" }),
};

/** Where a webhook body names URLs the service will request: its endpoint and its token endpoint. */
function urlsOf(body: unknown): { path: string; url: string }[] {
  const { url, auth } = (typeof body === "object" && body !== null ? body : {}) as {
    url?: unknown;
    auth?: { token_url?: unknown } | null;
  };
  const tokenUrl = typeof auth === "object" && auth !== null ? auth.token_url : undefined;
  return [
    ...(typeof url === "string" ? [{ path: "url", url }] : []),
    ...(typeof tokenUrl === "string" ? [{ path: "auth.token_url", url: tokenUrl }] : []),
  ];
}

/** The errors of the body's `url` and `auth.token_url` under the environment's policy. */
export async function urlPolicyErrors(body: unknown, env: Env): Promise<FieldError[]> {
  const config = configOf(env);
  const policy = { allowPrivate: config.allowPrivateUrls };
  const errors = await Promise.all(urlsOf(body).map(({ path, url }) => urlError(path, url, policy, config)));
  return errors.filter((error) => error !== null);
}

async function urlError(
  path: string,
  url: string,
  policy: UrlPolicy,
  config: { dohUrl: string },
): Promise<FieldError | null> {
  const verdict = checkWebhookUrl(url, policy);
  if (!verdict.ok) return { path, message: verdict.message, ...CODES[verdict.reason](policy) };
  if (policy.allowPrivate) return null;
  const destination = await checkDestination(verdict.url.hostname, {
    dohUrl: config.dohUrl,
    timeoutMs: SAVE_DNS_TIMEOUT_MS,
    nowMs: Date.now(),
  });
  if (destination.ok || destination.blocked === undefined) return null;
  return { path, message: `${destination.blocked}: only public hosts are allowed`, code: "private_host" };
}
