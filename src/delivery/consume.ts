// The skeleton every consumer shares: read each message, set unreadable ones aside, handle the
// rest, and ack or retry every message explicitly — never a silent ack after a failure.
import { sendAll } from "./queue-batches";

/**
 * How long the queue waits before offering a message again after a failure on our side: 10 s,
 * doubling per attempt up to 10 minutes, so that an outage of D1 is ridden out for about an hour
 * before the platform dead-letters the message (and the dead-letter consumer, retrying for
 * hours more, records it).
 */
export function systemRetryDelay(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}

export interface Readable<T> {
  message: Message<unknown>;
  item: T;
}

/**
 * Parses the batch, hands the readable messages to `handle`, which answers the indexes (into
 * the readable list) that must come again; all others are acked. If `handle` throws, every
 * readable message comes again.
 */
export async function consume<T>(
  batch: MessageBatch<unknown>,
  env: Env,
  parse: (body: unknown) => T | null,
  handle: (readable: Readable<T>[]) => Promise<Set<number>>,
): Promise<void> {
  const readable: Readable<T>[] = [];
  const unreadable: Message<unknown>[] = [];
  for (const message of batch.messages) {
    const item = parse(message.body);
    if (item === null) unreadable.push(message);
    else readable.push({ message, item });
  }
  await setAsidePoison(env, batch.queue, unreadable);
  if (readable.length === 0) return;
  try {
    const again = await handle(readable);
    readable.forEach(({ message }, index) => {
      if (again.has(index)) message.retry({ delaySeconds: systemRetryDelay(message.attempts) });
      else message.ack();
    });
  } catch (error) {
    retryAllOnSystemError(
      batch.queue,
      readable.map(({ message }) => message),
      error,
    );
  }
}

/** Something on our side failed for the whole batch (D1 unreachable): every message comes again. */
export function retryAllOnSystemError(
  queue: string,
  messages: readonly Message<unknown>[],
  error: unknown,
): void {
  console.error(
    JSON.stringify({
      level: "error",
      msg: "consumer batch failed; retrying",
      queue,
      error: String(error instanceof Error ? error.stack : error),
    }),
  );
  for (const message of messages) message.retry({ delaySeconds: systemRetryDelay(message.attempts) });
}

// Messages nobody can read go to the dead-letter queue as they are, so they block nothing and
// are recorded for an operator.
export interface PoisonMessage {
  type: "poison";
  queue: string;
  received_at: string;
  /** The unreadable body, as JSON text where possible, cut to 16 KiB. */
  raw: string;
}

function rawText(body: unknown): string {
  try {
    return (JSON.stringify(body) ?? String(body)).slice(0, 16 * 1024);
  } catch {
    return String(body).slice(0, 16 * 1024);
  }
}

/** Sends unreadable messages to the dead-letter queue; acks what was sent, retries the rest. */
export async function setAsidePoison(
  env: Env,
  queue: string,
  messages: readonly Message<unknown>[],
): Promise<void> {
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
  for (const entry of poison) {
    if (unsent.has(entry)) entry.message.retry({ delaySeconds: systemRetryDelay(entry.message.attempts) });
    else entry.message.ack();
  }
  console.error(
    JSON.stringify({
      level: "error",
      msg: "unreadable queue messages set aside",
      queue,
      count: messages.length,
    }),
  );
}
