// Admin API auth: an HS256 JWT signed with ADMIN_JWT_SECRET, naming the admin (`sub`) and the
// tenant (`account_id`). Every admin query is scoped by that account_id.
import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { jwt } from "hono/jwt";
import type { AppEnv } from "../http/app-env";
import { ApiError } from "../http/problem";

export const AdminClaims = z.object({
  sub: z.union([z.string().min(1).max(200), z.number().int()]).transform(String),
  account_id: z.string().min(1).max(200),
  exp: z.number(),
  email: z.string().max(320).optional(),
  name: z.string().max(200).optional(),
});
export type AdminClaims = z.infer<typeof AdminClaims>;

/** Admin tokens are short-lived: one whose exp lies further ahead than this is refused. */
export const MAX_ADMIN_TOKEN_LIFETIME_S = 24 * 3600;

export type ClaimsVerdict =
  | { ok: true; claims: AdminClaims }
  | { ok: false; reason: "missing_claim" | "too_long_lived"; message: string };

/** Whether the claims of a verified token let it in. Pure: the clock is passed in. */
export function checkClaims(payload: unknown, nowS: number): ClaimsVerdict {
  const parsed = AdminClaims.safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      reason: "missing_claim",
      message: "The token lacks a required claim (sub, account_id, exp).",
    };
  }
  if (parsed.data.exp - nowS > MAX_ADMIN_TOKEN_LIFETIME_S) {
    return {
      ok: false,
      reason: "too_long_lived",
      message: "The token expires more than 24 hours from now; admin tokens must be short-lived.",
    };
  }
  return { ok: true, claims: parsed.data };
}

const invalidToken = (detail: string) =>
  new ApiError("unauthorized", detail, undefined, { "www-authenticate": 'Bearer error="invalid_token"' });

/** Verifies the bearer JWT (signature, alg HS256, exp, nbf), requires the claims we rely on and a short lifetime. */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function adminAuth(c, next) {
    const secret = c.env.ADMIN_JWT_SECRET;
    if (!secret) throw new Error("ADMIN_JWT_SECRET is not set");
    await jwt({ secret, alg: "HS256" })(c, async () => {
      const verdict = checkClaims(c.get("jwtPayload"), Math.floor(Date.now() / 1000));
      if (!verdict.ok) throw invalidToken(verdict.message);
      c.set("admin", verdict.claims);
      await next();
    });
  });
}
