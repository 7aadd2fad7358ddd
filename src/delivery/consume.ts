// The skeleton every consumer shares: read each message, set unreadable ones aside, handle the
// rest, and ack or retry every message explicitly — never a silent ack after a failure.
import { setAsidePoison } from "./poison";

/** How long the queue waits before offering a message again after a failure on our side. */
export const SYSTEM_RETRY_DELAY_S = 10;

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
      if (again.has(index)) message.retry({ delaySeconds: SYSTEM_RETRY_DELAY_S });
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
  for (const message of messages) message.retry({ delaySeconds: SYSTEM_RETRY_DELAY_S });
}
