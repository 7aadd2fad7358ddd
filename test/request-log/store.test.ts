import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { WebhookObject } from "../../src/delivery/webhook-object";
import { LogStore } from "../../src/request-log/store";
import { logEntry, logRequest } from "../helpers";

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
    for (let n = 1; n <= 11; n++) await logRequest(log, entry(n));
    const ids = (await log.list()).map((e) => e.id);
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => entry(11 - i).id));
    expect(await log.get(entry(1).id)).toBeNull();
    expect(await log.get(entry(2).id)).toMatchObject({ entity_id: 2 });
  });

  it("orders by the attempt's start, ties by recording order", async () => {
    const log = logOf();
    const same = "2026-11-27T10:00:00.000Z";
    await logRequest(log, entry(1, same));
    await logRequest(log, entry(2, "2026-11-27T09:59:59.000Z"));
    await logRequest(log, entry(3, same));
    expect((await log.list()).map((e) => e.id)).toEqual(["log_003", "log_001", "log_002"]);
  });

  it("writes one row per request once full (the oldest slot is overwritten)", async () => {
    const log = logOf();
    for (let n = 1; n <= 25; n++) await logRequest(log, entry(n));
    const rows = await runInDurableObject(log, (_: WebhookObject, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM log").one(),
    );
    expect(rows.n).toBe(10);
  });

  it("records many requests of one call as one by one, writing each of the 10 slots once, in one statement", async () => {
    // Out of order, with ties and one older than everything kept: the ring decides as for single records.
    const order = [3, 1, 14, 2, 9, 25, 5, 20, 7, 11, 18, 4, 22, 13, 6, 16, 8, 24, 10, 19, 12, 23, 15, 17, 21];
    const entries = order.map((n) => entry(n, n === 12 ? entry(11).created_at : undefined));
    entries.push(entry(0));
    const oneByOne = logOf();
    for (const e of entries) await logRequest(oneByOne, e);
    const expected = await oneByOne.list();

    const written = await runInDurableObject(logOf(), (_: WebhookObject, state) => {
      let logWrites = 0;
      let logRowsWritten = 0;
      const sql = new Proxy(state.storage.sql, {
        get: (target, prop) =>
          prop === "exec"
            ? (query: string, ...bindings: SqlStorageValue[]) => {
                const cursor = target.exec(query, ...bindings);
                if (query.startsWith("INSERT INTO log")) {
                  logWrites++;
                  logRowsWritten += cursor.rowsWritten;
                }
                return cursor;
              }
            : Reflect.get(target, prop, target),
      });
      const store = new LogStore(sql);
      store.recordAll(entries);
      const reopened = new LogStore(state.storage.sql); // as after an eviction
      return {
        logWrites,
        logRowsWritten,
        list: reopened.list(),
        counted: reopened.hours().at(-1)?.delivered,
      };
    });
    expect(written.list).toEqual(expected);
    expect(written.logWrites).toBe(1); // one statement
    expect(written.logRowsWritten).toBe(10);
    expect(written.counted).toBe(entries.length); // every request counts, logged or not
  });

  it("survives an eviction of the object", async () => {
    const log = logOf();
    for (let n = 1; n <= 12; n++) await logRequest(log, entry(n));
    await evictDurableObject(log);
    const fresh = env.WEBHOOK_OBJECT.get(log.id);
    await logRequest(fresh, entry(13));
    expect((await fresh.list()).map((e) => e.entity_id)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
  });

  it("forgets everything on clear, and lets nothing go afterwards", async () => {
    const log = logOf();
    await logRequest(log, entry(1));
    await log.clear();
    expect(await log.list()).toEqual([]);
    const holder = { version: 1, state: { active: true, disabled_reason: null, max_per_second: null } };
    expect(await log.manual(holder)).toEqual({ kind: "gone" });
  });
});
