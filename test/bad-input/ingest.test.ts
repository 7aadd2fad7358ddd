// Property-based: whatever an origin service sends, the answer is clear (never a 5xx, a problem
// with paths for every 400), a refused request queues nothing, and what reaches a receiver
// carries only the Standard Webhooks headers.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, createWebhook, INGEST_TOKEN, newCaller } from "../helpers";
import { captureQueue, changeMessage, QUEUES, runBatch, spyReceiver } from "../queue-helpers";
import { anyJson, brokenUtf8, contentType, fuzzTally, NUM_RUNS, nastyString } from "./answers";

const { expectClearAnswer } = fuzzTally("bad input, ingest API");
const INGEST = INGEST_TOKEN;

const nested = (levels: number) => {
  let record: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i++) record = { a: record };
  return record;
};

/** Changes near the real shape: each field right, wrong or missing, plus unknown fields. */
const changeLike = fc
  .tuple(
    fc.record(
      {
        account_id: fc.oneof(fc.constant("acme"), nastyString, anyJson),
        entity_type: fc.oneof(fc.constantFrom("user", "company", "event"), anyJson),
        entity_id: fc.oneof(fc.integer(), fc.double(), nastyString, anyJson),
        action_type: fc.oneof(fc.constantFrom("new", "update", "delete", "test"), anyJson),
        result: fc.oneof(
          fc.dictionary(fc.string(), anyJson, { maxKeys: 4 }),
          fc.integer({ min: 30, max: 40 }).map(nested),
          anyJson,
        ),
        event_ids: fc.oneof(fc.array(fc.oneof(nastyString, fc.integer()), { maxLength: 3 }), anyJson),
        change_id: fc.oneof(nastyString, anyJson),
        occurred_at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          nastyString,
        ),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 1 }),
  )
  .map(([fields, extra]) => ({ ...extra, ...fields }) as Record<string, unknown>);

const ingest = (json: unknown) => call("POST", "/v1/changes", { token: INGEST, json });

describe("POST /v1/changes with arbitrary bodies", () => {
  it("answers 202 or a clear refusal, and a refusal queues nothing", async () => {
    const queue = captureQueue(env.CHANGES);
    const body = fc.oneof(
      changeLike,
      fc.record({ changes: fc.array(changeLike, { maxLength: 4 }) }),
      anyJson,
    );
    await fc.assert(
      fc.asyncProperty(body, async (json) => {
        const sendsBefore = queue.spy.mock.calls.length;
        const res = await ingest(json);
        expectClearAnswer(res, [202, 400, 413]);
        if (res.status !== 202) expect(queue.spy.mock.calls.length).toBe(sendsBefore);
        else
          expect(res.body.accepted).toBe(
            Array.isArray((json as any).changes) ? (json as any).changes.length : 1,
          );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("refuses a batch exactly when one of its changes is refused alone, naming only those indexes", async () => {
    captureQueue(env.CHANGES);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(changeLike, validChange), { minLength: 1, maxLength: 4 }),
        async (list) => {
          const batch = await ingest({ changes: list });
          expectClearAnswer(batch, [202, 400, 413]);
          const alone = await Promise.all(list.map((change) => ingest(change)));
          const refused = alone.flatMap((res, index) => (res.status === 202 ? [] : [index]));
          expect(batch.status === 202, batch.text).toBe(refused.length === 0);
          if (batch.status !== 400) return;
          const named = new Set(batch.body.errors.map((e: { path: string }) => Number(e.path.split(".")[1])));
          expect([...named].sort()).toEqual(refused.filter((i) => alone[i]?.status === 400).sort());
        },
      ),
      { numRuns: NUM_RUNS / 3 },
    );
  });

  it("refuses bodies that are not UTF-8, not JSON or far too large, queuing nothing", async () => {
    const queue = captureQueue(env.CHANGES);
    const raw = (body: BodyInit, type: string) =>
      call("POST", "/v1/changes", { token: INGEST, body, headers: { "content-type": type } });
    await fc.assert(
      fc.asyncProperty(brokenUtf8, async (body) =>
        expectClearAnswer(await raw(body, "application/json"), [400]),
      ),
      { numRuns: NUM_RUNS },
    );
    await fc.assert(
      fc.asyncProperty(contentType, fc.uint8Array({ maxLength: 200 }), async (type, body) =>
        expectClearAnswer(await raw(body, type), [400, 415]),
      ),
      { numRuns: NUM_RUNS },
    );
    expectClearAnswer(await raw(`{"changes":[${'"x",'.repeat(3_000_000)}"x"]}`, "application/json"), [413]);
    expectClearAnswer(await ingest({ ...validSample(), result: { blob: "x".repeat(101 * 1024) } }), [413]);
    expect(queue.spy).not.toHaveBeenCalled();
  });

  it("answers every wrong Authorization header with 401", async () => {
    const queue = captureQueue(env.CHANGES);
    const header = fc.oneof(
      fc.string({ unit: "grapheme-ascii", maxLength: 100 }),
      fc.string({ unit: "grapheme-ascii", maxLength: 100 }).map((token) => `Bearer ${token}`),
      fc.constantFrom("Bearer test-ingest-token,test-ingest-token-next", "Bearer  ", "Basic dGVzdA=="),
    );
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        const res = await call("POST", "/v1/changes", { headers: { authorization }, json: validSample() });
        expectClearAnswer(res, [401]);
      }),
      { numRuns: NUM_RUNS },
    );
    expect(queue.spy).not.toHaveBeenCalled();
  });
});

function validSample() {
  return { account_id: "acme", entity_type: "user", entity_id: 1, action_type: "update", result: { a: 1 } };
}

const validChange = fc.record({
  account_id: fc.string({ minLength: 1, maxLength: 20 }),
  entity_type: fc.constantFrom("user", "company"),
  entity_id: fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 20 })),
  action_type: fc.constant("update"),
  result: fc.dictionary(fc.string(), anyJson, { maxKeys: 4 }),
});

describe("what a receiver gets, whatever the change", () => {
  it("carries exactly the Standard Webhooks headers, none of them holding a line break", async () => {
    const caller = await newCaller();
    await createWebhook(caller);
    const { received } = spyReceiver();
    const HEADERS = ["content-type", "user-agent", "webhook-id", "webhook-signature", "webhook-timestamp"];
    const hostile = fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(
        hostile,
        hostile,
        fc.dictionary(hostile, hostile, { maxKeys: 3 }),
        async (changeId, id, result) => {
          const before = received.length;
          await runBatch(QUEUES.changes, [
            changeMessage({ account_id: caller.account, entity_id: id, result }, changeId),
          ]);
          const request = received[before];
          expect(Object.keys(request?.headers ?? {}).sort()).toEqual(HEADERS);
          for (const value of Object.values(request?.headers ?? {})) expect(value).not.toMatch(/[\r\n]/);
          expect(request?.headers["webhook-id"]).toMatch(/^msg_[0-9A-Z]{26}$/);
          expect(JSON.parse(request?.body ?? "")).toMatchObject({ entity_id: id, result });
        },
      ),
      { numRuns: NUM_RUNS / 3 },
    );
  });
});
