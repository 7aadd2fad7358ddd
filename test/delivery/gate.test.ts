import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { gate, NotSent } from "../../src/delivery/gate";
import { createWebhook, newCaller } from "../helpers";
import { changeMessage, dnsAnswer, QUEUES, runBatch } from "../queue-helpers";

describe("gate", () => {
  it("lets at most `size` holders in at once, the others in arrival order as slots free up", async () => {
    const slots = gate(2);
    const order: string[] = [];
    let inside = 0;
    let most = 0;
    const hold = async (name: string, release: Promise<void>) => {
      await slots.acquire();
      inside++;
      most = Math.max(most, inside);
      order.push(name);
      await release;
      inside--;
      slots.release();
    };
    const releases = new Map<string, () => void>();
    const released = (name: string) => new Promise<void>((resolve) => releases.set(name, resolve));
    const runs = ["a", "b", "c", "d"].map((name) => hold(name, released(name)));
    await Promise.resolve();
    expect(order).toEqual(["a", "b"]);
    releases.get("b")?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(order).toEqual(["a", "b", "c"]);
    for (const name of ["a", "c", "d"]) releases.get(name)?.();
    await Promise.all(runs);
    expect(order).toEqual(["a", "b", "c", "d"]);
    expect(most).toBe(2);
  });
});

describe("gate, by key", () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("gives freed slots to the waiting keys in turn, not to the key that asked most", async () => {
    const slots = gate(1);
    const order: string[] = [];
    await slots.acquire("busy");
    const waits = ["busy", "busy", "busy", "quiet", "other"].map((key, i) =>
      slots.acquire(key).then(() => {
        order.push(`${key}${i}`);
        slots.release();
      }),
    );
    slots.release();
    await Promise.all(waits);
    expect(order).toEqual(["busy0", "quiet3", "other4", "busy1", "busy2"]);
  });

  it("refuses a benched key's waiting exchanges and later ones with NotSent, and goes on with the others", async () => {
    const slots = gate(1);
    await slots.acquire("slow");
    const refused = slots.acquire("slow").catch((error) => error);
    const other = slots.acquire("quick").then(() => "in");
    slots.bench("slow");
    expect(await refused).toBeInstanceOf(NotSent);
    await expect(slots.acquire("slow")).rejects.toBeInstanceOf(NotSent);
    slots.release();
    await tick();
    expect(await other).toBe("in");
  });
});

describe("a consumer batch", () => {
  it("has at most CONCURRENT_SENDS exchanges waiting for receivers at once, and sends them all", async () => {
    const caller = await newCaller();
    await createWebhook(caller);
    let inFlight = 0;
    let most = 0;
    const received: string[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      const dns = dnsAnswer(request);
      if (dns) return dns;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      received.push(await request.text());
      inFlight--;
      return new Response("ok");
    });
    const changes = Array.from({ length: 20 }, (_, i) =>
      changeMessage({ account_id: caller.account, entity_id: i }),
    );
    const testEnv = { ...env, CONCURRENT_SENDS: "3", SLOW_LANE_AFTER_MS: "10000" };
    const { acked } = await runBatch(QUEUES.changes, changes, testEnv);
    expect(acked.every(Boolean)).toBe(true);
    expect(received).toHaveLength(20);
    expect(most).toBe(3);
  });
});
