// The floor of a durable ingest: what the platform must do for any accepted change — one call of
// the ingest rate limiter and one queue send — and nothing else. The body is only parsed and
// wrapped as the changes queue expects it, so that the consumer downstream does for the floor's
// messages exactly what it does for ingested ones: the two differ in the ingest route alone.
import type { ChangeMessage } from "../../src/messages/queue";
import { acceptanceSeq } from "../../src/messages/sequence";

export const FLOOR_PATH = "/__bench/floor";

/** One key per request, as the benchmark's ingest uses one account per request. */
let requests = 0;

/** A change of the body as the changes queue carries it (event_ids defaults to [] there, as in ingest). */
const messageOf = (change: ChangeMessage["change"]): { body: ChangeMessage; contentType: "json" } => {
  const seq = acceptanceSeq(1, Date.now());
  const change_id = `floor_${seq}`;
  return {
    body: {
      type: "change",
      change_id,
      identity: change_id,
      seq,
      received_at: new Date().toISOString(),
      change: { ...change, event_ids: change.event_ids ?? [] },
    },
    contentType: "json",
  };
};

export async function floor(request: Request, env: Env): Promise<Response> {
  const body = JSON.parse(await request.text());
  await env.INGEST_LIMITER.limit({ key: `bench-floor-${requests++}` });
  await env.CHANGES.sendBatch("changes" in body ? body.changes.map(messageOf) : [messageOf(body)]);
  return new Response(null, { status: 202 });
}
