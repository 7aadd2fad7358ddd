// Per-account rate limits with Cloudflare's rate limiting binding (see wrangler.toml): a request
// over the limit is answered 429 with Retry-After before it changes anything.
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { logError } from "../log";
import type { AppEnv } from "./app-env";
import { ApiError } from "./problem";

/** The period of both limiters in wrangler.toml: a refused client may try again after it. */
const RATE_LIMIT_PERIOD_S = 10;

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Counts one request for each key and refuses it if any key is over its limit. A limiter that
 * fails lets the request through: it guards against floods and must not take the API down.
 */
export async function requireWithinLimit(limiter: RateLimit, keys: readonly string[]): Promise<void> {
  let outcomes: RateLimitOutcome[];
  try {
    outcomes = await Promise.all([...new Set(keys)].map((key) => limiter.limit({ key })));
  } catch (error) {
    logError("rate limiter failed; request let through", error);
    return;
  }
  if (outcomes.every((outcome) => outcome.success)) return;
  throw new ApiError(
    "rate_limited",
    `Too many requests for this account. Try again in ${RATE_LIMIT_PERIOD_S} seconds.`,
    undefined,
    { "retry-after": String(RATE_LIMIT_PERIOD_S) },
  );
}

/** Limits the admin API's writes per account (the admin token's account_id); reads are free. */
export function adminWriteLimit(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function adminWriteLimit(c, next) {
    if (WRITE_METHODS.has(c.req.method)) {
      await requireWithinLimit(c.env.ADMIN_WRITE_LIMITER, [c.get("admin").account_id]);
    }
    await next();
  });
}
