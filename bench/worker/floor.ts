// The floor of a durable ingest: what the platform must do for any accepted change — one call of
// the ingest rate limiter and one queue send of the body — and nothing else. Ingest is measured
// against it with the same bodies. Its messages are acked by the bench's queue wrapper.
export const FLOOR_PATH = "/__bench/floor";

const FLOOR_MESSAGE = "bench-floor";

/** One key per request, as the benchmark's ingest uses one account per request. */
let requests = 0;

export async function floor(request: Request, env: Env): Promise<Response> {
  const body = await request.text();
  await env.INGEST_LIMITER.limit({ key: `bench-floor-${requests++}` });
  await env.CHANGES.send({ type: FLOOR_MESSAGE, body }, { contentType: "json" });
  return new Response(null, { status: 202 });
}

export const isFloorMessage = (body: unknown) =>
  typeof body === "object" && body !== null && (body as { type?: unknown }).type === FLOOR_MESSAGE;
