import { describe, expect, it } from "vitest";
import { gate } from "../../src/delivery/gate";

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
