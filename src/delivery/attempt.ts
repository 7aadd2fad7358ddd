// One attempt of a job against its webhook: checked, sent, judged, and its log entry made (the
// caller records it: in a batch, the webhook's object does when it hears the outcome).
import { type Config, configOf } from "../config";
import { type Payload, payloadBody } from "../messages/payload";
import { type LoggedRequest, logEntryOf } from "../request-log/entry";
import type { LogEntry } from "../request-log/schemas";
import { MASK } from "../webhooks/custom-headers";
import { checkDestination, DNS_TIMEOUT_MS } from "../webhooks/destination";
import { checkWebhookUrl } from "../webhooks/url-policy";
import { classify, type Verdict } from "./policy";
import { type AttemptResult, type ExchangeClock, sendAttempt, signedHeaders } from "./send";
import type { Target } from "./targets";
import type { TokenGrant } from "./tokens";

export interface Attempted {
  result: AttemptResult;
  verdict: Verdict;
  entry: LogEntry;
}

/**
 * Why nothing may be sent to `url` now, or null: the URL policy (again at send time: the URL may
 * predate a policy change), then what the host resolves to. Refusals follow the retry schedule.
 */
export async function refusalOf(url: string, config: Config): Promise<string | null> {
  const verdict = checkWebhookUrl(url, { allowPrivate: config.allowPrivateUrls });
  if (!verdict.ok) return `destination_blocked: ${verdict.message}`;
  if (config.allowPrivateUrls) return null;
  const destination = await checkDestination(verdict.url.hostname, {
    dohUrl: config.dohUrl,
    timeoutMs: Math.min(config.deliveryTimeoutMs, DNS_TIMEOUT_MS),
    nowMs: Date.now(),
  });
  return destination.ok ? null : destination.error;
}

/**
 * The headers of the webhook's requests (its own, and its token as `authorization`), or why
 * nothing may be sent: its token request failed, or it has endpoint credentials but no token.
 */
function authorized(
  target: Target,
  auth?: TokenGrant,
): { headers: Record<string, string>; refusal?: string } {
  if (!target.webhook.auth) return { headers: target.headers };
  if (auth && "token" in auth)
    return { headers: { ...target.headers, authorization: `Bearer ${auth.token}` } };
  // The log shows the header the request would have carried (masked, like every credential).
  const headers = { ...target.headers, authorization: MASK };
  return { headers, refusal: auth ? auth.error : "auth: no token obtained" };
}

/** The log of a request that was never made: what would have been sent, and why it was not. */
async function refusedAttempt(
  target: Target,
  what: { messageId: string; body: string; started: number; headers: Record<string, string> },
  error: string,
): Promise<AttemptResult> {
  const { messageId, body, started, headers } = what;
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    request: {
      url: target.webhook.url,
      method: "POST",
      headers: await signedHeaders({ messageId, body, signingKeys: target.signingKeys, headers }, started),
      body,
    },
    response: null,
    error,
  };
}

/** One attempt; `auth` is what the webhook's object gave for its endpoint credentials, if it has any. */
export async function attemptDelivery(
  env: Env,
  target: Target,
  what: LoggedRequest & { payload: Payload; body?: string },
  clock?: ExchangeClock,
  auth?: TokenGrant,
): Promise<Attempted> {
  const config = configOf(env);
  const body = what.body ?? payloadBody(what.payload);
  const started = Date.now();
  const { headers, refusal: authRefusal } = authorized(target, auth);
  const refusal = authRefusal ?? (await refusalOf(target.webhook.url, config));
  const result =
    refusal === null
      ? await sendAttempt(
          {
            url: target.webhook.url,
            messageId: what.messageId,
            body,
            signingKeys: target.signingKeys,
            headers,
            timeoutMs: config.deliveryTimeoutMs,
          },
          clock,
        )
      : await refusedAttempt(target, { messageId: what.messageId, body, started, headers }, refusal);
  const verdict = classify({ status: result.response?.status ?? null, error: result.error });
  return { result, verdict, entry: logEntryOf(what, result, verdict.kind === "success") };
}
