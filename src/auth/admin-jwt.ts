// Admin API auth: an HS256 JWT signed with ADMIN_JWT_SECRET (or, during a rotation, with one of
// ADMIN_JWT_SECRET_PREVIOUS), naming the admin (`sub`) and the tenant (`account_id`). Every admin
// query is scoped by that account_id.
import { z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
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
const MAX_ADMIN_TOKEN_LIFETIME_S = 24 * 3600;

type ClaimsVerdict =
  | { ok: true; claims: AdminClaims }
  | { ok: false; reason: "missing_claim" | "too_long_lived"; message: string };

/** Whether the claims of a verified token let it in. Pure: the clock is passed in. */
function checkClaims(payload: unknown, nowS: number): ClaimsVerdict {
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

/**
 * The secrets a token may be signed with: ADMIN_JWT_SECRET, then the former ones that
 * ADMIN_JWT_SECRET_PREVIOUS (comma-separated) still accepts while a rotation is under way. They
 * only verify: tokens are minted elsewhere, with the current secret.
 */
function adminSecretsOf(env: { ADMIN_JWT_SECRET?: string; ADMIN_JWT_SECRET_PREVIOUS?: string }): string[] {
  const previous = (env.ADMIN_JWT_SECRET_PREVIOUS ?? "").split(",").map((secret) => secret.trim());
  return [env.ADMIN_JWT_SECRET ?? "", ...previous].filter(Boolean);
}

/** The verified payload of the request's bearer JWT; a 401 HTTPException when `secret` does not verify it. */
async function verifiedPayload(c: Context<AppEnv>, secret: string): Promise<unknown> {
  let payload: unknown;
  await jwt({ secret, alg: "HS256" })(c, async () => {
    payload = c.get("jwtPayload");
  });
  return payload;
}

/** Verifies the bearer JWT (signature, alg HS256, exp, nbf), requires the claims we rely on and a short lifetime. */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function adminAuth(c, next) {
    if (!c.env.ADMIN_JWT_SECRET) throw new Error("ADMIN_JWT_SECRET is not set");
    const secrets = adminSecretsOf(c.env);
    let payload: unknown;
    for (const [i, secret] of secrets.entries()) {
      try {
        payload = await verifiedPayload(c, secret);
        break;
      } catch (error) {
        // Refused under this secret: a former one may still verify it; the last refusal answers.
        if (!(error instanceof HTTPException) || i === secrets.length - 1) throw error;
      }
    }
    const verdict = checkClaims(payload, Math.floor(Date.now() / 1000));
    if (!verdict.ok) throw invalidToken(verdict.message);
    c.set("admin", verdict.claims);
    await next();
  });
}
