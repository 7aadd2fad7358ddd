// Helpers for consumer tests: message batches, a spied receiver, what the consumers queued, and
// what waits for a webhook (as GET /v1/webhooks/{id}/pending lists it).
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, vi } from "vitest";
import type { WebhookObject } from "../src/delivery/webhook-object";
import worker from "../src/index";
import { adminToken, call } from "./helpers";

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

/** Runs the deliveries consumer for a webhook, as its object's alarm wakes it when work is due. */
export const wake = (webhookId: string, testEnv: Env = env) =>
  runBatch(QUEUES.deliveries, [{ type: "wake", webhook_id: webhookId }], testEnv);

/** Runs the webhook's object's alarm now (if it has one): failed deliveries go to D1, a wake-up to the queue. */
export const runAlarm = (webhookId: string) => runDurableObjectAlarm(env.WEBHOOK_OBJECT.getByName(webhookId));

/** A delivery that waits or is out, as GET /v1/webhooks/{id}/pending lists it. */
export interface Pending {
  message_id: string;
  entity_type: string;
  entity_id: string | number;
  action_type: string;
  created_at: string;
  state: "retry" | "held" | "paced" | "out";
  attempt: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  held_behind: string | null;
}

/** What waits or is out for a webhook, oldest first, every page, as its account's admin reads it. */
export async function pendingOf(webhookId: string): Promise<Pending[]> {
  // The token is the only thing the test finds out behind the API's back: whose webhook it is.
  const owner = await env.DB.prepare("SELECT account_id FROM webhooks WHERE id = ?")
    .bind(webhookId)
    .first<{ account_id: string }>();
  if (!owner) return [];
  const token = await adminToken({ account_id: owner.account_id });
  const items: Pending[] = [];
  for (let cursor: string | null = ""; cursor !== null; ) {
    const query: string = cursor ? `?limit=100&cursor=${cursor}` : "?limit=100";
    const res = await call<{ data: Pending[]; next_cursor: string | null }>(
      "GET",
      `/v1/webhooks/${webhookId}/pending${query}`,
      { token },
    );
    if (res.status !== 200) throw new Error(`pending: ${res.status} ${res.text}`);
    items.push(...res.body.data);
    cursor = res.body.next_cursor;
  }
  return items;
}

/** When a pending delivery may go next (epoch ms; NaN while held or out). */
export const dueAtOf = (pending: Pending | undefined) => Date.parse(pending?.next_attempt_at ?? "");

/** When the webhook's object's alarm is set for (null: none). */
export const alarmOf = (webhookId: string) =>
  runInDurableObject(env.WEBHOOK_OBJECT.getByName(webhookId), (_: WebhookObject, state) =>
    state.storage.getAlarm(),
  );

/**
 * Date for the test and the objects alike (they share the isolate), moved on by `later`; timers
 * stay real. `fakeDate()` for one test (vi.useRealTimers() after it), `withFakeDate()` for
 * every test of the describe block or file it is called in.
 */
export function fakeDate(): void {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
}

export function withFakeDate(): void {
  beforeEach(fakeDate);
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Lets `ms` pass on the faked Date. */
export const later = (ms: number) => vi.setSystemTime(Date.now() + ms);
