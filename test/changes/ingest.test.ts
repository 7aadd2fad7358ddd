import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { call, INGEST_TOKEN } from "../helpers";
import { captureQueue } from "../queue-helpers";

const INGEST = INGEST_TOKEN;
const change = (overrides: Record<string, unknown> = {}) => ({
  account_id: "acme",
  entity_type: "company",
  entity_id: 7,
  action_type: "update",
  result: { name: "ACME GmbH" },
  event_ids: ["ev_2026_fair"],
  ...overrides,
});

/** A record `levels` objects deep: { a: { a: ... { a: 1 } } }. */
const nested = (levels: number) => {
  let record: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i++) record = { a: record };
  return record;
};

const ingest = (json: unknown, token: string | null = INGEST) =>
  call("POST", "/v1/changes", { token: token ?? undefined, json });

describe("POST /v1/changes", () => {
  it("queues one change and answers 202 with its change_id", async () => {
    const queue = captureQueue(env.CHANGES);
    const res = await ingest(change({ change_id: "c-1", occurred_at: "2026-11-27T10:00:00Z" }));
    expect(res.status, res.text).toBe(202);
    expect(res.body).toEqual({ accepted: 1, change_ids: ["c-1"] });
    expect(queue.sent).toEqual([
      {
        body: {
          type: "change",
          change_id: "c-1",
          identity: expect.stringMatching(/^cid_/),
          seq: expect.any(Number),
          received_at: expect.any(String),
          change: expect.objectContaining({
            account_id: "acme",
            entity_id: 7,
            result: { name: "ACME GmbH" },
          }),
        },
        delaySeconds: undefined,
      },
    ]);
  });

  it("queues a batch of up to 100 with one change_id each", async () => {
    const queue = captureQueue(env.CHANGES);
    const changes = Array.from({ length: 100 }, (_, i) => change({ entity_id: i }));
    const res = await ingest({ changes });
    expect(res.status, res.text).toBe(202);
    expect(res.body.accepted).toBe(100);
    expect(new Set(res.body.change_ids).size).toBe(100);
    expect(queue.sent).toHaveLength(100);
  });

  it("makes every push without change_id a new change, even one whose content came before (A → B → A)", async () => {
    const queue = captureQueue(env.CHANGES);
    const a = change({ result: { name: "A" } });
    const pushes = [a, change({ result: { name: "B" } }), a];
    const ids = [];
    for (const push of pushes) ids.push(...(await ingest(push)).body.change_ids);
    expect(new Set(ids).size).toBe(3);
    expect(new Set(queue.sent.map((m) => m.body.identity)).size).toBe(3);
  });

  it("gives a push the identity of an earlier one only when change_id and content are both the same", async () => {
    const queue = captureQueue(env.CHANGES);
    await ingest(change({ change_id: "crm-1" }));
    await ingest(change({ change_id: "crm-1" })); // sent again, e.g. after a 503
    await ingest(change({ change_id: "crm-1", result: { name: "Other" } })); // the id reused for other content
    await ingest(change({ change_id: "crm-2" }));
    // The same content serialised afresh: keys in another order, in the record and around it.
    const { result, ...rest } = change({
      change_id: "crm-1",
      result: { b: { y: 2, x: 1 }, a: [{ q: 1, p: 2 }] },
    });
    await ingest({ result, ...rest });
    await ingest(
      Object.fromEntries(
        Object.entries({ ...rest, result: { a: [{ p: 2, q: 1 }], b: { x: 1, y: 2 } } }).reverse(),
      ),
    );
    await ingest(change({ change_id: "crm-1", result: { a: [{ p: 1, q: 2 }], b: { x: 1, y: 2 } } }));
    const [first, again, reused, other, sent, reordered, swapped] = queue.sent.map((m) => m.body.identity);
    expect(again).toBe(first);
    expect(reused).not.toBe(first);
    expect(other).not.toBe(first);
    expect(reordered).toBe(sent);
    expect(swapped).not.toBe(sent); // the values moved: other content
    expect(queue.sent.map((m) => m.body.change_id)).toEqual(Array(7).fill("crm-1").toSpliced(3, 1, "crm-2"));
  });

  it("numbers changes in the order they were accepted, a batch in array order", async () => {
    const queue = captureQueue(env.CHANGES);
    await ingest({ changes: [change({ entity_id: 1 }), change({ entity_id: 2 }), change({ entity_id: 3 })] });
    await ingest(change({ entity_id: 4 }));
    const seqs = queue.sent.map((m) => m.body.seq as number);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(4);
  });

  it("accepts a delete without result", async () => {
    captureQueue(env.CHANGES);
    const res = await ingest(change({ action_type: "delete", result: undefined }));
    expect(res.status, res.text).toBe(202);
  });

  it("accepts the second of several configured tokens", async () => {
    captureQueue(env.CHANGES);
    expect((await ingest(change(), "test-ingest-token-next")).status).toBe(202);
  });

  it("does not need D1", async () => {
    captureQueue(env.CHANGES);
    const prepare = vi.spyOn(env.DB, "prepare").mockImplementation(() => {
      throw new Error("D1 is down");
    });
    try {
      expect((await ingest(change())).status).toBe(202);
      expect(prepare).not.toHaveBeenCalled();
    } finally {
      prepare.mockRestore();
    }
  });

  const invalid: [string, unknown, string][] = [
    ["entity_type unknown", change({ entity_type: "event" }), "entity_type"],
    ["entity_type missing", change({ entity_type: undefined }), "entity_type"],
    ["action_type test", change({ action_type: "test" }), "action_type"],
    ["entity_id missing", change({ entity_id: undefined }), "entity_id"],
    ["entity_id an object", change({ entity_id: { id: 1 } }), "entity_id"],
    ["account_id empty", change({ account_id: "" }), "account_id"],
    ["result missing on update", change({ result: undefined }), "result"],
    ["result missing on new", change({ action_type: "new", result: undefined }), "result"],
    ["result present on delete", change({ action_type: "delete" }), "result"],
    ["result not an object", change({ result: "ACME" }), "result"],
    ["result nested 33 levels deep", change({ result: nested(33) }), "result"],
    ["result nested 16000 levels deep (96 KB)", change({ result: nested(16_000) }), "result"],
    ["event_ids not an array", change({ event_ids: "ev_1" }), "event_ids"],
    ["event_ids with an empty id", change({ event_ids: [""] }), "event_ids.0"],
    ["change_id empty", change({ change_id: "" }), "change_id"],
    ["occurred_at not a date", change({ occurred_at: "yesterday" }), "occurred_at"],
    ["unknown field", change({ extra: 1 }), "extra"],
    ["not an object", [change()], ""],
    ["empty batch", { changes: [] }, "changes"],
    ["batch over 100", { changes: Array.from({ length: 101 }, () => change()) }, "changes"],
  ];

  it.each(invalid)("refuses %s with 400 naming the field, queuing nothing", async (_, json, path) => {
    const queue = captureQueue(env.CHANGES);
    const res = await ingest(json);
    expect(res.status, res.text).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(queue.spy).not.toHaveBeenCalled();
  });

  it("refuses numbers it cannot pass through exactly, naming where they are, and an unsafe entity_id once", async () => {
    const queue = captureQueue(env.CHANGES);
    const body = `{"changes":[${JSON.stringify(change())},
      {"account_id":"acme","entity_type":"user","entity_id":1,"action_type":"update",
       "result":{"name":"Ada","ids":[1,12345678901234567890]}},
      {"account_id":"acme","entity_type":"user","entity_id":2,"action_type":"new","result":{"x":{"y":1e999}}},
      {"account_id":"acme","entity_type":"user","entity_id":12345678901234567890,"action_type":"delete"}]}`;
    const res = await call("POST", "/v1/changes", {
      token: INGEST,
      headers: { "content-type": "application/json" },
      body,
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ["changes.1.result.ids.1", "too_big"],
      ["changes.2.result.x.y", "too_big"],
      ["changes.3.entity_id", "too_big"],
    ]);
    expect(queue.spy).not.toHaveBeenCalled();
    const exact = await ingest(change({ result: { big: Number.MAX_SAFE_INTEGER, small: -1.5e-300 } }));
    expect(exact.status, exact.text).toBe(202);
  });

  it("refuses a whole batch for one bad change, naming its index", async () => {
    const queue = captureQueue(env.CHANGES);
    const res = await ingest({
      changes: [change(), change(), change({ entity_type: "event" }), change({ result: undefined })],
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      "changes.2.entity_type",
      "changes.3.result",
    ]);
    expect(queue.spy).not.toHaveBeenCalled();
  });

  it("refuses a change over 100 KiB with 413, queuing nothing", async () => {
    const queue = captureQueue(env.CHANGES);
    const big = change({ result: { blob: "x".repeat(100 * 1024) } });
    const res = await ingest({ changes: [change(), big] });
    expect(res.status, res.text).toBe(413);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "changes.1" })]);
    expect(queue.spy).not.toHaveBeenCalled();
  });

  it.each([
    ["with event ids", {}],
    ["without event_ids (the default the service fills in is not counted)", { event_ids: undefined }],
    ["with event ids sent as numbers", { event_ids: [2026, 7] }],
  ])(
    "counts a change's size in UTF-8 bytes of its JSON as sent, change_id included, %s: 100 KiB is accepted, a byte more refused",
    async (_, shape) => {
      const queue = captureQueue(env.CHANGES);
      const sized = (text: string) => change({ change_id: "crm-size-é", ...shape, result: { name: text } });
      const bytes = (json: unknown) => new TextEncoder().encode(JSON.stringify(json)).byteLength;
      const room = 100 * 1024 - bytes(sized(""));
      const exact = `${"é".repeat(Math.floor(room / 2))}${"x".repeat(room % 2)}`; // é is 2 bytes in UTF-8
      expect(bytes(sized(exact))).toBe(100 * 1024);
      const accepted = await ingest(sized(exact));
      expect(accepted.status, accepted.text).toBe(202);
      const refused = await ingest({ changes: [change(), sized(`${exact}x`)] });
      expect(refused.status, refused.text).toBe(413);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: "changes.1" })]);
      expect(queue.sent).toHaveLength(1);
    },
  );

  it("accepts a result nested 32 levels deep", async () => {
    captureQueue(env.CHANGES);
    const res = await ingest(change({ result: nested(32) }));
    expect(res.status, res.text).toBe(202);
  });

  it("accepts a change just under 100 KiB", async () => {
    captureQueue(env.CHANGES);
    const res = await ingest(change({ result: { blob: "x".repeat(100 * 1024 - 200) } }));
    expect(res.status, res.text).toBe(202);
  });

  it.each([
    ["no token", null],
    ["a wrong token", "nope"],
    ["an admin-looking token", "test-ingest-token-nex"],
  ])("answers 401 with %s", async (_, token) => {
    const queue = captureQueue(env.CHANGES);
    const res = await ingest(change(), token);
    expect(res.status, res.text).toBe(401);
    expect(queue.spy).not.toHaveBeenCalled();
  });

  it("answers a request without content type or body with 400 naming the missing fields", async () => {
    const queue = captureQueue(env.CHANGES);
    const res = await call("POST", "/v1/changes", { token: INGEST });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "account_id" })]),
    );
    expect(queue.spy).not.toHaveBeenCalled();
  });

  it("refuses malformed JSON (400) and other content types (415)", async () => {
    captureQueue(env.CHANGES);
    const bad = await call("POST", "/v1/changes", {
      token: INGEST,
      body: "{",
      headers: { "content-type": "application/json" },
    });
    expect(bad.status, bad.text).toBe(400);
    const text = await call("POST", "/v1/changes", {
      token: INGEST,
      body: "x",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status, text.text).toBe(415);
  });

  it("refuses a body that is not valid UTF-8 with 400 instead of queuing U+FFFD", async () => {
    const queue = captureQueue(env.CHANGES);
    const json = new TextEncoder().encode(JSON.stringify(change({ result: { name: "ACME ~" } })));
    const res = await call("POST", "/v1/changes", {
      token: INGEST,
      body: json.map((byte) => (byte === 0x7e ? 0xc3 : byte)), // a UTF-8 lead byte without its tail
      headers: { "content-type": "application/json" },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.detail).toMatch(/UTF-8/);
    expect(queue.spy).not.toHaveBeenCalled();
  });

  it("answers 503 when the queue refuses the work", async () => {
    vi.spyOn(env.CHANGES, "sendBatch").mockRejectedValue(new Error("queue unavailable"));
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await ingest(change());
    expect(res.status, res.text).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    errors.mockRestore();
  });
});

describe("POST /v1/changes without credentials", () => {
  it("answers 401 before it reads a body, even one too large or not UTF-8", async () => {
    const big = await call("POST", "/v1/changes", {
      json: { changes: Array.from({ length: 101 }, () => ({ pad: "x".repeat(100 * 1024) })) },
    });
    expect(big.status, big.text).toBe(401);
    const broken = await call("POST", "/v1/changes", {
      body: new Uint8Array([0x7b, 0xff, 0x7d]),
      headers: { "content-type": "application/json" },
    });
    expect(broken.status, broken.text).toBe(401);
  });
});
