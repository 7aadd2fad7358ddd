// Queue producer limits: at most 100 messages and 256 KB per sendBatch, 128 KB per message.
export const MAX_BATCH_MESSAGES = 100;
export const MAX_BATCH_BYTES = 256 * 1000;
export const MAX_MESSAGE_BYTES = 128 * 1000;

const bytesOf = (body: unknown) => new TextEncoder().encode(JSON.stringify(body)).byteLength;

export class MessageTooLargeError extends Error {
  constructor(bytes: number) {
    super(`A queue message of ${bytes} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit`);
    this.name = "MessageTooLargeError";
  }
}

/** Splits messages into sendBatch calls within both limits, keeping their order. */
export function chunkForSendBatch<T extends { body: unknown }>(messages: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const message of messages) {
    const bytes = bytesOf(message.body) + 100; // + per-message overhead (delay, content type)
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
  const unsent = messages.filter((message) => bytesOf(message.body) + 100 > MAX_MESSAGE_BYTES);
  for (const chunk of chunkForSendBatch(messages.filter((message) => !unsent.includes(message)))) {
    try {
      await queue.sendBatch(
        chunk.map(({ body, delaySeconds }) => ({ body, delaySeconds, contentType: "json" as const })),
      );
    } catch (error) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "queue sendBatch failed",
          count: chunk.length,
          error: String(error),
        }),
      );
      unsent.push(...chunk);
    }
  }
  return unsent;
}
