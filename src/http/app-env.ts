import type { AdminClaims } from "../auth/admin-jwt";

/** Hono's environment for this Worker: its bindings and what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    admin: AdminClaims;
    jwtPayload: unknown;
  };
}
