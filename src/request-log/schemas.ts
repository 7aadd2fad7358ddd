import { z } from "@hono/zod-openapi";
import { ENTITY_TYPES } from "../webhooks/triggers";

export const RESPONSE_BODY_LIMIT = 16 * 1024;

export const LogEntry = z
  .object({
    id: z.string().openapi({ example: "log_01JD8X3Q6R4M2K9T7V5B1C0N8P" }),
    message_id: z
      .string()
      .openapi({ description: "The webhook-id header", example: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W" }),
    created_at: z.string().openapi({ format: "date-time", description: "When the attempt started" }),
    kind: z.enum(["delivery", "test", "redelivery"]).openapi({ description: "What sent the request" }),
    action_type: z.enum(["new", "update", "delete", "test", "failing", "disabled", "recovered"]),
    entity_type: z.enum([...ENTITY_TYPES, "webhook"]),
    entity_id: z.union([z.string(), z.number()]),
    attempt: z.number().int().openapi({ description: "1-based attempt number of this delivery" }),
    request: z.object({
      url: z.string(),
      method: z.literal("POST"),
      headers: z.record(z.string(), z.string()),
      body: z.string().openapi({ description: "The exact bytes sent" }),
    }),
    response: z
      .object({
        status: z.number().int(),
        headers: z.record(z.string(), z.string()),
        body: z.string(),
        body_truncated: z
          .boolean()
          .openapi({ description: `true when the body was longer than ${RESPONSE_BODY_LIMIT} bytes` }),
      })
      .nullable(),
    error: z
      .string()
      .nullable()
      .openapi({ description: 'null, "timeout", "redirect not followed", or the network error' }),
    duration_ms: z.number().int(),
    success: z.boolean(),
  })
  .openapi("LogEntry");

export const LogList = z.object({ data: z.array(LogEntry) }).openapi("LogList");

export type LogEntry = z.infer<typeof LogEntry>;

export const ActivityQuery = z.object({
  window: z
    .enum(["24h", "7d"])
    .default("24h")
    .openapi({
      param: { name: "window", in: "query" },
      description: "24h: hourly buckets; 7d: daily (UTC days)",
    }),
});

export const Activity = z
  .object({
    window: z.enum(["24h", "7d"]),
    buckets: z.array(
      z.object({
        start: z.string().openapi({ format: "date-time" }),
        delivered: z.number().int().openapi({ description: "Requests that got a 2xx" }),
        failed: z.number().int().openapi({ description: "Requests that did not" }),
        p50_ms: z
          .number()
          .int()
          .nullable()
          .openapi({ description: "Median duration; null without requests" }),
      }),
    ),
  })
  .openapi("Activity");
