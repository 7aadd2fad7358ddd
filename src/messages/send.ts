// Queue producer limits: at most 100 messages and 256 KB per sendBatch, 128 KB per message.
import { utf8Length } from "../http/utf8-json";
import { logError } from "../log";

export const MAX_BATCH_MESSAGES = 100;
export const MAX_BATCH_BYTES = 256 * 1000;
export const MAX_MESSAGE_BYTES = 128 * 1000;

/** A message's size as the limits count it: its JSON's UTF-8 bytes plus the per-message overhead (delay, content type). */
const sizeOf = (body: unknown) => utf8Length(JSON.stringify(body), MAX_MESSAGE_BYTES) + 100;

export class MessageTooLargeError extends Error {
  constructor(bytes: number) {
    super(`A queue message of ${bytes} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit`);
    this.name = "MessageTooLargeError";
  }
}

/** Splits messages into sendBatch calls within both limits, keeping their order. */
export function chunkForSendBatch<T extends { body: unknown }>(messages: readonly T[]): T[][] {
  return chunkSized(messages.map((message) => ({ message, bytes: sizeOf(message.body) })));
}

/** The same for messages whose sizes are known: each is serialised once to learn its size. */
function chunkSized<T>(sized: readonly { message: T; bytes: number }[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const { message, bytes } of sized) {
    if (bytes > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(bytes);
    if (current.length === MAX_BATCH_MESSAGES || currentBytes + bytes > MAX_BATCH_BYTES) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(message);
    currentBytes += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Sends all messages; returns those whose sendBatch call failed (the rest are queued). */
export async function sendAll<T extends { body: unknown; delaySeconds?: number }>(
  queue: Queue,
  messages: readonly T[],
): Promise<T[]> {
  const sized = messages.map((message) => ({ message, bytes: sizeOf(message.body) }));
  const unsent = sized.filter(({ bytes }) => bytes > MAX_MESSAGE_BYTES).map(({ message }) => message);
  for (const chunk of chunkSized(sized.filter(({ bytes }) => bytes <= MAX_MESSAGE_BYTES))) {
    try {
      await queue.sendBatch(
        chunk.map(({ body, delaySeconds }) => ({ body, delaySeconds, contentType: "json" as const })),
      );
    } catch (error) {
      logError("queue sendBatch failed", error, { count: chunk.length });
      unsent.push(...chunk);
    }
  }
  return unsent;
}
