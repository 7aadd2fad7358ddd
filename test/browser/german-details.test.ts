// Details of the German page's wording and layout: the limit's error without a stray comma, the
// activity chart's times (an hour "… Uhr", a day as a date), event dates without seconds and with
// their time zone, and a long entity id in the log cut to one line, kept whole in its title.
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, startReceiver } from "../node/receiver";
import { waitFor } from "../wait";
import { type Session, startSession } from "./session";

const LONG_ID = `firma-${"0123456789abcdef".repeat(6)}`;

describe("details of the German admin page", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  const card = () => page.getByRole("article", { name: "Messe-CRM" });
  const form = () => page.getByRole("dialog", { name: /Webhook/ });

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    page = session.page;
    const crm = endpointOf(receiver.port, "/messe");
    await crm.script({ status: 200, body: "{}" });
    await session.putEvents([{ id: "ev_messe", name: "Messe 2026", starts_at: "2026-03-01T09:00:00Z" }]);
    const webhook = await session.adminApi("POST", "/v1/webhooks", { name: "Messe-CRM", url: crm.url });
    await session.ingest({
      account_id: "acme",
      entity_type: "company",
      entity_id: LONG_ID,
      action_type: "update",
      result: { name: "Firma" },
    });
    const log = () => session.adminApi("GET", `/v1/webhooks/${webhook.id}/logs`);
    await waitFor(async () => (await log()).data.length > 0, 30_000, 500);
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  it("words the limit's error without a comma before „oder“", async () => {
    await session.openAdminPage("de");
    await card().getByRole("button", { name: "Bearbeiten" }).click();
    await form().getByLabel("Zustellungen pro Sekunde").fill("5000");
    await form().getByRole("button", { name: "Speichern" }).click();
    await form()
      .locator("#wf-max_per_second-error")
      .getByText("Eine ganze Zahl von 1 bis 1000 oder leer für keine Begrenzung", { exact: true })
      .waitFor();
  });

  it("shows an event's start without seconds and with its time zone", async () => {
    await session.openAdminPage("de");
    await card().getByRole("button", { name: "Bearbeiten" }).click();
    await form().getByRole("option", { name: "Messe 2026 01.03.2026, 09:00 UTC · ev_messe" }).waitFor();
  });

  it("times the chart's bars by the hour and the 7 days' start by its date", async () => {
    await session.openAdminPage("de");
    const titles = () => card().locator(".activity-chart svg g title").allTextContents();
    await waitFor(async () => (await titles()).length === 24, 10_000);
    for (const title of await titles()) {
      expect(title).toMatch(/^\d\d\.\d\d\.\d{4}, \d\d:00 Uhr – \d+ zugestellt, \d+ fehlgeschlagen$/);
    }
    expect(await card().locator('[data-slot="activity-from"]').textContent()).toMatch(
      /^\d\d\.\d\d\.\d{4}, \d\d:00 Uhr$/,
    );
    await card().getByRole("button", { name: "7 Tage" }).click();
    await waitFor(async () => (await titles()).length === 7, 10_000);
    expect(await titles()).toEqual(
      Array.from({ length: 7 }, () => expect.stringMatching(/^\d\d\.\d\d\.\d{4} – \d+ zugestellt/)),
    );
    expect(await card().locator('[data-slot="activity-from"]').textContent()).toMatch(/^\d\d\.\d\d\.\d{4}$/);
  });

  it("says no change was sent yet beside a test it counts, and „in den letzten 7 Tagen“", async () => {
    const quiet = await session.adminApi("POST", "/v1/webhooks", {
      name: "Stiller Empfänger",
      url: endpointOf(receiver.port, "/still").url,
    });
    const still = () => page.getByRole("article", { name: "Stiller Empfänger" });
    await session.openAdminPage("de");
    await still().getByText("Keine Anfragen in den letzten 24 Stunden.", { exact: true }).waitFor();
    await still().getByRole("button", { name: "7 Tage" }).click();
    await still().getByText("Keine Anfragen in den letzten 7 Tagen.", { exact: true }).waitFor();
    await session.adminApi("POST", `/v1/webhooks/${quiet.id}/test`, {});
    await session.reloadAdminPage();
    await still()
      .getByText("Noch keine Änderung gesendet (Test-Anfragen zählen hier nicht).", { exact: true })
      .waitFor();
    await still()
      .getByText(/^Letzte 24 Stunden: 1 zugestellt, 0 fehlgeschlagen/)
      .waitFor();
  });

  it("cuts a long entity id in the log to one line, whole in its title", async () => {
    await session.openAdminPage("de");
    await card().getByText("Log-Übersicht", { exact: true }).click();
    const id = card().locator("li.log-entry .entity-id").first();
    expect(await id.getAttribute("title")).toBe(LONG_ID);
    const cell = card().locator("li.log-entry .cell-entity").first();
    const { height, lineHeight, cut } = await id.evaluate((element) => ({
      height: element.closest(".cell")?.getBoundingClientRect().height ?? 0,
      lineHeight:
        Number.parseFloat(getComputedStyle(element).lineHeight) ||
        1.3 * Number.parseFloat(getComputedStyle(element).fontSize),
      cut: element.scrollWidth > element.clientWidth,
    }));
    expect(cut).toBe(true);
    expect(height, (await cell.textContent()) ?? "").toBeLessThan(lineHeight * 1.5);
  });
});
