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

/** Verifies the bearer JWT (signature, alg HS256, exp, nbf) and requires the claims we rely on. */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function adminAuth(c, next) {
    const secret = c.env.ADMIN_JWT_SECRET;
    if (!secret) throw new Error("ADMIN_JWT_SECRET is not set");
    await jwt({ secret, alg: "HS256" })(c, async () => {
      const claims = AdminClaims.safeParse(c.get("jwtPayload"));
      if (!claims.success) {
        throw new ApiError(
          "unauthorized",
          "The token lacks a required claim (sub, account_id, exp).",
          undefined,
          {
            "www-authenticate": 'Bearer error="invalid_token"',
          },
        );
      }
      c.set("admin", claims.data);
      await next();
    });
  });
}
