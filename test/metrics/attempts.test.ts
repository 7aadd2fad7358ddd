// The metrics point of an attempt, written through a stub binding (the local Analytics Engine
// binding drops what it is given): its layout, and that a missing or failing binding never
// reaches the delivery that records it.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type AttemptRecord, recordAttempt } from "../../src/metrics/attempts";

function stubMetrics(write: (point?: AnalyticsEngineDataPoint) => void = () => {}) {
  const points: AnalyticsEngineDataPoint[] = [];
  const binding: AnalyticsEngineDataset = {
    writeDataPoint(point) {
      write(point);
      if (point) points.push(point);
    },
  };
  return { binding, points };
}

const attempt = (overrides: Partial<AttemptRecord> = {}): AttemptRecord => ({
  accountId: "acct_metrics",
  webhookId: "wh_metrics",
  outcome: "delivered",
  status: 200,
  error: null,
  durationMs: 42,
  attempt: 1,
  ...overrides,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the data point of an attempt", () => {
  it("names the account, webhook, outcome and status class, with duration, attempt and status", () => {
    const { binding, points } = stubMetrics();
    recordAttempt(
      { METRICS: binding },
      attempt({ outcome: "retry", status: 503, durationMs: 1234, attempt: 3 }),
    );
    expect(points).toEqual([
      {
        indexes: ["acct_metrics"],
        blobs: ["acct_metrics", "wh_metrics", "retry", "5xx", ""],
        doubles: [1234, 3, 503],
      },
    ]);
  });

  it.each([
    [200, "2xx"],
    [204, "2xx"],
    [301, "3xx"],
    [410, "4xx"],
    [429, "4xx"],
    [500, "5xx"],
    [599, "5xx"],
    [null, "none"],
  ] as const)("puts status %s in class %s", (status, statusClass) => {
    const { binding, points } = stubMetrics();
    recordAttempt({ METRICS: binding }, attempt({ status }));
    expect(points[0]?.blobs?.[3]).toBe(statusClass);
    expect(points[0]?.doubles?.[2]).toBe(status ?? 0);
  });

  it("records an attempt without an answer with its error, cut to 200 characters", () => {
    const { binding, points } = stubMetrics();
    const error = `destination_unresolved: ${"a".repeat(300)}.example has no A or AAAA record`;
    recordAttempt({ METRICS: binding }, attempt({ outcome: "failed", status: null, error, attempt: 10 }));
    expect(points[0]?.blobs).toEqual(["acct_metrics", "wh_metrics", "failed", "none", error.slice(0, 200)]);
    expect(points[0]?.doubles).toEqual([42, 10, 0]);
  });

  it("records a superseded delivery, which was never sent", () => {
    const { binding, points } = stubMetrics();
    recordAttempt({ METRICS: binding }, attempt({ outcome: "superseded", status: null, durationMs: 0 }));
    expect(points[0]?.blobs?.slice(2, 4)).toEqual(["superseded", "none"]);
  });

  it("keeps the sampling index within 96 bytes, whole characters only, and the full account in blob1", () => {
    const { binding, points } = stubMetrics();
    const accountId = `konto-${"ä".repeat(100)}`;
    recordAttempt({ METRICS: binding }, attempt({ accountId }));
    const index = String(points[0]?.indexes?.[0]);
    expect(new TextEncoder().encode(index).length).toBeLessThanOrEqual(96);
    expect(accountId.startsWith(index)).toBe(true);
    expect(index.length).toBeGreaterThan(40);
    expect(points[0]?.blobs?.[0]).toBe(accountId);
  });
});

describe("a delivery that records its attempt", () => {
  it("goes on when the binding throws, and the failure is logged once a minute, not per attempt", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { binding } = stubMetrics(() => {
      throw new Error("analytics engine unavailable");
    });
    expect(() => recordAttempt({ METRICS: binding }, attempt())).not.toThrow();
    expect(() => recordAttempt({ METRICS: binding }, attempt())).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(warn.mock.calls[0]?.[0]))).toMatchObject({
      level: "warn",
      msg: "metrics point not written; deliveries go on",
      webhook_id: "wh_metrics",
      error: expect.stringContaining("analytics engine unavailable"),
    });
  });

  it("goes on without a binding", () => {
    expect(() => recordAttempt({}, attempt())).not.toThrow();
  });

  it("goes on with the local binding, which drops the point", () => {
    expect(() => recordAttempt(env, attempt())).not.toThrow();
  });
});
