import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { WebhookObject } from "../../src/delivery/webhook-object";
import { logEntry } from "../helpers";

const entry = (n: number, createdAt = new Date(Date.UTC(2026, 10, 27, 10, 0, n)).toISOString()) =>
  logEntry({
    id: `log_${String(n).padStart(3, "0")}`,
    message_id: `msg_${n}`,
    created_at: createdAt,
    entity_id: n,
  });

const logOf = () => env.WEBHOOK_OBJECT.getByName(`wh_${crypto.randomUUID()}`);

describe("the request log in a webhook's object", () => {
  it("keeps the 10 most recent requests, newest first, evicting the oldest", async () => {
    const log = logOf();
    for (let n = 1; n <= 11; n++) await log.record(entry(n));
    const ids = (await log.list()).map((e) => e.id);
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => entry(11 - i).id));
    expect(await log.get(entry(1).id)).toBeNull();
    expect(await log.get(entry(2).id)).toMatchObject({ entity_id: 2 });
  });

  it("orders by the attempt's start, ties by recording order", async () => {
    const log = logOf();
    const same = "2026-11-27T10:00:00.000Z";
    await log.record(entry(1, same));
    await log.record(entry(2, "2026-11-27T09:59:59.000Z"));
    await log.record(entry(3, same));
    expect((await log.list()).map((e) => e.id)).toEqual(["log_003", "log_001", "log_002"]);
  });

  it("writes one row per request once full (the oldest slot is overwritten)", async () => {
    const log = logOf();
    for (let n = 1; n <= 25; n++) await log.record(entry(n));
    const rows = await runInDurableObject(log, (_: WebhookObject, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM log").one(),
    );
    expect(rows.n).toBe(10);
  });

  it("survives an eviction of the object", async () => {
    const log = logOf();
    for (let n = 1; n <= 12; n++) await log.record(entry(n));
    await evictDurableObject(log);
    const fresh = env.WEBHOOK_OBJECT.get(log.id);
    await fresh.record(entry(13));
    expect((await fresh.list()).map((e) => e.entity_id)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
  });

  it("forgets everything on clear", async () => {
    const log = logOf();
    await log.record(entry(1));
    await log.clear();
    expect(await log.list()).toEqual([]);
    await log.record(entry(2));
    expect((await log.list()).map((e) => e.id)).toEqual(["log_002"]);
  });
});
