import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countedD1, countedNamespace, countedQueue } from "../../src/bench/counted-env";
import { countersFor } from "../../src/bench/counters";
import { logEntry, uniqueId } from "../helpers";
import { captureQueue } from "../queue-helpers";

describe("the bench-mode bindings", () => {
  it("count every D1 round trip with the rows it read and wrote", async () => {
    const label = uniqueId("test");
    const db = countedD1(env.DB, label);
    const table = uniqueId("probe");
    await env.DB.prepare(`CREATE TABLE ${table} (n INTEGER)`).run();
    await db.prepare(`DELETE FROM ${table}`).run();
    await db.batch([1, 2, 3].map((n) => db.prepare(`INSERT INTO ${table} (n) VALUES (?)`).bind(n)));
    const { results } = await db.prepare(`SELECT n FROM ${table} ORDER BY n`).all<{ n: number }>();
    const first = await db.prepare(`SELECT n FROM ${table} ORDER BY n`).first<number>("n");
    const raw = await db.prepare(`SELECT n FROM ${table} ORDER BY n`).raw();
    expect(results.map((row) => row.n)).toEqual([1, 2, 3]);
    expect(first).toBe(1);
    expect(raw).toEqual([[1], [2], [3]]);
    expect(countersFor(label)).toMatchObject({ d1Runs: 1, d1Batches: 1, d1Reads: 3, d1RowsWritten: 3 });
    expect(countersFor(label).d1RowsRead).toBeGreaterThanOrEqual(9);
  });

  it("count queue messages, the delayed ones, slow-lane guards, and an operation per started 64 KB", async () => {
    const label = uniqueId("test");
    const { sent } = captureQueue(env.DELIVERIES);
    const queue = countedQueue(env.DELIVERIES, "DELIVERIES", label);
    await queue.sendBatch([
      { body: { small: true } },
      { body: { big: "x".repeat(70 * 1024) }, delaySeconds: 5 },
    ]);
    await queue.send({ type: "delivery", job: { guard: true } }, { delaySeconds: 25 });
    expect(sent).toHaveLength(3);
    expect(countersFor(label).sent.DELIVERIES).toEqual({ messages: 3, delayed: 2, guards: 1, writeOps: 4 });
  });

  it("count Durable Object calls", async () => {
    const label = uniqueId("test");
    const log = countedNamespace(env.WEBHOOK_OBJECT, label).getByName(uniqueId("wh"));
    await log.record(logEntry());
    expect(await log.list()).toHaveLength(1);
    expect(countersFor(label)).toMatchObject({ doCalls: 2 });
  });
});
