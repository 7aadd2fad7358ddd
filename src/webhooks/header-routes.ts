// A webhook's extra request headers in full: the one read that reveals their values.
import { createRoute } from "@hono/zod-openapi";
import { createRouter, jsonResponse, problems } from "../http/openapi";
import { openHeaders } from "./custom-headers";
import { requireWebhook } from "./require";
import { HeadersOut, WebhookIdParam } from "./schemas";
import { secretKeysOf } from "./secrets";

export const headerRoutes = createRouter();

headerRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/headers",
    summary: "Reveal the extra request headers",
    operationId: "getWebhookHeaders",
    description: 'Every other answer shows their values as "••••".',
    tags: ["Webhooks"],
    security: [{ AdminToken: [] }],
    request: { params: WebhookIdParam },
    responses: {
      200: jsonResponse(HeadersOut, "The headers, values in full"),
      ...problems("unauthorized", "not_found"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const record = await requireWebhook(c.env, c.get("admin").account_id, id);
    return c.json({ headers: await openHeaders(record.headers_sealed, id, secretKeysOf(c.env)) }, 200);
  },
);
