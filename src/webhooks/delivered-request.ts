// What a receiver gets, for the OpenAPI document's `webhooks` section: the request body of
// every trigger (and of the test button) and the Standard Webhooks headers, from zod schemas
// so that receivers can generate types from them.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { JsonRecord } from "../http/json-depth";
import { USER_AGENT } from "../version";
import { MASK } from "./custom-headers";
import { WebhookOut } from "./schemas";
import { ACTION_TYPES, ENTITY_TYPES, OPERATIONAL_TRIGGERS, type Trigger } from "./triggers";

const RequestHeaders = z.object({
  "webhook-id": z.string().openapi({
    description: "msg_…: the same on every retry and redelivery of one change to one webhook; dedupe on it",
    example: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
  }),
  "webhook-timestamp": z
    .string()
    .openapi({ description: "Unix seconds of this attempt", example: "1700000000" }),
  "webhook-signature": z.string().openapi({
    description:
      'Signatures of "{webhook-id}.{webhook-timestamp}.{raw body}", space-separated. signature_scheme hmac-sha256: v1,<base64 HMAC-SHA256> keyed with the base64-decoded part of the whsec_ secret. ed25519: v1a,<base64 Ed25519 signature>, verified with the raw 32-byte public key whose base64 follows whpk_. For 24 hours after a rotation, or a change of signature_scheme, a second signature made with the previous key follows the new one.',
    example: "v1a,hnO3f9T8Ytu9HwNZYR7wOeGSGxJ6pvEmG0v6nJk2sMmv8aq5HWRRfXnO1FQvZfHd3Mx+2cxD4sXnr3xlhD5xCg==",
  }),
  authorization: z.string().optional().openapi({
    description:
      "Only when the webhook has auth: Bearer <access token>, obtained from its token_url with the client credentials grant",
    example: "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJldmVudGluc2lnaHQifQ.c2ln",
  }),
  "user-agent": z.string().openapi({ example: USER_AGENT }),
  "content-type": z.string().openapi({ example: "application/json" }),
});

const EntityId = z.union([z.string(), z.number().int()]).openapi({
  description: "EventInsight's internal id of the record, as the origin sent it",
  example: "42",
});

const pascal = (words: string[]) => words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");

function entityBody(entityType: (typeof ENTITY_TYPES)[number], actionType: (typeof ACTION_TYPES)[number]) {
  const keys = {
    entity_id: EntityId,
    entity_type: z.literal(entityType),
    action_type: z.literal(actionType),
  };
  const result = JsonRecord.openapi({ description: "The record's new value, as the origin sent it" });
  const body = actionType === "delete" ? z.strictObject(keys) : z.strictObject({ ...keys, result });
  return body.openapi(`${pascal([entityType, actionType])}Payload`);
}

function operationalBody(trigger: (typeof OPERATIONAL_TRIGGERS)[number]) {
  const actionType = trigger.slice("webhook.".length) as "failing" | "disabled" | "recovered";
  return z
    .strictObject({
      entity_id: z
        .string()
        .openapi({ description: "The webhook concerned", example: "wh_01JD8X3Q6R4M2K9T7V5B1C0N8P" }),
      entity_type: z.literal("webhook"),
      action_type: z.literal(actionType),
      result: WebhookOut.openapi({
        description: `That webhook's object: no secret, header values "${MASK}"`,
      }),
    })
    .openapi(`Webhook${pascal([actionType])}Payload`);
}

const TestBody = z
  .strictObject({
    entity_id: z.string().openapi({ description: "The sub of the admin who pressed the button" }),
    entity_type: z.literal("user"),
    action_type: z.literal("test"),
    result: JsonRecord.openapi({ description: "The admin's user record" }),
  })
  .openapi("TestPayload");

const OPERATIONAL_SUMMARIES: Record<(typeof OPERATIONAL_TRIGGERS)[number], string> = {
  "webhook.failing":
    "Another webhook of the account has failed every attempt for an hour (once per failure streak, again every 24 h while it lasts)",
  "webhook.disabled":
    'The service disabled another webhook of the account (disabled_reason "gone" or "failing")',
  "webhook.recovered": "A webhook that was reported failing delivers again",
};

/** Every delivered request: its name in `webhooks`, a summary and its body schema. */
function deliveredRequests(): { name: Trigger | "test"; summary: string; body: z.ZodType }[] {
  const entity = ENTITY_TYPES.flatMap((entityType) =>
    ACTION_TYPES.map((actionType) => ({
      name: `${entityType}.${actionType}` as Trigger,
      summary: `A ${entityType} was ${actionType === "new" ? "created" : `${actionType}d`}`,
      body: entityBody(entityType, actionType),
    })),
  );
  const operational = OPERATIONAL_TRIGGERS.map((trigger) => ({
    name: trigger,
    summary: OPERATIONAL_SUMMARIES[trigger],
    body: operationalBody(trigger),
  }));
  const test = {
    name: "test" as const,
    summary: "The test button (sent whatever the triggers)",
    body: TestBody,
  };
  return [...entity, ...operational, test];
}

const RESPONSES = {
  "2XX": { description: "Delivered: any 2xx within the timeout (15 s by default)" },
  "410": { description: "Gone: the webhook is disabled at once" },
  default: {
    description: "Anything else (a 3xx too: redirects are not followed) or no answer in time: retried",
  },
};

/** Adds the `webhooks` section: one POST per trigger and one for the test button. */
export function registerDeliveredRequests(registry: OpenAPIHono["openAPIRegistry"]): void {
  for (const { name, summary, body } of deliveredRequests()) {
    registry.registerWebhook({
      method: "post",
      path: name,
      operationId: `${name.replace(/\.(\w)/, (_, c: string) => c.toUpperCase())}Delivery`,
      summary,
      description:
        "POST to the webhook's URL, signed per Standard Webhooks (v1 HMAC-SHA256 or v1a Ed25519, per the webhook's signature_scheme); the webhook's own `headers` are sent too. Retried on failure with the same webhook-id.",
      tags: ["Delivered requests"],
      security: [],
      request: {
        headers: RequestHeaders,
        body: { content: { "application/json": { schema: body } }, required: true },
      },
      responses: RESPONSES,
    });
  }
}
