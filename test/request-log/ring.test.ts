import { describe, expect, it } from "vitest";
import { newestFirst, placeInRing, type SlotKey } from "../../src/request-log/ring";

const at = (second: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, second)).toISOString();
const full = (): SlotKey[] => Array.from({ length: 10 }, (_, i) => ({ slot: i, seq: i, created_at: at(i) }));

describe("placeInRing", () => {
  it.each([
    [
      "an empty ring takes slot 0",
      [] as SlotKey[],
      { created_at: at(0), seq: 0 },
      { kind: "insert", slot: 0 },
    ],
    [
      "a gap is filled first",
      [
        { slot: 0, seq: 0, created_at: at(0) },
        { slot: 2, seq: 1, created_at: at(1) },
      ],
      { created_at: at(2), seq: 2 },
      { kind: "insert", slot: 1 },
    ],
    [
      "a full ring overwrites its oldest entry",
      full(),
      { created_at: at(30), seq: 10 },
      { kind: "replace", slot: 0 },
    ],
    ["an entry older than all ten is dropped", full(), { created_at: at(-5), seq: 10 }, { kind: "drop" }],
    [
      "a tie on created_at is broken by recording order",
      full().map((k) => ({ ...k, created_at: at(0) })),
      { created_at: at(0), seq: 10 },
      { kind: "replace", slot: 0 },
    ],
  ])("%s", (_, occupied, incoming, expected) => {
    expect(placeInRing(occupied, incoming)).toEqual(expected);
  });
});

describe("newestFirst", () => {
  it("orders by start time, then by recording order", () => {
    const keys = [
      { created_at: at(1), seq: 0 },
      { created_at: at(2), seq: 1 },
      { created_at: at(1), seq: 2 },
    ];
    expect([...keys].sort(newestFirst)).toEqual([keys[1], keys[2], keys[0]]);
  });
});
