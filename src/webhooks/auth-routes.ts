// A webhook's endpoint credentials in full: the one read that reveals the client secret.
import { createRoute } from "@hono/zod-openapi";
import { createRouter, jsonResponse, problems } from "../http/openapi";
import { openEndpointAuth } from "./endpoint-auth";
import { requireWebhook } from "./require";
import { AuthOut, WebhookIdParam } from "./schemas";
import { secretKeysOf } from "./secrets";

export const authRoutes = createRouter();

authRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/auth",
    summary: "Reveal the endpoint credentials",
    operationId: "getWebhookAuth",
    description: 'Every other answer but create and PATCH shows client_secret as "••••".',
    tags: ["Webhooks"],
    security: [{ AdminToken: [] }],
    request: { params: WebhookIdParam },
    responses: {
      200: jsonResponse(AuthOut, "The endpoint credentials, client_secret in full"),
      ...problems("unauthorized", "not_found"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const record = await requireWebhook(c.env, c.get("admin").account_id, id);
    return c.json({ auth: await openEndpointAuth(record, secretKeysOf(c.env)) }, 200);
  },
);
