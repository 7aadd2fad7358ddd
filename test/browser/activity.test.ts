// A webhook's Activity on its card: the chart of delivered and failed requests over 24 hours
// (switchable to 7 days) with its summary, updated by the requests the admin just made.
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, startReceiver } from "../node/receiver";
import { type Session, startSession } from "./session";

interface Bar {
  title: string;
  deliveredHeight: number;
  failedHeight: number;
}

describe("the activity chart on a webhook's card", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  const crm = () => endpointOf(receiver.port, "/crm");
  const card = () => page.getByRole("article", { name: "Activity CRM" });
  const summary = () => card().locator('[data-slot="activity-summary"]');

  /** What each bar shows: its tooltip and the drawn heights of its two parts. */
  const bars = (): Promise<Bar[]> =>
    card()
      .locator(".activity-chart svg g")
      .evaluateAll((groups) =>
        groups.map((group) => ({
          title: group.querySelector("title")?.textContent ?? "",
          deliveredHeight: Number(group.querySelector("rect.delivered")?.getAttribute("height")),
          failedHeight: Number(group.querySelector("rect.failed")?.getAttribute("height")),
        })),
      );

  /** The requests the bars' tooltips count, added up. */
  async function counted() {
    const drawn = await bars();
    const count = (pattern: RegExp) =>
      drawn.reduce((n, bar) => n + Number(pattern.exec(bar.title)?.[1] ?? Number.NaN), 0);
    return { delivered: count(/(\d+) delivered/), failed: count(/(\d+) failed/) };
  }

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    page = session.page;
    await session.adminApi("POST", "/v1/webhooks", { name: "Activity CRM", url: crm().url });
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  async function pressTest(outcome: RegExp) {
    await card().getByRole("button", { name: "Test webhook" }).click();
    await card().getByText(outcome).waitFor();
  }

  it("shows 24 empty hours before any request", async () => {
    await session.openAdminPage();
    await summary().getByText("No requests in the last 24 hours.", { exact: true }).waitFor();
    const drawn = await bars();
    expect(drawn).toHaveLength(24);
    expect(drawn.every((bar) => bar.deliveredHeight === 0 && bar.failedHeight === 0)).toBe(true);
  });

  it("counts a test the receiver answered 200 as delivered", async () => {
    await crm().script({ status: 200, body: "{}" });
    await pressTest(/^Success: 200 in \d+ ms$/);
    await summary()
      .getByText(/^Last 24 hours: 1 delivered, 0 failed, success rate 100%, median \d+ ms\.$/)
      .waitFor();
    expect(await counted()).toEqual({ delivered: 1, failed: 0 });
    const latest = (await bars()).at(-1);
    expect(latest?.deliveredHeight).toBeGreaterThan(0);
    expect(latest?.failedHeight).toBe(0);
  });

  it("counts one it answered 500 as failed, beside the delivered one", async () => {
    await crm().script({ status: 500, body: "down" });
    await pressTest(/^Failed: 500 in \d+ ms$/);
    await summary()
      .getByText(/^Last 24 hours: 1 delivered, 1 failed, success rate 50%, median \d+ ms\.$/)
      .waitFor();
    expect(await counted()).toEqual({ delivered: 1, failed: 1 });
    const drawn = await bars();
    expect(drawn.some((bar) => bar.failedHeight > 0)).toBe(true);
    expect(drawn.some((bar) => bar.deliveredHeight > 0)).toBe(true);
    await card()
      .getByRole("img", { name: /^Last 24 hours: 1 delivered, 1 failed/ })
      .waitFor();
  });

  it("switches to 7 days and back, the same requests counted", async () => {
    await session.openAdminPage();
    const week = card().getByRole("button", { name: "7 days" });
    await week.click();
    await summary()
      .getByText(/^Last 7 days: 1 delivered, 1 failed, success rate 50%/)
      .waitFor();
    expect(await week.getAttribute("aria-pressed")).toBe("true");
    expect(await bars()).toHaveLength(7);
    expect(await counted()).toEqual({ delivered: 1, failed: 1 });
    await card().getByRole("button", { name: "24 hours" }).click();
    await summary()
      .getByText(/^Last 24 hours: 1 delivered, 1 failed/)
      .waitFor();
    expect(await bars()).toHaveLength(24);
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
