import { z } from "@hono/zod-openapi";
import { defaulted, pageQuery } from "../http/openapi";
import { noControlCharacters } from "../http/plain-text";
import { CustomHeadersField, HEADER_RULES, MASK } from "./custom-headers";
import { DEFAULT_TRIGGERS, TRIGGERS } from "./triggers";
import { MAX_URL_LENGTH } from "./url-policy";

export const MAX_EVENT_IDS = 100;

const Name = z
  .string()
  .trim()
  .min(1, "Must not be empty")
  .max(100, "Must be at most 100 characters")
  .refine(...noControlCharacters)
  .openapi({ description: "A description: the name of the service you are coupling", example: "CRM sync" });

const Url = z.string().max(MAX_URL_LENGTH, `Must be at most ${MAX_URL_LENGTH} characters`).openapi({
  description: "Absolute https URL of the receiving endpoint",
  example: "https://crm.example.com/hooks",
});

const TRIGGERS_DESCRIPTION =
  "What to receive: changes of users and companies, and webhook.failing, webhook.disabled and webhook.recovered, news about the account's other webhooks";

const Triggers = z
  .array(z.enum(TRIGGERS))
  .min(1, "Choose at least one trigger")
  .transform((triggers) => [...new Set(triggers)])
  .openapi({ description: TRIGGERS_DESCRIPTION, example: ["user.update", "company.update"] });

export const EventId = z
  .string()
  .trim()
  .min(1, "Must not be empty")
  .max(100, "Must be at most 100 characters")
  .openapi({ description: "An EventInsight event (Veranstaltung)", example: "ev_2026_fair" });

const EVENT_IDS_DESCRIPTION = "Only changes naming one of these events; empty = all events";

// An integer id is taken as its decimal text, as a change's event_ids are (../changes/schemas.ts).
const EventIds = z
  .array(z.union([EventId, z.number().int().transform(String)]))
  .max(MAX_EVENT_IDS, `At most ${MAX_EVENT_IDS} events`)
  .transform((ids) => [...new Set(ids)])
  .openapi({ description: EVENT_IDS_DESCRIPTION, example: [] });

export const MAX_PER_SECOND = 1000;

const PER_SECOND_RANGE = `Must be an integer from 1 to ${MAX_PER_SECOND}, or null for no limit`;

const PER_SECOND_DESCRIPTION = "At most this many deliveries started per second; null = no limit";

const MaxPerSecond = z
  .number({ message: PER_SECOND_RANGE })
  .int(PER_SECOND_RANGE)
  .min(1, PER_SECOND_RANGE)
  .max(MAX_PER_SECOND, PER_SECOND_RANGE)
  .nullable()
  .openapi({ description: PER_SECOND_DESCRIPTION, example: 50 });

export const WebhookIn = z
  .strictObject({
    name: Name,
    url: Url,
    is_active: defaulted(z.boolean(), true, "Whether the webhook receives deliveries"),
    triggers: defaulted(Triggers, [...DEFAULT_TRIGGERS], TRIGGERS_DESCRIPTION),
    event_ids: defaulted(EventIds, [], EVENT_IDS_DESCRIPTION),
    headers: CustomHeadersField.nullable()
      .optional()
      .openapi({ type: ["object", "null"] }),
    max_per_second: defaulted(MaxPerSecond, null, PER_SECOND_DESCRIPTION),
  })
  .openapi("WebhookIn");

export const WebhookPatch = z
  .strictObject({
    name: Name.optional(),
    url: Url.optional(),
    is_active: z.boolean().optional(),
    triggers: Triggers.optional(),
    event_ids: EventIds.optional(),
    headers: CustomHeadersField.nullable()
      .optional()
      .openapi({
        type: ["object", "null"],
        description: `Replaces the whole set of headers; null or {} removes them all. ${HEADER_RULES}`,
      }),
    max_per_second: MaxPerSecond.optional(),
  })
  .openapi("WebhookPatch");

export const DisabledReason = z.enum(["gone", "failing"]).nullable();

export const WebhookOut = z
  .object({
    id: z.string().openapi({ example: "wh_01JD8X3Q6R4M2K9T7V5B1C0N8P" }),
    name: z.string(),
    url: z.string(),
    is_active: z.boolean(),
    triggers: z.array(z.enum(TRIGGERS)),
    event_ids: z.array(z.string()),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
    disabled_reason: DisabledReason.openapi({
      description: '"gone": the receiver answered 410; "failing": every attempt failed for 5 days',
    }),
    last_delivery_at: z.string().nullable().openapi({
      format: "date-time",
      description:
        "The start of the latest delivery attempt; while every attempt succeeds, refreshed at most every 10 s",
    }),
    last_status: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "HTTP status of the last attempt, null if none" }),
    consecutive_failures: z.number().int(),
    failing_since: z
      .string()
      .nullable()
      .openapi({ format: "date-time", description: "First failure of the current streak" }),
    failed_deliveries: z
      .number()
      .int()
      .openapi({ description: "Failed deliveries kept and not yet recovered" }),
    headers: z.record(z.string(), z.string()).openapi({
      description: `Extra request headers. Values are credentials: in full only in the create and PATCH answers and in GET /v1/webhooks/{id}/headers; "${MASK}" everywhere else`,
      example: { "X-Api-Key": MASK },
    }),
    max_per_second: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "At most this many deliveries started per second; null = no limit" }),
  })
  .openapi("Webhook");

export const WebhookWithSecret = WebhookOut.extend({
  secret: z.string().openapi({ example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
}).openapi("WebhookWithSecret");

export const RotatedSecret = WebhookWithSecret.extend({
  previous_secret_expires_at: z.string().openapi({
    format: "date-time",
    description: "Until then requests carry a second signature made with the old secret",
  }),
}).openapi("RotatedSecret");

export const SecretOut = z.object({ secret: z.string() }).openapi("Secret");

export const HeadersOut = z
  .object({
    headers: z
      .record(z.string(), z.string())
      .openapi({ description: "The webhook's extra request headers, values in full" }),
  })
  .openapi("WebhookHeaders");

export const WebhookList = z
  .object({ data: z.array(WebhookOut), next_cursor: z.string().nullable() })
  .openapi("WebhookList");

export const WebhookIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "wh_01JD8X3Q6R4M2K9T7V5B1C0N8P" }),
});

export const ListQuery = pageQuery(20);

export type WebhookIn = z.infer<typeof WebhookIn>;
export type WebhookPatch = z.infer<typeof WebhookPatch>;
export type WebhookOut = z.infer<typeof WebhookOut>;
