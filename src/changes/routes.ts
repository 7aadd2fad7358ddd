// POST /v1/changes: origin services report changes; they are validated whole and put on the
// changes queue. Nothing here touches D1, so ingest keeps working while D1 does not.
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, jsonBody, jsonResponse, problems } from "../http/openapi";
import { ApiError, type FieldError, validationError } from "../http/problem";
import { requireWithinLimit } from "../http/rate-limit";
import type { ChangeMessage } from "../messages/queue";
import { sendAll } from "../messages/send";
import { acceptanceSeq } from "../messages/sequence";
import { changeIdFor, identityOf } from "./identity";
import { type ChangeContent, changeBytes, contentOf, parseIngestBody } from "./ingest-body";
import { IngestAccepted, IngestBody, MAX_CHANGE_BYTES } from "./schemas";

export const changes = createRouter();

const route = createRoute({
  method: "post",
  path: "/",
  summary: "Report changed users or companies",
  operationId: "reportChanges",
  description:
    "Answers 202 once every change is on the queue. A batch with one invalid change is refused whole.",
  tags: ["Ingest"],
  security: [{ IngestToken: [] }],
  request: { body: jsonBody(IngestBody) },
  responses: {
    202: jsonResponse(IngestAccepted, "Queued; every matching webhook will get each change"),
    ...problems(
      "validation_failed",
      "unauthorized",
      "payload_too_large",
      "unsupported_media_type",
      "rate_limited",
      "queue_unavailable",
    ),
  },
});

/** Refuses the request (413) when a change is over MAX_CHANGE_BYTES as JSON, naming it in a batch. */
function requireWithinSize(
  contents: readonly ChangeContent[],
  added: readonly number[],
  isBatch: boolean,
): void {
  const tooLarge = contents.findIndex((content, i) => changeBytes(content, added[i]) > MAX_CHANGE_BYTES);
  if (tooLarge < 0) return;
  const errors: FieldError[] | undefined = isBatch
    ? [
        {
          path: `changes.${tooLarge}`,
          code: "too_big",
          message: "Too large",
          params: { maximum: MAX_CHANGE_BYTES, origin: "bytes" },
        },
      ]
    : undefined;
  throw new ApiError(
    "payload_too_large",
    `A change must be at most ${MAX_CHANGE_BYTES} bytes as JSON.`,
    errors,
  );
}

/** The queue messages of changes accepted now, numbered in the order of acceptance. */
function messagesOf(contents: readonly ChangeContent[]): Promise<{ body: ChangeMessage }[]> {
  const receivedAtMs = Date.now();
  const receivedAt = new Date(receivedAtMs).toISOString();
  const firstSeq = acceptanceSeq(contents.length, receivedAtMs);
  return Promise.all(
    contents.map(async ({ sent, change }, index) => {
      const change_id = changeIdFor(sent);
      const identity = await identityOf(change_id, sent !== undefined, change);
      return {
        body: { type: "change", change_id, identity, seq: firstSeq + index, received_at: receivedAt, change },
      };
    }),
  );
}

// The document shows the route with its schemas. The route that runs takes the same JSON body
// (the same media type check and parsing) and validates it in one synchronous pass
// (./ingest-body.ts): a union validator parses asynchronously, and a refused batch twice.
changes.openAPIRegistry.registerPath(route);
changes.openapi({ ...route, hide: true, request: { body: jsonBody(z.unknown()) } }, async (c) => {
  const body = parseIngestBody(c.req.valid("json"));
  if (!body.ok) throw validationError(body.errors);
  const contents = body.changes.map(contentOf);
  requireWithinSize(contents, body.added, body.batch);
  await requireWithinLimit(
    c.env.INGEST_LIMITER,
    contents.map(({ change }) => change.account_id),
  );
  const messages = await messagesOf(contents);
  const unsent = await sendAll(c.env.CHANGES, messages);
  if (unsent.length > 0) {
    throw new ApiError(
      "queue_unavailable",
      `${messages.length - unsent.length} of ${messages.length} changes were queued. Send the request again: receivers deduplicate on webhook-id.`,
      undefined,
      { "retry-after": "5" },
    );
  }
  return c.json({ accepted: messages.length, change_ids: messages.map((m) => m.body.change_id) }, 202);
});
