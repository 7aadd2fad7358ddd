// One HTTP attempt: POST the signed body, never follow a redirect, give up at the timeout,
// read at most 16 KiB of the answer.
import { RESPONSE_BODY_LIMIT } from "../request-log/schemas";
import { USER_AGENT } from "../version";
import type { SigningKey } from "../webhooks/signing-keys";
import { type Gate, NotSent } from "./gate";
import { signatureHeader } from "./signing";

interface AttemptRequest {
  url: string;
  messageId: string;
  body: string;
  /** Current key first; the previous one too while a rotation or a change of scheme overlaps. */
  signingKeys: readonly SigningKey[];
  /** The webhook's own headers; the standard ones are set after them. */
  headers?: Readonly<Record<string, string>>;
  timeoutMs: number;
}

export interface AttemptResult {
  startedAt: string;
  durationMs: number;
  request: { url: string; method: "POST"; headers: Record<string, string>; body: string };
  response: { status: number; headers: Record<string, string>; body: string; body_truncated: boolean } | null;
  error: string | null;
}

export async function signedHeaders(request: Omit<AttemptRequest, "timeoutMs" | "url">, nowMs: number) {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    ...request.headers,
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": request.messageId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signatureHeader(
      request.signingKeys,
      request.messageId,
      timestamp,
      request.body,
    ),
  };
}

/** Reads up to `limit` bytes, then stops: a huge or endless body costs at most that much. */
export async function readCapped(body: ReadableStream<Uint8Array> | null, limit: number) {
  if (!body) return { text: "", truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    while (size <= limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
    truncated = size > limit;
  } catch {
    truncated = true; // the deadline passed while the body trickled in
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
    if (offset >= bytes.length) break;
  }
  return { text: new TextDecoder().decode(bytes), truncated };
}

export function describeError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return "timeout";
  return error instanceof Error ? error.message || error.name : String(error);
}

/** When the HTTP exchange of an attempt may start, began and ended (what the slow lane times), and its slot. */
export interface ExchangeClock {
  /** The exchange must start by then (epoch ms), or it is not sent at all (see ./grants.ts). */
  startBy?: number;
  startedAt?: number;
  endedAt?: number;
  gate?: Gate;
  /** Whose exchange it is (the webhook): the gate gives slots to its keys in turn. */
  key?: string;
  released?: boolean;
}

/** Gives the exchange's slot back: when it ends, or when the slow lane takes it over. */
export function releaseSlot(clock: ExchangeClock): void {
  if (clock.gate && !clock.released) {
    clock.released = true;
    clock.gate.release();
  }
}

export async function sendAttempt(
  request: AttemptRequest,
  clock: ExchangeClock = {},
): Promise<AttemptResult> {
  // The batch's slot first: the exchange's clock (what the slow lane times) starts once it may go
  // out. A benched webhook's exchange is refused here (NotSent), before anything is sent, and so is
  // one whose grant's time to start has passed: its webhook may have changed since.
  await clock.gate?.acquire(clock.key);
  const started = Date.now();
  if (clock.startBy !== undefined && started > clock.startBy) {
    releaseSlot(clock);
    throw new NotSent("late");
  }
  const headers = await signedHeaders(request, started);
  const base = {
    startedAt: new Date(started).toISOString(),
    request: { url: request.url, method: "POST" as const, headers, body: request.body },
  };
  clock.startedAt = started;
  try {
    const res = await fetch(request.url, {
      method: "POST",
      headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const { text, truncated } = await readCapped(res.body, RESPONSE_BODY_LIMIT);
    const isRedirect = res.status >= 300 && res.status < 400;
    return {
      ...base,
      durationMs: Date.now() - started,
      response: {
        status: res.status,
        headers: Object.fromEntries(res.headers),
        body: text,
        body_truncated: truncated,
      },
      error: isRedirect ? "redirect not followed" : null,
    };
  } catch (error) {
    return { ...base, durationMs: Date.now() - started, response: null, error: describeError(error) };
  } finally {
    clock.endedAt = Date.now();
    releaseSlot(clock);
  }
}
