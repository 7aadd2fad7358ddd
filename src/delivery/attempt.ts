// One attempt of a job against its webhook: checked, sent, judged, and its log entry made (the
// caller records it: in a batch, the webhook's object does when it hears the outcome).
import { type Config, configOf } from "../config";
import { type Payload, payloadBody } from "../messages/payload";
import { type LoggedRequest, logEntryOf } from "../request-log/entry";
import type { LogEntry } from "../request-log/schemas";
import { checkDestination, DNS_TIMEOUT_MS } from "../webhooks/destination";
import { checkWebhookUrl } from "../webhooks/url-policy";
import { classify, type Verdict } from "./policy";
import { type AttemptResult, type ExchangeClock, sendAttempt, signedHeaders } from "./send";
import type { Target } from "./targets";

export interface Attempted {
  result: AttemptResult;
  verdict: Verdict;
  entry: LogEntry;
}

/**
 * Why nothing may be sent to `url` now, or null: the URL policy (again at send time: the URL may
 * predate a policy change), then what the host resolves to. Refusals follow the retry schedule.
 */
async function refusalOf(url: string, config: Config): Promise<string | null> {
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

/** The log of a request that was never made: what would have been sent, and why it was not. */
async function refusedAttempt(
  target: Target,
  what: { messageId: string; body: string; started: number },
  error: string,
): Promise<AttemptResult> {
  const { messageId, body, started } = what;
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    request: {
      url: target.webhook.url,
      method: "POST",
      headers: await signedHeaders(
        { messageId, body, signingKeys: target.signingKeys, headers: target.headers },
        started,
      ),
      body,
    },
    response: null,
    error,
  };
}

export async function attemptDelivery(
  env: Env,
  target: Target,
  what: LoggedRequest & { payload: Payload; body?: string },
  clock?: ExchangeClock,
): Promise<Attempted> {
  const config = configOf(env);
  const body = what.body ?? payloadBody(what.payload);
  const started = Date.now();
  const refusal = await refusalOf(target.webhook.url, config);
  const result =
    refusal === null
      ? await sendAttempt(
          {
            url: target.webhook.url,
            messageId: what.messageId,
            body,
            signingKeys: target.signingKeys,
            headers: target.headers,
            timeoutMs: config.deliveryTimeoutMs,
          },
          clock,
        )
      : await refusedAttempt(target, { messageId: what.messageId, body, started }, refusal);
  const verdict = classify({ status: result.response?.status ?? null, error: result.error });
  return { result, verdict, entry: logEntryOf(what, result, verdict.kind === "success") };
}
