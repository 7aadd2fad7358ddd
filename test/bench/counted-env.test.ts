import { runInDurableObject } from "cloudflare:test";
import { DurableObject, env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countedD1, countedEnv, countedNamespace, countedQueue } from "../../bench/worker/counted-env";
import { countedObject } from "../../bench/worker/counted-object";
import { countersFor, snapshotCounters } from "../../bench/worker/counters";
import { uniqueId } from "../helpers";
import { captureQueue } from "../queue-helpers";

/** A Durable Object class of nobody's: its storage work is what the counted class must see. */
class Probe extends DurableObject<Env> {
  write(values: number[]): string {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS probe (n INTEGER)");
    for (const n of values) sql.exec("INSERT INTO probe (n) VALUES (?)", n);
    return `wrote ${values.length}`;
  }
  read(): number[] {
    return [...this.ctx.storage.sql.exec<{ n: number }>("SELECT n FROM probe ORDER BY n")].map(
      (row) => row.n,
    );
  }
  async remember(key: string): Promise<void> {
    await this.ctx.storage.put(key, 1);
    await this.ctx.storage.setAlarm(Date.now() + 60_000);
  }
}

/** Any Durable Object namespace of the Worker: runInDurableObject needs one to run in. */
const someNamespace = () =>
  Object.values(env).find(
    (binding) => Object.prototype.toString.call(binding) === "[object DurableObjectNamespace]",
  ) as DurableObjectNamespace;

describe("the bench's counted bindings", () => {
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

  it("count queue messages per queue, the delayed ones, and an operation per started 64 KB", async () => {
    const label = uniqueId("test");
    const { sent } = captureQueue(env.DELIVERIES);
    const queue = countedQueue(env.DELIVERIES, "DELIVERIES", label);
    await queue.sendBatch([
      { body: { small: true } },
      { body: { big: "x".repeat(70 * 1024) }, delaySeconds: 5 },
    ]);
    await queue.send({ later: true }, { delaySeconds: 25 });
    expect(sent).toHaveLength(3);
    expect(countersFor(label).sent.DELIVERIES).toEqual({ messages: 3, delayed: 2, writeOps: 4 });
  });

  it("count Durable Object calls by method, passing their answers through", async () => {
    const label = uniqueId("test");
    const stub = { double: async (n: number) => 2 * n };
    const namespace = { getByName: () => stub } as unknown as DurableObjectNamespace;
    const counted = countedNamespace(namespace, label).getByName("a") as unknown as typeof stub;
    expect(await counted.double(21)).toBe(42);
    expect(await counted.double(1)).toBe(2);
    expect(countersFor(label)).toMatchObject({ doCalls: 2, doCallsByMethod: { double: 2 } });
  });

  it("find every D1 database, queue and object namespace of the env by what it can do", async () => {
    const label = uniqueId("test");
    const counted = countedEnv(env, label);
    const { sent } = captureQueue(env.CHANGES);
    await counted.CHANGES.send({ hello: 1 });
    await counted.DB.prepare("SELECT 1").all();
    expect(sent).toHaveLength(1);
    expect(countersFor(label)).toMatchObject({ d1Reads: 1, sent: { CHANGES: { messages: 1 } } });
    expect(counted.ADMIN_JWT_SECRET).toBe(env.ADMIN_JWT_SECRET);
  });
});

describe("a counted Durable Object class", () => {
  it("counts the SQLite rows its storage writes and reads, answering what the class answers", async () => {
    const Counted = countedObject(Probe);
    const stub = someNamespace().getByName(uniqueId("probe"));
    const { answer, values } = await runInDurableObject(stub, (_, state) => {
      const probe = new Counted(state, env);
      return { answer: probe.write([3, 1, 2]), values: probe.read() };
    });
    expect(answer).toBe("wrote 3");
    expect(values).toEqual([1, 2, 3]);
    expect(countersFor("object:Probe").doRowsWritten).toBeGreaterThanOrEqual(3);
    expect(countersFor("object:Probe").doRowsRead).toBeGreaterThanOrEqual(3);
  });

  it("counts a key-value row per key and notes the alarm it set as pending", async () => {
    const Counted = countedObject(Probe);
    const stub = someNamespace().getByName(uniqueId("probe"));
    const before = countersFor("object:Probe").doRowsWritten;
    await runInDurableObject(stub, (_, state) => new Counted(state, env).remember("k"));
    expect(countersFor("object:Probe").doRowsWritten - before).toBe(1);
    expect(snapshotCounters()["object:Probe"]).toMatchObject({ alarmsSet: 1, alarmsPending: 1 });
    await runInDurableObject(stub, (_, state) => state.storage.deleteAlarm());
  });
});
