// JSON bodies must be UTF-8 (RFC 8259). Left alone, the runtime's decoder replaces broken bytes
// with U+FFFD and the record travels on silently altered; such bodies are refused instead.
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env";
import { ApiError } from "./problem";

const JSON_MEDIA_TYPE = /^\s*application\/([\w.+-]+\+)?json\b/i;

export function isUtf8(bytes: ArrayBuffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Refuses a JSON body that is not valid UTF-8 (the body stays cached for the route's parser). */
export function utf8Json(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function utf8Json(c, next) {
    if (c.req.raw.body && JSON_MEDIA_TYPE.test(c.req.header("content-type") ?? "")) {
      if (!isUtf8(await c.req.arrayBuffer())) {
        throw new ApiError("malformed_json", "The body is not valid UTF-8.");
      }
    }
    await next();
  });
}
