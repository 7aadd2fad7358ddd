// The admin page as an admin uses it: Debian's Chromium against the service started exactly as
// `npm start` starts it, delivering to a receiver on 127.0.0.1. Run with `npm run test:browser`.
import type { Server } from "node:http";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { endpointOf, startReceiver } from "../node/receiver";
import type { StartedService } from "../node/started-service";
import { type Session, startSession } from "./session";

const SCREENSHOT = join(import.meta.dirname, "../../docs/admin-page.png");
const HOOK_PATH = "/hooks/admin-page";

describe("the admin page (Settings → Integrations → Couplings)", () => {
  let session: Session;
  let service: StartedService;
  let page: Page;
  let receiver: { server: Server; port: number };

  const printed = (label: string) => session.printed(label);
  const hook = () => endpointOf(receiver.port, HOOK_PATH);
  const hookUrl = () => hook().url;
  const card = () => page.getByRole("article", { name: "CRM sync" });
  const received = () => hook().requests();

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    ({ service, page } = session);
    await hook().script({ status: 200, body: '{"received":true}' });
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  it("opens with the token of npm start's link and takes the token out of the address bar", async () => {
    const link = printed("Admin page");
    expect(link, service.output()).toMatch(/\/admin#token=/);
    await page.goto(link);
    await page.getByRole("heading", { name: "Couplings", level: 1 }).waitFor();
    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("listitem");
    expect(await crumbs.allTextContents()).toEqual(["Settings", "Integrations", "Couplings"]);
    expect(page.url()).toBe(`${service.base}/admin`);
    await page.getByText("No webhooks yet.").waitFor();
  });

  it("shows the API's error next to the URL field when the URL is ftp://", async () => {
    await page.getByRole("button", { name: "New webhook" }).click();
    const dialog = page.getByRole("dialog", { name: "New webhook" });
    await dialog.getByLabel("Name", { exact: true }).fill("CRM sync");
    await dialog.getByLabel("URL", { exact: true }).fill("ftp://127.0.0.1/hooks");
    await dialog.getByRole("button", { name: "Save" }).click();
    const url = dialog.getByLabel("URL", { exact: true });
    const error = dialog.locator("#wf-url-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/https/);
    expect(await url.getAttribute("aria-invalid")).toBe("true");
    expect(await url.getAttribute("aria-describedby")).toContain("wf-url-error");
    expect(await url.evaluate((input) => input === document.activeElement)).toBe(true);
  });

  it("creates the webhook through the form", async () => {
    const dialog = page.getByRole("dialog", { name: "New webhook" });
    await dialog.getByLabel("URL", { exact: true }).fill(hookUrl());
    for (const trigger of await dialog.getByRole("checkbox").all())
      expect(await trigger.isChecked()).toBe(true);
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("status").getByText("Webhook “CRM sync” created.").waitFor();
    await card().getByText("Active", { exact: true }).waitFor();
    await card().getByText(hookUrl()).waitFor();
  });

  it("presses Test webhook and sees the receiver's answer inline", async () => {
    await card().getByRole("button", { name: "Test webhook" }).click();
    await card()
      .getByText(/^Success: 200 in \d+ ms$/)
      .waitFor();
    await card().getByText('"received": true').waitFor();
    const tests = (await received()).map((request) => JSON.parse(request.body));
    expect(tests).toEqual([expect.objectContaining({ action_type: "test", entity_type: "user" })]);
  });

  it("sees a change pushed through the ingest API arrive in the log overview", async () => {
    await session.ingest({
      account_id: "acme",
      entity_type: "company",
      entity_id: 7,
      action_type: "update",
      result: { name: "ACME GmbH" },
    });
    await card().getByText("Log overview").click();
    const row = logRows().filter({ hasText: "Company 7" });
    // Deliveries arrive within seconds; the admin presses Refresh until it is there.
    await vi.waitUntil(
      async () => {
        if ((await row.count()) > 0) return true;
        await refresh();
        return false;
      },
      { timeout: 30_000, interval: 1_000 },
    );
    const summary = await row.locator("summary").textContent();
    expect(summary).toMatch(/Success.*Update.*Company 7.*1.*200.*\d+ ms/);
    await refresh();
    await card()
      .getByText(/^Last delivery .+: 200\.$/)
      .waitFor();
  });

  it("expands the entry to the request and response it logged", async () => {
    const row = logRows().filter({ hasText: "Company 7" });
    await row.locator("summary").click();
    await row.getByText('"name": "ACME GmbH"').waitFor();
    await row.getByText(/webhook-signature: v1,/).waitFor();
    await row.getByText("HTTP 200").waitFor();
    await row.getByText('"received": true').waitFor();
  });

  it("redelivers it and sees the new request on top of the log", async () => {
    await logRows().filter({ hasText: "Company 7" }).getByRole("button", { name: "Redeliver" }).click();
    await card()
      .getByText(/^Redelivered\. Success: 200 in \d+ ms$/)
      .waitFor();
    expect(await logRows().first().locator("summary").textContent()).toMatch(
      /Update \(Redelivery\).*Company 7/,
    );
    const deliveries = (await received()).filter((request) => JSON.parse(request.body).entity_id === 7);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]?.headers["webhook-id"]).toBe(deliveries[0]?.headers["webhook-id"]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it("switches to German and shows the German labels", async () => {
    await page.getByRole("link", { name: "Deutsch" }).click();
    await page.getByRole("heading", { name: "Koppelungen", level: 1 }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    const crumbs = page.getByRole("navigation", { name: "Navigationspfad" }).getByRole("listitem");
    expect(await crumbs.allTextContents()).toEqual(["Einstellungen", "Integrationen", "Koppelungen"]);
    await card().getByText("Aktiv", { exact: true }).waitFor();
    await card().getByRole("button", { name: "Test-Webhook" }).waitFor();
    await card().getByText("Log-Übersicht").waitFor();
    await page.getByRole("button", { name: "Neuer Webhook" }).click();
    const dialog = page.getByRole("dialog", { name: "Neuer Webhook" });
    await dialog.getByRole("group", { name: "Auslöser" }).waitFor();
    await dialog.getByLabel("Events auswählen").waitFor();
  });

  it("shows the API's field errors in German next to their fields", async () => {
    const dialog = page.getByRole("dialog", { name: "Neuer Webhook" });
    await dialog.getByLabel("Name", { exact: true }).fill("ERP");
    await dialog.getByLabel("URL", { exact: true }).fill("ftp://127.0.0.1/hooks");
    await dialog.getByLabel("Events auswählen").fill(`ev_fair\n${"x".repeat(101)}`);
    await dialog.getByRole("button", { name: "Speichern" }).click();
    await dialog.getByText("Event 2: Darf höchstens 100 Zeichen lang sein", { exact: true }).waitFor();
    await dialog.getByText("Bitte korrigieren Sie die markierten Felder.").waitFor();
    await dialog.getByLabel("Events auswählen").fill("ev_fair");
    await dialog.getByRole("button", { name: "Speichern" }).click();
    const error = dialog.locator("#wf-url-error");
    await error.getByText("Muss https oder http verwenden", { exact: true }).waitFor();
    expect(await dialog.getByLabel("URL", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await dialog.getByRole("button", { name: "Abbrechen" }).click();
  });

  it("frames the validator's own wording as an invalid value and keeps unknown messages as sent", async () => {
    const messages = ["Unknown field", "Invalid input: expected boolean, received string", "Gone fishing"];
    // A string, so that vitest leaves the page's own dynamic import alone.
    const shown = await page.evaluate(
      `import("/admin/assets/i18n.js").then(({ apiMessage }) => ${JSON.stringify(messages)}.map(apiMessage))`,
    );
    expect(shown).toEqual([
      "Unbekanntes Feld",
      "Ungültiger Wert (Invalid input: expected boolean, received string)",
      "Gone fishing",
    ]);
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });

  function logRows(): Locator {
    return card().locator("li.log-entry");
  }

  async function refresh() {
    await card().getByRole("button", { name: "Refresh" }).click();
  }
});
