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

export function changeMessage(change: Record<string, unknown> = {}, changeId = `chg_${crypto.randomUUID()}`) {
  return {
    type: "change",
    change_id: changeId,
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

/** Replaces fetch: every request is recorded and answered by `answer` (default 200). */
export function spyReceiver(
  answer: (req: Received, n: number) => Response | Promise<Response> = () => new Response("ok"),
) {
  const received: Received[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
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
