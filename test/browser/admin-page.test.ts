// The admin page as an admin uses it: Debian's Chromium against the service started exactly as
// `npm start` starts it, delivering to a receiver on 127.0.0.1. Run with `npm run test:browser`.
// It ends with the README's screenshot (docs/admin-page.png): a change the receiver refused waits
// for its retry on the card, the failed attempt on top of the log.
import type { Server } from "node:http";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, startReceiver } from "../node/receiver";
import type { StartedService } from "../node/started-service";
import { waitFor } from "../wait";
import { type Session, startSession } from "./session";

const SCREENSHOT = join(import.meta.dirname, "../../docs/admin-page.png");
const HOOK_PATH = "/hooks/admin-page";

describe("the admin page (Settings → Integrations → Webhooks)", () => {
  let session: Session;
  let service: StartedService;
  let page: Page;
  let receiver: { server: Server; port: number };

  const hook = () => endpointOf(receiver.port, HOOK_PATH);
  const hookUrl = () => hook().url;
  const card = () => page.getByRole("article", { name: "CRM sync" });
  const received = () => hook().requests();
  const logRows = (): Locator => card().locator("li.log-entry");
  const refresh = () => card().getByRole("button", { name: "Refresh" }).click();

  /** A fresh "New webhook" form with its name and URL filled in. */
  async function newWebhookForm(url: string) {
    await session.openAdminPage();
    await page.getByRole("button", { name: "New webhook" }).click();
    const dialog = page.getByRole("dialog", { name: "New webhook" });
    await dialog.getByLabel("Name", { exact: true }).fill("CRM sync");
    await dialog.getByLabel("URL", { exact: true }).fill(url);
    return dialog;
  }

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    ({ service, page } = session);
    await hook().script({ status: 200, body: '{"received":true}' });
    await session.putEvents([
      { id: "ev_2026_fair", name: "Messe 2026", starts_at: "2026-03-01T09:00:00Z" },
      { id: "ev_gala", name: "Gala der Aussteller", starts_at: "2026-03-02T18:30:00Z" },
    ]);
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  it("opens with the token of npm start's link and takes the token out of the address bar", async () => {
    const link = session.printed("Admin page");
    expect(link, service.output()).toMatch(/\/admin#token=/);
    await page.goto(link);
    await page.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();
    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("listitem");
    expect(await crumbs.allTextContents()).toEqual(["Settings", "Integrations", "Webhooks"]);
    expect(page.url()).toBe(`${service.base}/admin`);
    await page.getByText("No webhooks yet.").waitFor();
  });

  it("shows the API's error next to the URL field when the URL is ftp://", async () => {
    const dialog = await newWebhookForm("ftp://127.0.0.1/hooks");
    await dialog.getByRole("button", { name: "Save" }).click();
    const url = dialog.getByLabel("URL", { exact: true });
    await dialog.locator("#wf-url-error").getByText("Must use https or http", { exact: true }).waitFor();
    expect(await url.getAttribute("aria-invalid")).toBe("true");
    expect(await url.getAttribute("aria-describedby")).toContain("wf-url-error");
    expect(await url.evaluate((input) => input === document.activeElement)).toBe(true);
  });

  it("creates the webhook through the form, with an event picked from the catalog by name, a header and a limit", async () => {
    const dialog = await newWebhookForm(hookUrl());
    const entities = dialog.getByRole("group", { name: /^(User|Company)$/ });
    for (const trigger of await entities.getByRole("checkbox").all())
      expect(await trigger.isChecked()).toBe(true);
    await dialog.getByLabel("Search events").fill("messe");
    await dialog.getByRole("option", { name: /Messe 2026/ }).click();
    await dialog.getByRole("list", { name: "Chosen events" }).getByText("Messe 2026").waitFor();
    await dialog.getByRole("button", { name: "Add header" }).click();
    await dialog.getByLabel("Header name").fill("X-Api-Key");
    await dialog.getByLabel("Value", { exact: true }).fill("k_live_4f9a");
    await dialog.getByLabel("Deliveries per second").fill("50");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("status").getByText("Webhook “CRM sync” created.").waitFor();
    await card().getByText("Active", { exact: true }).waitFor();
    await card().getByText(hookUrl()).waitFor();
    await card().getByRole("listitem").filter({ hasText: "Messe 2026" }).waitFor();
    await card().getByText("X-Api-Key: ••••", { exact: true }).waitFor();
    await card().getByText("at most 50", { exact: true }).waitFor();
  });

  it("presses Test webhook and sees the receiver's answer inline", async () => {
    await session.openAdminPage();
    await card().getByRole("button", { name: "Test webhook" }).click();
    await card()
      .getByText(/^Success: 200 in \d+ ms$/)
      .waitFor();
    await card().getByText('"received": true').waitFor();
    const tests = (await received()).map((request) => JSON.parse(request.body));
    expect(tests).toEqual([expect.objectContaining({ action_type: "test", entity_type: "user" })]);
    expect((await received())[0]?.headers["x-api-key"]).toBe("k_live_4f9a");
    await card()
      .getByText(/^Last 24 hours: 1 delivered, 0 failed, success rate 100%/)
      .waitFor();
  });

  it("sees a change of the chosen event arrive in the log overview", async () => {
    await session.ingest({
      account_id: "acme",
      entity_type: "company",
      entity_id: 7,
      action_type: "update",
      result: { name: "ACME GmbH" },
      event_ids: ["ev_2026_fair"],
    });
    await session.openAdminPage();
    await card().getByText("Log overview").click();
    const row = logRows().filter({ hasText: "Company 7" });
    // Deliveries arrive within seconds; the admin presses Refresh until it is there.
    await waitFor(
      async () => {
        if ((await row.count()) > 0) return true;
        await refresh();
        return false;
      },
      30_000,
      1_000,
    );
    const summary = await row.locator("summary").textContent();
    expect(summary).toMatch(/Success.*Update.*Company 7.*1.*200.*\d+ ms/);
    await refresh();
    await card()
      .getByText(/^Last delivery .+: answer 200$/)
      .waitFor();
  });

  it("expands the entry to the request and response it logged", async () => {
    await session.openAdminPage();
    await card().getByText("Log overview").click();
    const row = logRows().filter({ hasText: "Company 7" });
    await row.locator("summary").click();
    await row.getByText('"name": "ACME GmbH"').waitFor();
    await row.getByText(/webhook-signature: v1,/).waitFor();
    await row.getByText("HTTP 200").waitFor();
    await row.getByText('"received": true').waitFor();
  });

  it("redelivers it and sees the new request on top of the log", async () => {
    await session.openAdminPage();
    await card().getByText("Log overview").click();
    const row = logRows().filter({ hasText: "Company 7" });
    await row.locator("summary").click();
    await row.getByRole("button", { name: "Redeliver" }).click();
    await card()
      .getByText(/^Redelivered\. Success: 200 in \d+ ms$/)
      .waitFor();
    expect(await logRows().first().locator("summary").textContent()).toMatch(
      /Update \(Redelivery\).*Company 7/,
    );
    const deliveries = (await received()).filter((request) => JSON.parse(request.body).entity_id === 7);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]?.headers["webhook-id"]).toBe(deliveries[0]?.headers["webhook-id"]);
  });

  it("sees a change the receiver refused wait on the card for its retry, with the answer it got", async () => {
    await hook().script({ status: 503, body: '{"error":"down for maintenance"}' });
    await session.ingest({
      account_id: "acme",
      entity_type: "company",
      entity_id: 8,
      action_type: "update",
      result: { name: "Fair Stands AG" },
      event_ids: ["ev_2026_fair"],
    });
    await waitFor(async () => (await received()).length === 4, 30_000, 500);
    await session.openAdminPage();
    const pending = card().getByRole("region", { name: "Pending deliveries" });
    await pending.getByText(/^Attempt \d+ is due .+\. Last attempt: answer 503\.$/).waitFor();
    await pending.getByText(/^Update · Company 8 · received .+$/).waitFor();
    await card().getByText("Log overview").click();
    const failed = logRows().filter({ hasText: "Company 8" }).first();
    await failed.locator("summary").click();
    await failed.getByText('"error": "down for maintenance"').waitFor();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
