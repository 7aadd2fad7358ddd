import { z } from "@hono/zod-openapi";
import { defaulted, pageQuery } from "../http/openapi";
import { noControlCharacters } from "../http/plain-text";
import { CustomHeadersField, HEADER_RULES, MASK } from "./custom-headers";
import { EndpointAuthIn, EndpointAuthOut, EndpointAuthPatch } from "./endpoint-auth";
import { DEFAULT_SIGNATURE_SCHEME, SIGNATURE_SCHEMES } from "./signing-keys";
import { DEFAULT_TRIGGERS, TRIGGERS } from "./triggers";
import { MAX_URL_LENGTH } from "./url-policy";

const MAX_EVENT_IDS = 100;

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

const MAX_PER_SECOND = 1000;

const PER_SECOND_RANGE = `Must be an integer from 1 to ${MAX_PER_SECOND}, or null for no limit`;

const PER_SECOND_DESCRIPTION = "At most this many deliveries started per second; null = no limit";

const MaxPerSecond = z
  .number({ message: PER_SECOND_RANGE })
  .int(PER_SECOND_RANGE)
  .min(1, PER_SECOND_RANGE)
  .max(MAX_PER_SECOND, PER_SECOND_RANGE)
  .nullable()
  .openapi({ description: PER_SECOND_DESCRIPTION, example: 50 });

const SignatureScheme = z.enum(SIGNATURE_SCHEMES).openapi({
  description:
    'How requests are signed (Standard Webhooks): "hmac-sha256", v1 signatures with a shared whsec_ secret, or "ed25519", v1a signatures receivers verify with a whpk_ public key (the private key never leaves the service)',
  example: "ed25519",
});

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
    signature_scheme: defaulted(SignatureScheme, DEFAULT_SIGNATURE_SCHEME, "How requests are signed"),
    auth: defaulted(EndpointAuthIn.nullable(), null, "How the service authenticates to the receiver"),
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
    signature_scheme: SignatureScheme.optional().openapi({
      description:
        "Another scheme creates a key of that scheme (GET …/secret shows it); for 24 hours requests carry a signature of each scheme, the new one first",
    }),
    auth: EndpointAuthPatch.nullable().optional(),
  })
  .openapi("WebhookPatch");

const DisabledReason = z.enum(["gone", "failing"]).nullable();

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
    signature_scheme: z.enum(SIGNATURE_SCHEMES),
    auth: EndpointAuthOut.nullable(),
  })
  .openapi("Webhook");

const Secret = z.string().openapi({
  description: "hmac-sha256: the signing secret; verify v1 signatures with it",
  example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
});

const PublicKey = z.string().openapi({
  description: "ed25519: base64 of the raw 32-byte Ed25519 public key; verify v1a signatures with it",
  example: "whpk_Zpw7mKq3cVh1nE0yT9bLr2uXsD8aFgJ6oWiQeC4tY5M=",
});

export const WebhookWithSecret = z
  .union([WebhookOut.extend({ secret: Secret }), WebhookOut.extend({ public_key: PublicKey })])
  .openapi("WebhookWithSecret", {
    description: "The webhook with its secret (hmac-sha256) or its public key (ed25519)",
  });

const OverlapEnds = z.string().openapi({
  format: "date-time",
  description: "Until then requests carry a second signature made with the old key",
});

export const RotatedSecret = z
  .union([
    WebhookOut.extend({ secret: Secret, previous_secret_expires_at: OverlapEnds }),
    WebhookOut.extend({ public_key: PublicKey, previous_secret_expires_at: OverlapEnds }),
  ])
  .openapi("RotatedSecret");

export const SecretOut = z
  .union([z.object({ secret: Secret }), z.object({ public_key: PublicKey })])
  .openapi("Secret", {
    description: "The secret of an hmac-sha256 webhook, the public key of an ed25519 one",
  });

export const AuthOut = z
  .object({
    auth: EndpointAuthOut.nullable().openapi({
      description: "The endpoint credentials, client_secret in full; null: none",
    }),
  })
  .openapi("WebhookAuth");

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
