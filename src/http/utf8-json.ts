// JSON bodies must be UTF-8 (RFC 8259). Left alone, the runtime's decoder replaces broken bytes
// with U+FFFD and the record travels on silently altered; such bodies are refused instead.
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env";
import { ApiError } from "./problem";

const JSON_MEDIA_TYPE = /^\s*application\/([\w.+-]+\+)?json\b/i;

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The bytes as text, or null when they are not valid UTF-8. */
function decodeUtf8(bytes: ArrayBuffer): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(0);

/**
 * The UTF-8 length of `text` when it is at most `cap` bytes, else a number over `cap`: encoded
 * into a buffer kept for the purpose, so that no copy of the text is allocated to count it.
 */
export function utf8Length(text: string, cap: number): number {
  if (scratch.length < cap + 4) scratch = new Uint8Array(cap + 4);
  const { read, written } = encoder.encodeInto(text, scratch.subarray(0, cap + 4));
  return read < text.length ? cap + 1 : written;
}

/**
 * For a route whose body is optional: an empty body counts as none, also when the client labels
 * it JSON (as many HTTP clients do on every request), instead of being refused as malformed.
 */
export function optionalJsonBody(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function optionalJsonBody(c, next) {
    const json = JSON_MEDIA_TYPE.test(c.req.header("content-type") ?? "");
    if (json && (await c.req.text()).trim() === "")
      c.req.bodyCache.text = Promise.resolve("{}") as unknown as string;
    await next();
  });
}

/**
 * Refuses a JSON body that is not valid UTF-8. The text it decoded is left in Hono's body cache
 * (which holds promises), so that the route's JSON parser parses it instead of decoding again.
 */
export function utf8Json(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function utf8Json(c, next) {
    if (c.req.raw.body && JSON_MEDIA_TYPE.test(c.req.header("content-type") ?? "")) {
      const text = decodeUtf8(await c.req.arrayBuffer());
      if (text === null) throw new ApiError("malformed_json", "The body is not valid UTF-8.");
      c.req.bodyCache.text = Promise.resolve(text) as unknown as string;
    }
    await next();
  });
}
