// The skeleton every consumer shares: read each message with the one queue schema, set aside what
// this consumer cannot handle, hand the rest over, and ack or retry every message explicitly —
// never a silent ack after a failure.

import { logError } from "../log";
import { POISON_KEPT_CHARS, type PoisonMessage, type QueueMessage, readMessage } from "./queue";
import { sendAll } from "./send";

/** What becomes of one message: acked (its next step is stored) or offered again later. */
export type Verdict = "ack" | "retry";

/**
 * How long the queue waits before offering a message again after a failure on our side: 10 s,
 * doubling per attempt up to 10 minutes, so that an outage of D1 is ridden out for about an hour
 * before the platform dead-letters the message (and the dead-letter consumer, retrying for
 * hours more, records it).
 */
export function systemRetryDelay(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Reads the batch; messages `accepts` refuses (or that are not ours at all) go to the dead-letter
 * queue. `handle` answers one verdict per message it was given, in the same order; if it throws,
 * every one of them comes again.
 */
export async function consume<T extends QueueMessage>(
  batch: MessageBatch<unknown>,
  env: Env,
  accepts: (message: QueueMessage) => message is T,
  handle: (bodies: T[]) => Promise<Verdict[]>,
): Promise<void> {
  const readable: { message: Message<unknown>; body: T }[] = [];
  const unreadable: Message<unknown>[] = [];
  for (const message of batch.messages) {
    const body = readMessage(message.body);
    if (body && accepts(body)) readable.push({ message, body });
    else unreadable.push(message);
  }
  await setAsidePoison(env, batch.queue, unreadable);
  if (readable.length === 0) return;
  let verdicts: Verdict[];
  try {
    verdicts = await handle(readable.map(({ body }) => body));
    if (verdicts.length !== readable.length) throw new Error("a verdict is missing");
  } catch (error) {
    logBatchFailure(batch.queue, error);
    verdicts = readable.map(() => "retry");
  }
  readable.forEach(({ message }, index) => {
    settle(message, verdicts[index] ?? "retry");
  });
}

export function settle(message: Message<unknown>, verdict: Verdict): void {
  if (verdict === "ack") message.ack();
  else message.retry({ delaySeconds: systemRetryDelay(message.attempts) });
}

export function logBatchFailure(queue: string, error: unknown): void {
  logError("consumer batch failed; retrying", error, { queue });
}

function rawText(body: unknown): string {
  try {
    return (JSON.stringify(body) ?? String(body)).slice(0, POISON_KEPT_CHARS);
  } catch {
    return String(body).slice(0, POISON_KEPT_CHARS);
  }
}

/** Messages nobody here can read go to the dead-letter queue as they are, so they block nothing. */
async function setAsidePoison(env: Env, queue: string, messages: readonly Message<unknown>[]): Promise<void> {
  if (messages.length === 0) return;
  const receivedAt = new Date().toISOString();
  const poison = messages.map((message) => ({
    message,
    body: {
      type: "poison",
      queue,
      received_at: receivedAt,
      raw: rawText(message.body),
    } satisfies PoisonMessage,
  }));
  const unsent = new Set(await sendAll(env.DEAD_LETTERS, poison));
  for (const entry of poison) settle(entry.message, unsent.has(entry) ? "retry" : "ack");
  logError("unreadable queue messages set aside", undefined, { queue, count: messages.length });
}
