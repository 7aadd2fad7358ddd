// Every answer (the API, /healthz, the admin page) says its content type is to be believed: a
// browser must never run a JSON answer (a webhook's name, a receiver's logged body) as script or
// HTML.
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env";

export function noSniff(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function noSniff(c, next) {
    await next();
    c.res.headers.set("x-content-type-options", "nosniff");
  });
}
