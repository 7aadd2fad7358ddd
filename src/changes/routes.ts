// POST /v1/changes: origin services report changes; they are validated whole and put on the
// changes queue. Nothing here touches D1, so ingest keeps working while D1 does not.
import { createRoute } from "@hono/zod-openapi";
import { createRouter, jsonBody, jsonResponse, problems } from "../http/openapi";
import { ApiError, type FieldError, fieldErrors, validationError } from "../http/problem";
import { requireWithinLimit } from "../http/rate-limit";
import type { ChangeMessage } from "../messages/queue";
import { sendAll } from "../messages/send";
import { acceptanceSeq } from "../messages/sequence";
import { changeIdFor, identityOf } from "./identity";
import { ChangeBatchShape, ChangeIn, IngestAccepted, IngestBody, MAX_CHANGE_BYTES } from "./schemas";

export const changes = createRouter();

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Every problem of a refused body, each change's errors under `changes.<index>.`. */
function ingestErrors(raw: unknown): FieldError[] {
  if (!isObject(raw) || !("changes" in raw)) {
    const single = ChangeIn.safeParse(raw);
    return single.success ? [] : fieldErrors(single.error.issues);
  }
  const batch = ChangeBatchShape.safeParse(raw);
  if (!batch.success) return fieldErrors(batch.error.issues);
  return batch.data.changes.flatMap((change, index) => {
    const parsed = ChangeIn.safeParse(change);
    return parsed.success ? [] : fieldErrors(parsed.error.issues, ["changes", index]);
  });
}

const utf8Length = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

changes.openapi(
  createRoute({
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
  }),
  async (c) => {
    const body = c.req.valid("json");
    const list = "changes" in body ? body.changes : [body];
    const tooLarge = list.findIndex((change) => utf8Length(change) > MAX_CHANGE_BYTES);
    if (tooLarge >= 0) {
      const errors: FieldError[] | undefined =
        "changes" in body
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
    await requireWithinLimit(
      c.env.INGEST_LIMITER,
      list.map((change) => change.account_id),
    );
    const receivedAtMs = Date.now();
    const receivedAt = new Date(receivedAtMs).toISOString();
    const firstSeq = acceptanceSeq(list.length, receivedAtMs);
    const messages = await Promise.all(
      list.map(async ({ change_id: sent, ...change }, index) => {
        const change_id = changeIdFor(sent);
        const identity = await identityOf(change_id, sent !== undefined, JSON.stringify(change));
        return {
          body: {
            type: "change",
            change_id,
            identity,
            seq: firstSeq + index,
            received_at: receivedAt,
            change,
          } satisfies ChangeMessage,
        };
      }),
    );
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
  },
  (result, c) => {
    // The body was parsed already (Hono caches it); report every bad field, not the union's summary.
    // Without a content type and body the validator checked {}: so do we.
    if (result.success) return;
    return c.req
      .json()
      .catch(() => ({}))
      .then((raw: unknown): never => {
        throw validationError(ingestErrors(raw));
      });
  },
);
