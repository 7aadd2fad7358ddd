// Messages nobody can read go to the dead-letter queue as they are, so they block nothing and
// are recorded for an operator.
import { sendAll } from "./queue-batches";

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
    if (unsent.has(entry)) entry.message.retry({ delaySeconds: 30 });
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
