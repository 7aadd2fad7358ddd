// Faults injected by a test file and what became of each: recovered (delivered after all) or
// recorded (kept as a failed delivery or dead letter for recovery). A fault still open when the
// file ends is lost; the file prints its count and fails unless it is 0.
import { afterAll, expect } from "vitest";

export interface FaultCounts {
  injected: number;
  recovered: number;
  recorded: number;
  lost: number;
}

export function faultTally(label: string, report?: (counts: FaultCounts) => Promise<void>) {
  const faults: ("open" | "recovered" | "recorded")[] = [];
  afterAll(async () => {
    const counts = {
      injected: faults.length,
      recovered: faults.filter((f) => f === "recovered").length,
      recorded: faults.filter((f) => f === "recorded").length,
      lost: faults.filter((f) => f === "open").length,
    };
    console.log(
      `${label}: ${counts.injected} faults injected, ${counts.recovered + counts.recorded} recovered or recorded (${counts.recovered} recovered, ${counts.recorded} recorded), ${counts.lost} lost`,
    );
    await report?.(counts);
    expect(counts.lost).toBe(0);
  });
  return {
    /** A fault goes in; call what it became once the test has seen it. */
    inject() {
      const index = faults.push("open") - 1;
      return {
        recovered: () => {
          faults[index] = "recovered";
        },
        recorded: () => {
          faults[index] = "recorded";
        },
      };
    },
  };
}
