import { describe, expect, it } from "vitest";
import { systemRetryDelay } from "../../src/messages/consume";

describe("systemRetryDelay", () => {
  it.each([
    [1, 10],
    [2, 20],
    [3, 40],
    [6, 320],
    [7, 600],
    [10, 600],
  ])("after a failure on our side, attempt %s comes again in %s s", (attempts, seconds) => {
    expect(systemRetryDelay(attempts)).toBe(seconds);
  });

  it("rides out about an hour of D1 outage within the queues' 10 retries", () => {
    const total = Array.from({ length: 10 }, (_, i) => systemRetryDelay(i + 1)).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(45 * 60);
  });
});
