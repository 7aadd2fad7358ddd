// The admin page at every width an admin may use, from a phone (320 px) to a wide screen
// (1440 px): the edit dialog with its header rows fits a phone, the page never scrolls sideways,
// with the log overview, what waits and a failed delivery opened or not; on a phone (390 px) the breadcrumb keeps to one line and every
// log row is laid out alike; at 1280 px the event search's matches show without scrolling.
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { endpointOf, startReceiver } from "../node/receiver";
import { waitFor } from "../wait";
import { type Session, startSession } from "./session";

describe("the admin page at narrow and wide widths", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  const card = () => page.getByRole("article", { name: "Width CRM" });
  const form = () => page.getByRole("dialog", { name: /webhook/i });

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    page = session.page;
    const hook = endpointOf(receiver.port, "/widths");
    await hook.script({ status: 200, body: '{"received":true}' });
    const webhook = await session.adminApi("POST", "/v1/webhooks", {
      name: "Width CRM",
      url: hook.url,
      headers: { "X-Api-Key": "k_live_4f9a" },
    });
    await session.adminApi("POST", `/v1/webhooks/${webhook.id}/test`, {});
    // One receiver keeps failing (its change waits for a retry), another is gone (a failed
    // delivery with a long answer).
    const failing = endpointOf(receiver.port, "/widths-failing");
    const gone = endpointOf(receiver.port, "/widths-gone");
    await failing.script({ status: 500, body: "receiver down for maintenance" });
    await gone.script({ status: 410, body: "this endpoint is gone for good. ".repeat(40) });
    const shop = await session.adminApi("POST", "/v1/webhooks", { name: "Width Shop", url: failing.url });
    await session.adminApi("POST", "/v1/webhooks", { name: "Width Archive", url: gone.url });
    await session.ingest({
      account_id: "acme",
      entity_type: "company",
      entity_id: "company-with-a-rather-long-identifier-4711",
      action_type: "update",
      result: { name: "Breite GmbH" },
    });
    const listed = async (path: string) => (await session.adminApi("GET", path)).data.length > 0;
    await waitFor(() => listed(`/v1/webhooks/${shop.id}/pending`));
    await waitFor(async () =>
      (await session.adminApi("GET", "/v1/webhooks")).data.some(
        (webhook: { name: string; failed_deliveries: number }) =>
          webhook.name === "Width Archive" && webhook.failed_deliveries > 0,
      ),
    );
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  /** What sticks out of `selector`'s box, or is cut off inside it (a button's label). */
  const overflowing = (selector: string) =>
    page.evaluate((selector) => {
      const box = document.querySelector(selector);
      if (!box) return ["missing"];
      const edge = box.getBoundingClientRect().right + 0.5;
      return [...box.querySelectorAll("*")]
        .filter((element) => {
          const rect = element.getBoundingClientRect();
          if (rect.width === 0 || element.closest("template")) return false;
          const cut = element instanceof HTMLButtonElement && element.scrollWidth > element.clientWidth + 1;
          return rect.right > edge || cut;
        })
        .map(
          (element) =>
            `${element.tagName.toLowerCase()}.${element.className}: ${element.textContent?.slice(0, 30)}`,
        );
    }, selector);

  it("fits the edit dialog with header rows into a phone's width", async () => {
    for (const lang of ["en", "de"] as const) {
      for (const width of [320, 360, 390]) {
        await page.setViewportSize({ width, height: 800 });
        await session.openAdminPage(lang);
        await card()
          .getByRole("button", { name: lang === "en" ? "Edit" : "Bearbeiten" })
          .click();
        await form()
          .getByRole("button", { name: lang === "en" ? "Add header" : "Header hinzufügen" })
          .click();
        expect(await overflowing("#webhook-dialog"), `${lang} at ${width} px`).toEqual([]);
        await page.keyboard.press("Escape");
      }
    }
  });

  /** The lines the breadcrumb takes, and each log row's cells as [label top, value top, value lines]. */
  const phoneLayout = () =>
    page.evaluate(() => {
      const lines = (element: Element) =>
        Math.round(
          element.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(element).lineHeight),
        );
      const crumbs = [...document.querySelectorAll(".breadcrumb li")].map((li) =>
        Math.round(li.getBoundingClientRect().top),
      );
      const rows = [...document.querySelectorAll("li.log-entry .log-row")].map((row) =>
        [...row.querySelectorAll(".cell")].map((cell) => {
          const label = cell.querySelector(".cell-label") as Element;
          const value = cell.querySelector("[data-slot]") as Element;
          return {
            beside: Math.abs(label.getBoundingClientRect().bottom - value.getBoundingClientRect().bottom) < 6,
            lines: lines(value),
          };
        }),
      );
      return { crumbLines: new Set(crumbs).size, rows };
    });

  it("keeps the breadcrumb on one line and lays every log row out alike on a phone", async () => {
    for (const lang of ["en", "de"] as const) {
      await page.setViewportSize({ width: 390, height: 800 });
      await session.openAdminPage(lang);
      await card().locator('[data-slot="log-panel"] > summary').click();
      await card().locator("li.log-entry").first().waitFor();
      const { crumbLines, rows } = await phoneLayout();
      expect(crumbLines, `${lang}: breadcrumb`).toBe(1);
      expect(rows.length).toBeGreaterThan(0);
      // Each cell a line of its own: the label beside its value, the value on one line.
      for (const row of rows) expect(row, lang).toEqual(row.map(() => ({ beside: true, lines: 1 })));
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("shows the event search's matches without scrolling the dialog at 1280 px", async () => {
    await session.putEvents([
      { id: "ev_width_1", name: "Messe Breite", starts_at: "2026-03-01T09:00:00Z" },
      { id: "ev_width_2", name: "Gala Breite" },
    ]);
    for (const lang of ["en", "de"] as const) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await session.openAdminPage(lang);
      await card()
        .getByRole("button", { name: lang === "en" ? "Edit" : "Bearbeiten" })
        .click();
      await form().locator("#wf-event-search").fill("Breite");
      const option = form().getByRole("option", { name: /Gala Breite/ });
      await option.waitFor();
      const inView = async () => {
        const [box, dialog] = await Promise.all([option.boundingBox(), form().boundingBox()]);
        return Boolean(box && dialog && box.y + box.height <= dialog.y + dialog.height);
      };
      await vi.waitUntil(inView, { timeout: 5_000 });
      await page.keyboard.press("Escape");
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("never scrolls sideways with the log overview, what waits and a failed delivery open, from 320 to 1440 px", async () => {
    const archive = () => page.getByRole("article", { name: "Width Archive" });
    for (const lang of ["en", "de"] as const) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await session.openAdminPage(lang);
      await card().locator('[data-slot="log-panel"] > summary').click();
      await card().locator("li.log-entry").first().waitFor();
      await page.getByRole("article", { name: "Width Shop" }).locator("li.pending-entry").first().waitFor();
      await archive().locator('[data-slot="failed-panel"] > summary').click();
      await archive().locator("li.failed-entry summary").first().click();
      await archive().locator('[data-slot="response-body"]').first().waitFor();
      const sideways: number[] = [];
      for (let width = 320; width <= 1440; width += 10) {
        await page.setViewportSize({ width, height: 900 });
        const scrolls = await page.evaluate(
          () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
        );
        if (scrolls) sideways.push(width);
      }
      expect(sideways, lang).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
