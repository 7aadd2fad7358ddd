// Helpers for consumer tests: message batches, a spied receiver, and what the consumers queued.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import worker from "../src/index";

export const QUEUES = {
  changes: "eventinsight-changes",
  deliveries: "eventinsight-deliveries",
  deadLetters: "eventinsight-dead-letters",
} as const;

let seq = Date.now() * 1000;

export function changeMessage(change: Record<string, unknown> = {}, changeId = `chg_${crypto.randomUUID()}`) {
  return {
    type: "change",
    change_id: changeId,
    identity: changeId,
    seq: seq++,
    received_at: new Date().toISOString(),
    change: {
      account_id: "acme",
      entity_type: "user",
      entity_id: 42,
      action_type: "update",
      result: { name: "Ada" },
      event_ids: [],
      ...change,
    },
  };
}

/** A deliveries-queue message: one change to one webhook, attempt 1 unless overridden. */
export function deliveryMessage(
  webhook: { id: string },
  account: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    type: "delivery",
    job: {
      webhook_id: webhook.id,
      account_id: account,
      change_id: `chg_${crypto.randomUUID()}`,
      message_id: `msg_${crypto.randomUUID().slice(0, 8)}`,
      payload: { entity_id: 1, entity_type: "company", action_type: "update", result: { name: "ACME" } },
      attempt: 1,
      first_attempt_at: null,
      ...overrides,
    },
  };
}

/** Runs one batch through the Worker's queue handler; answers which messages were acked or retried. */
export async function runBatch(queue: string, bodies: unknown[], testEnv: Env = env) {
  const messages = bodies.map((body) => ({
    id: crypto.randomUUID(),
    timestamp: new Date(),
    attempts: 1,
    body,
  }));
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv, ctx);
  const result = await getQueueResult(batch, ctx);
  const ids = messages.map((m) => m.id);
  return {
    acked: ids.map((id) => result.explicitAcks.includes(id)),
    retried: ids.map((id) => result.retryMessages.some((r) => r.msgId === id)),
    result,
  };
}

export interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const PUBLIC_ADDRESSES = { A: "93.184.215.14", AAAA: "2606:4700:4700::1111" } as const;

/** Records of type A or AAAA per host name: what the fake DNS-over-HTTPS resolver answers. */
export type Resolve = (name: string, type: "A" | "AAAA") => string[] | Response;
export const resolvePublic: Resolve = (_name, type) => [PUBLIC_ADDRESSES[type]];

/** The answer of the DNS-over-HTTPS resolver (DOH_URL) to `request`, or null for any other request. */
export function dnsAnswer(request: Request, resolve: Resolve = resolvePublic): Response | null {
  const url = new URL(request.url);
  if (`${url.origin}${url.pathname}` !== env.DOH_URL) return null;
  const name = url.searchParams.get("name") ?? "";
  const type = url.searchParams.get("type") === "AAAA" ? "AAAA" : "A";
  const records = resolve(name, type);
  if (records instanceof Response) return records;
  const Answer = records.map((data) => ({ name, type: type === "A" ? 1 : 28, TTL: 60, data }));
  return Response.json({ Status: 0, Answer });
}

/**
 * Replaces fetch: every request is recorded and answered by `answer` (default 200). DNS-over-HTTPS
 * lookups of webhook hosts are answered by `resolve` (default: public addresses) and not recorded.
 */
export function spyReceiver(
  answer: (req: Received, n: number) => Response | Promise<Response> = () => new Response("ok"),
  resolve: Resolve = resolvePublic,
) {
  const received: Received[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const dns = dnsAnswer(request, resolve);
    if (dns) return dns;
    const entry = {
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    };
    received.push(entry);
    return answer(entry, received.length);
  });
  return { received, spy };
}

/** Captures what is sent to a queue binding instead of sending it. */
export function captureQueue(queue: Queue) {
  const sent: { body: any; delaySeconds?: number }[] = [];
  const metadata = { metrics: { backlogCount: 0, backlogBytes: 0 } };
  const spy = vi.spyOn(queue, "sendBatch").mockImplementation(async (messages) => {
    for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds });
    return { metadata };
  });
  const single = vi.spyOn(queue, "send").mockImplementation(async (body, options) => {
    sent.push({ body, delaySeconds: options?.delaySeconds });
    return { metadata };
  });
  return { sent, spy, single };
}
