import { describe, expect, it } from "vitest";
import { Lane, REMEMBERED_ENTITIES, type Waiting } from "../../src/delivery/lane";
import { Pacer } from "../../src/delivery/pacer";

let id = 0;
const row = (entity: string, seq: number, dueAt = 0): Waiting => ({
  id: id++,
  messageId: `m${seq}`,
  entity,
  seq,
  dueAt,
  kind: "turn",
});
/** A delivery of `entity` out under lease 1 until `until`. */
const flight = (messageId: string, seq: number, until: number) => ({
  messageId,
  seq,
  lease: 1,
  until,
  summary: {
    message_id: messageId,
    seq,
    accepted_at: "",
    attempt: 1,
    entity_type: "user" as const,
    entity_id: 1,
    action_type: "update" as const,
  },
});

describe("the lane of a webhook", () => {
  it("lets a change of an entity with nothing out or waiting go at once", () => {
    expect(new Lane().admission("user:1", 1000)).toBe("free");
  });

  it("holds a change behind its entity's delivery that is out, due when that one's lease ends", () => {
    const lane = new Lane();
    lane.fly("user:1", flight("m1", 1, 5000));
    expect(lane.admission("user:1", 1000)).toEqual({ dueAt: 5000, heldBehind: "m1" });
    expect(lane.admission("user:2", 1000)).toBe("free");
    expect(lane.admission("user:1", 5000)).toBe("free"); // the lease ended: nobody reported back
  });

  it("holds a change behind a waiting one of its entity, whose turn comes first", () => {
    const lane = new Lane([row("user:1", 1, 9000)]);
    expect(lane.admission("user:1", 1000)).toEqual({ dueAt: 1000 });
  });

  it("sends per entity the lowest seq first, one at a time, oldest due first across entities", () => {
    const lane = new Lane([
      row("user:1", 2, 0),
      row("user:1", 1, 50),
      row("user:2", 3, 10),
      row("user:3", 4, 999),
    ]);
    expect(lane.dispatchable(100, 10).map((r) => r.seq)).toEqual([3, 1]);
    lane.fly("user:2", flight("m3", 3, 500));
    expect(lane.dispatchable(100, 10).map((r) => r.seq)).toEqual([1]);
    expect(lane.dispatchable(100, 0)).toEqual([]);
  });

  it("makes what was held behind a delivery due as soon as it lands", () => {
    const lane = new Lane();
    lane.fly("user:1", flight("m1", 1, 30_000));
    lane.add({ ...row("user:1", 2, 30_000), heldBehind: "m1" });
    expect(lane.dispatchable(1000, 10)).toEqual([]);
    expect(lane.nextDueAt(1000)).toBe(30_000);
    lane.land("user:1", "m1", 1200);
    expect(lane.dispatchable(1200, 10).map((r) => r.seq)).toEqual([2]);
  });

  it("knows a change older than one delivered as superseded, and the one delivered as done", () => {
    const lane = new Lane([], [["user:1", 5]]);
    lane.noteDelivered("user:1", 3); // an older one delivered later (an admin's redelivery) changes nothing
    expect(lane.precedence("user:1", 4, false, 0)).toBe("superseded");
    expect(lane.precedence("user:1", 5, false, 0)).toBe("done");
    expect(lane.precedence("user:1", 6, false, 0)).toBe("go");
    expect(lane.precedence("user:2", 1, false, 0)).toBe("go");
  });

  it("lets a failed delivery sent again go only while nothing newer of its entity is out or waits", () => {
    const lane = new Lane([row("user:1", 7, 0)]);
    lane.fly("user:2", flight("m9", 9, 5000));
    // In the normal order an older change waits its turn; sent again, its turn has passed.
    expect(lane.precedence("user:1", 4, false, 0)).toBe("go");
    expect(lane.precedence("user:1", 4, true, 0)).toBe("superseded");
    expect(lane.precedence("user:2", 8, true, 0)).toBe("superseded");
    expect(lane.precedence("user:2", 8, true, 5000)).toBe("go"); // the newer one's lease ended, unreported
    expect(lane.precedence("user:1", 8, true, 0)).toBe("go");
  });

  it("remembers a bounded number of entities in memory, the most recent", () => {
    const lane = new Lane();
    for (let i = 0; i <= REMEMBERED_ENTITIES; i++) lane.noteDelivered(`user:${i}`, 10);
    expect(lane.deliveredSeq("user:0")).toBeUndefined();
    expect(lane.deliveredSeq(`user:${REMEMBERED_ENTITIES}`)).toBe(10);
  });

  it("wakes for the next due delivery, or not at all with nothing waiting", () => {
    expect(new Lane().nextDueAt(0)).toBeNull();
    expect(new Lane([row("user:1", 1, 700), row("user:2", 2, 300)]).nextDueAt(0)).toBe(300);
  });
});

describe("pacing", () => {
  /** How many of `ids` the pacer lets start at `now`. */
  const granted = (pacer: Pacer, limit: number | null, now: number, ids: string[]) =>
    ids.filter((id) => pacer.take(limit, now, id)).length;

  it("starts at most `limit` deliveries in any second, and says when the next may start", () => {
    const pacer = new Pacer();
    expect(granted(pacer, 2, 1000, ["a", "b", "c", "d", "e"])).toBe(2);
    expect(granted(pacer, 2, 1500, ["c"])).toBe(0);
    expect(pacer.nextSlotAt(2, 1500)).toBe(2000);
    expect(granted(pacer, 2, 2000, ["c", "d", "e"])).toBe(2);
  });

  it("counts a delivery from its exchange's start once that is known: a second's late starts never share a second with the next", () => {
    const pacer = new Pacer();
    expect(granted(pacer, 2, 1000, ["a", "b"])).toBe(2);
    pacer.started("a", 1000);
    pacer.started("b", 1300); // its exchange waited 300 ms for the consumer's slot
    pacer.started("a", 900); // never earlier than granted
    expect(pacer.nextSlotAt(2, 1500)).toBe(2000);
    expect(granted(pacer, 2, 2000, ["c", "d"])).toBe(1); // b's second lasts until 2300
    expect(pacer.nextSlotAt(2, 2000)).toBe(2300);
    expect(granted(pacer, 2, 2300, ["d"])).toBe(1);
  });

  it("does not hold anything back without a limit", () => {
    const pacer = new Pacer();
    expect(
      granted(
        pacer,
        null,
        0,
        Array.from({ length: 500 }, (_, i) => `m${i}`),
      ),
    ).toBe(500);
    expect(pacer.nextSlotAt(null, 0)).toBe(0);
  });
});
