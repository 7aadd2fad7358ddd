// Property-based: whatever an origin service sends to the events catalog, the answer is clear
// (never a 5xx, a problem with paths for every 400) and a refused batch writes none of its events.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allEvents, putEvents } from "../events/helpers";
import { newCaller } from "../helpers";
import { anyJson, fuzzTally, NUM_RUNS, nastyString } from "./answers";

const { expectClearAnswer } = fuzzTally("bad input, events catalog");

/** Events near the real shape: each field right, wrong or missing, plus unknown fields. */
const eventLike = fc
  .tuple(
    fc.record(
      {
        id: fc.oneof(
          fc.uuid().map((id) => `ev_${id}`),
          nastyString,
          anyJson,
        ),
        name: fc.oneof(fc.constant("Messe 2026"), nastyString, anyJson),
        starts_at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
          fc.constant(null),
          nastyString,
        ),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 1 }),
  )
  .map(([fields, extra]) => ({ ...extra, ...fields }));

const countRows = (account: string) =>
  env.DB.prepare("SELECT COUNT(*) AS n FROM events WHERE account_id = ?1")
    .bind(account)
    .first<{ n: number }>();

describe("PUT /v1/events with arbitrary batches", () => {
  it("answers 200 or a 400 naming the fields, and a 400 writes nothing", async () => {
    const admin = await newCaller();
    await fc.assert(
      fc.asyncProperty(fc.array(eventLike, { maxLength: 5 }), async (events) => {
        const before = await countRows(admin.account);
        const res = await putEvents(admin.account, events);
        expectClearAnswer(res, [200, 400]);
        if (res.status === 400) expect(await countRows(admin.account)).toEqual(before);
        else expect(res.body).toEqual({ upserted: events.length });
      }),
      { numRuns: NUM_RUNS },
    );
    const listed = await allEvents(admin);
    expect(listed.every((event) => typeof event.name === "string" && event.name.trim() === event.name)).toBe(
      true,
    );
  });
});
