// One attempt of a job against its webhook, checked, sent, logged and judged.
import { configOf } from "../config";
import { requestLogOf } from "../request-log/durable-object";
import { type LoggedRequest, logEntryOf } from "../request-log/entry";
import type { LogEntry } from "../request-log/schemas";
import { checkWebhookUrl } from "../webhooks/url-policy";
import { type Payload, payloadBody } from "./job";
import { classify, type Verdict } from "./policy";
import { type AttemptResult, sendAttempt, signedHeaders } from "./send";
import type { Target } from "./targets";

export interface Attempted {
  result: AttemptResult;
  verdict: Verdict;
  entry: LogEntry;
}

/** Refuses destinations that are not public (again at send time: the URL may predate a policy change). */
async function blockedAttempt(
  target: Target,
  messageId: string,
  body: string,
  reason: string,
): Promise<AttemptResult> {
  const now = Date.now();
  return {
    startedAt: new Date(now).toISOString(),
    durationMs: 0,
    request: {
      url: target.webhook.url,
      method: "POST",
      headers: await signedHeaders({ messageId, body, secrets: target.secrets }, now),
      body,
    },
    response: null,
    error: `destination_blocked: ${reason}`,
  };
}

export async function attemptDelivery(
  env: Env,
  target: Target,
  what: LoggedRequest & { payload: Payload; body?: string },
): Promise<Attempted> {
  const config = configOf(env);
  const body = what.body ?? payloadBody(what.payload);
  const verdictOfUrl = checkWebhookUrl(target.webhook.url, { allowPrivate: config.allowPrivateUrls });
  const result = verdictOfUrl.ok
    ? await sendAttempt({
        url: target.webhook.url,
        messageId: what.messageId,
        body,
        secrets: target.secrets,
        timeoutMs: config.deliveryTimeoutMs,
      })
    : await blockedAttempt(target, what.messageId, body, verdictOfUrl.message);
  const verdict = classify({ status: result.response?.status ?? null, error: result.error });
  const entry = logEntryOf(what, result, verdict.kind === "success");
  await recordQuietly(env, target.webhook.id, entry);
  return { result, verdict, entry };
}

/** The log is a debugging aid: failing to write it must not turn a delivery into a duplicate. */
async function recordQuietly(env: Env, webhookId: string, entry: LogEntry): Promise<void> {
  try {
    await requestLogOf(env, webhookId).record(entry);
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: "request log write failed",
        webhook_id: webhookId,
        error: String(error),
      }),
    );
  }
}
