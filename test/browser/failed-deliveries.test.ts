// Failed deliveries on the admin page: a receiver that answers 410 Gone disables its webhook, the
// changes that come meanwhile are kept, and the admin sees why, since when, and how many wait, and
// opens one to the body sent and the receiver's answer; Recover is explained while the webhook is
// inactive and, once it is active again, delivers them all while the page follows by itself: the
// count goes, the entries say they were delivered again, the log shows them, without a reload.
import type { Server } from "node:http";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, type ReceivedRequest, startReceiver } from "../node/receiver";
import { waitFor } from "../wait";
import { type Session, startSession } from "./session";

const POLL = [30_000, 1_000] as const;
const SCREENSHOT = join(import.meta.dirname, "../../docs/failed-delivery.png");
/** Over 1 KiB: the failed delivery keeps the first KiB of it. */
const GONE_BODY = "this endpoint is gone. ".repeat(60);

describe("failed deliveries and Recover on the admin page", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  const shop = () => endpointOf(receiver.port, "/shop");
  const card = () => page.getByRole("article", { name: "Shop" });
  const waiting = (n: number) =>
    card().getByText(`${n} ${n === 1 ? "delivery" : "deliveries"} failed for good and can be recovered.`, {
      exact: true,
    });
  const entityOf = (request: ReceivedRequest) => JSON.parse(request.body).entity_id;
  const failedRow = (entity: string) => card().locator("li.failed-entry").filter({ hasText: entity });
  const change = (n: number) => ({
    account_id: "acme",
    entity_type: "user",
    entity_id: n,
    action_type: "update",
    result: { name: `Customer ${n}` },
  });

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    page = session.page;
    await shop().script({ status: 410, body: GONE_BODY });
    await session.adminApi("POST", "/v1/webhooks", { name: "Shop", url: shop().url });
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  /** The admin reloads the page until what they wait for shows. */
  async function reloadUntil(shown: () => Promise<boolean>) {
    await waitFor(
      async () => {
        await session.reloadAdminPage();
        return shown();
      },
      ...POLL,
    );
  }

  it("shows the webhook disabled by a 410, failing since when, and the failed delivery waiting", async () => {
    await session.ingest(change(1));
    await page.goto(session.printed("Admin page"));
    await reloadUntil(() => waiting(1).isVisible());
    await card().getByText("Disabled: the receiver answered 410 Gone.").waitFor();
    await card().getByText("Inactive", { exact: true }).waitFor();
    await card()
      .getByText(/^Last attempt .+: answer 410$/)
      .waitFor();
    await card()
      .getByText(/^1 failed in a row, failing since .+\.$/)
      .waitFor();
    await card()
      .getByText(/^Recover sends every failed delivery of the last 30 days once more/)
      .waitFor();
  });

  it("counts the changes that came while it was disabled, without sending them", async () => {
    await session.ingest(change(2));
    await session.ingest(change(3));
    await reloadUntil(() => waiting(3).isVisible());
    expect((await shop().requests()).map(entityOf)).toEqual([1]);
  });

  it("explains that Recover needs an active webhook, and keeps the count", async () => {
    await card().getByRole("button", { name: "Recover" }).click();
    await card()
      .getByText("Activate the webhook first: recovered deliveries go to active webhooks only.")
      .waitFor();
    await waiting(3).waitFor();
    expect((await shop().requests()).length).toBe(1);
  });

  it("opens a failed delivery to its webhook-id, the body sent and the receiver's last answer", async () => {
    await card().getByText("Failed deliveries", { exact: true }).click();
    const gone = failedRow("User 1");
    await gone.locator("summary").click();
    await gone.getByText('"name": "Customer 1"').waitFor();
    await gone.getByText("HTTP 410 (cut to 1 KiB)", { exact: true }).waitFor();
    const answer = await gone.locator('[data-slot="response-body"]').textContent();
    expect(answer?.startsWith("this endpoint is gone. this endpoint")).toBe(true);
    expect(new TextEncoder().encode(answer ?? "").length).toBe(1024);
    const [request] = await shop().requests();
    await gone.getByText(request?.headers["webhook-id"] ?? "?", { exact: true }).waitFor();
    const kept = failedRow("User 2");
    await kept.locator("summary").click();
    await kept.getByText('"name": "Customer 2"').waitFor();
    await kept.getByText("Never sent: no attempt was made.", { exact: true }).waitFor();
    await kept.locator("summary").click();
    await card().screenshot({ path: SCREENSHOT });
  });

  it("re-activates, recovers, and every kept change arrives with its original webhook-id", async () => {
    await shop().script({ status: 200, body: "ok" });
    await card().getByRole("button", { name: "Re-activate" }).click();
    await card().getByText("Webhook “Shop” is active again.").waitFor();
    await card().getByText("Active", { exact: true }).waitFor();
    await card().getByText("Log overview").click();
    await card().locator("li.log-entry").first().waitFor();
    // Whatever follows happens on this page as it is: it is never loaded again.
    await page.evaluate(() => document.body.setAttribute("data-not-reloaded", "true"));
    await card().getByRole("button", { name: "Recover" }).click();
    await card()
      .getByText(/^3 failed deliveries queued again\. The count goes down as they are delivered\.$/)
      .waitFor();
    await waitFor(async () => (await shop().requests()).length === 4, ...POLL);
    const [gone, ...recovered] = await shop().requests();
    expect(recovered.map(entityOf).sort()).toEqual([1, 2, 3]);
    const first = recovered.find((request) => entityOf(request) === 1);
    expect(first?.headers["webhook-id"]).toBe(gone?.headers["webhook-id"]);
  });

  it("sees the count go, the entries delivered again and the log follow, without a reload", async () => {
    const successes = card().locator("li.log-entry").filter({ hasText: "Success" });
    await waitFor(async () => (await successes.count()) === 3, ...POLL);
    await card()
      .getByText(/failed for good and can be recovered/)
      .waitFor({ state: "hidden" });
    await card()
      .getByText(/^Last delivery .+: answer 200$/)
      .waitFor();
    for (const entity of ["User 1", "User 2", "User 3"]) {
      await failedRow(entity)
        .getByText(/^Delivered again at .+$/)
        .waitFor();
      expect(await failedRow(entity).getByRole("button", { name: "Redeliver" }).isVisible()).toBe(false);
    }
    await failedRow("User 1").getByText("Before: 410 Gone.", { exact: true }).waitFor();
    const gone = card().locator("li.log-entry").filter({ hasText: "Failed" });
    expect(await gone.locator("summary").textContent()).toMatch(/Update.*User 1.*410/);
    // Once all of it has settled, the page stops looking.
    await card().locator("xpath=ancestor::li[not(@data-following)]").waitFor();
    expect(await page.evaluate(() => document.body.dataset.notReloaded)).toBe("true");
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
