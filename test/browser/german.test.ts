// The German page as an EventInsight admin reads it at 1280 px: every dictionary key and every
// state of the page in German (no English UI word), no word broken across lines, no button
// wrapped, and a success message gone once the admin moves on. Errors: german-errors.test.ts.
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, startReceiver } from "../node/receiver";
import { waitFor } from "../wait";
import { dictionaryOf, englishIn, englishWords, readPageText } from "./page-text";
import { type Session, startSession } from "./session";

describe("the German admin page", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  let english: Set<string>;
  const card = (name: string) => page.getByRole("article", { name });
  const form = () => page.getByRole("dialog", { name: /Webhook/ });

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    page = session.page;
    const [shop, gone] = [endpointOf(receiver.port, "/erp"), endpointOf(receiver.port, "/lager")];
    await shop.script({ status: 200, body: '{"ok":true}' });
    await gone.script({ status: 410 });
    await endpointOf(receiver.port, "/archiv").script({ status: 410 }, { status: 200 });
    await session.putEvents([{ id: "ev_messe", name: "Messe 2026", starts_at: "2026-03-01T09:00:00Z" }]);
    const erp = await session.adminApi("POST", "/v1/webhooks", {
      name: "Warenwirtschaft",
      url: shop.url,
      event_ids: ["ev_messe", "ev_alt"],
      headers: { "X-Api-Key": "geheim" },
      max_per_second: 20,
      triggers: ["user.new", "user.update", "user.delete", "webhook.disabled"],
    });
    await session.adminApi("POST", "/v1/webhooks", { name: "Lager", url: gone.url });
    await session.adminApi("POST", `/v1/webhooks/${erp.id}/test`, {});
    await session.ingest({ account_id: "acme", entity_type: "user", entity_id: 5, action_type: "delete" });
    await archiveWithSupersededDelivery();
    await session.openAdminPage("en");
    english = englishWords(await dictionaryOf(page));
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  const webhookNamed = async (name: string) =>
    (await session.adminApi("GET", "/v1/webhooks")).data.find(
      (webhook: { name: string }) => webhook.name === name,
    );

  /**
   * Archiv: a change the receiver answered 410, then a newer change of the same user delivered
   * once it was active again, and a recover that finds the older one superseded.
   */
  async function archiveWithSupersededDelivery() {
    await waitFor(async () => (await webhookNamed("Lager"))?.disabled_reason === "gone", 30_000, 500);
    const archiv = await session.adminApi("POST", "/v1/webhooks", {
      name: "Archiv",
      url: endpointOf(receiver.port, "/archiv").url,
    });
    const change = (name: string) =>
      session.ingest({
        account_id: "acme",
        entity_type: "user",
        entity_id: 9,
        action_type: "update",
        result: { name },
      });
    await change("Alt");
    await waitFor(async () => (await webhookNamed("Archiv"))?.disabled_reason === "gone", 30_000, 500);
    await session.adminApi("PATCH", `/v1/webhooks/${archiv.id}`, { is_active: true });
    await change("Neu");
    await waitFor(async () => (await webhookNamed("Archiv"))?.last_status === 200, 30_000, 500);
    await session.adminApi("POST", `/v1/webhooks/${archiv.id}/recover`, { since: "2020-01-01T00:00:00Z" });
  }

  /** The admin reloads until the 410 has disabled Lager. */
  async function openWithLagerDisabled() {
    await waitFor(
      async () => {
        await session.openAdminPage("de");
        return card("Lager").getByText("1 Fehlschlag in Folge", { exact: false }).isVisible();
      },
      30_000,
      500,
    );
  }

  /** English words, broken words and wrapped buttons in what the page shows now. */
  async function problemsOnPage(state: string) {
    const { texts, brokenWords, wrappedButtons } = await readPageText(page);
    return { state, english: englishIn(texts, english), brokenWords, wrappedButtons };
  }
  const clean = (state: string) => ({ state, english: [], brokenWords: [], wrappedButtons: [] });

  it("words every key of its dictionary in German", async () => {
    await session.openAdminPage("de");
    const german = await dictionaryOf(page);
    const leftovers = Object.entries(german)
      .map(([key, text]) => [key, englishIn([text], english)] as const)
      .filter(([, words]) => words.length > 0);
    expect(leftovers).toEqual([]);
  });

  it("shows no English word, breaks no word and wraps no button, in any state of the page", async () => {
    await openWithLagerDisabled();
    const seen = [];
    const panels = /Signaturschlüssel|Log-Übersicht|Fehlgeschlagene Zustellungen/;
    for (const summary of await page.locator("summary", { hasText: panels }).all()) await summary.click();
    await card("Archiv").getByText("Überholt", { exact: true }).waitFor();
    await card("Lager").locator("li.failed-entry summary").first().click();
    await card("Lager").getByText("Gesendeter Inhalt", { exact: true }).first().waitFor();
    await card("Warenwirtschaft").locator("li.log-entry summary").first().click();
    await card("Warenwirtschaft").getByRole("button", { name: "Webhook testen" }).click();
    await card("Warenwirtschaft")
      .getByText(/^Erfolgreich: 200 in \d+ ms$/)
      .waitFor();
    seen.push(await problemsOnPage("the list, panels open, a failed delivery opened, a test sent"));
    await card("Warenwirtschaft").getByRole("button", { name: "7 Tage" }).click();
    await card("Warenwirtschaft")
      .getByText(/^Letzte 7 Tage: \d+ zugestellt/)
      .waitFor();
    seen.push(await problemsOnPage("the activity of 7 days"));
    await card("Lager").getByRole("button", { name: "Zustellungen nachholen" }).click();
    await card("Lager")
      .getByText(/^Aktivieren Sie den Webhook zuerst/)
      .waitFor();
    seen.push(await problemsOnPage("Recover refused while disabled"));
    await card("Warenwirtschaft").getByRole("button", { name: "Bearbeiten" }).click();
    await form()
      .getByRole("list", { name: "Gewählte Veranstaltungen" })
      .getByText("ID, nicht im Katalog")
      .waitFor();
    await form().getByLabel("Name", { exact: true }).fill("");
    await form().getByLabel("URL", { exact: true }).fill("ftp://127.0.0.1/erp");
    await form().getByRole("button", { name: "Header hinzufügen" }).click();
    await form().locator("#wf-header-rows > li").last().getByLabel("Header-Name").fill("Host");
    await form().getByLabel("Zustellungen pro Sekunde").fill("5000");
    await form().getByLabel("Veranstaltungen suchen").fill("konzert");
    await form().getByText("Keine Veranstaltung passt zu „konzert“.").waitFor();
    await form().getByRole("button", { name: "Speichern" }).click();
    await form().getByText("Bitte korrigieren Sie die markierten Felder.").waitFor();
    await form()
      .getByText("Diesen Header setzt der Dienst selbst; wählen Sie einen anderen Namen", { exact: true })
      .waitFor();
    seen.push(await problemsOnPage("the edit form with field errors"));
    await form().getByRole("button", { name: "Abbrechen" }).click();
    await card("Lager").getByRole("button", { name: "Löschen" }).click();
    await page.getByRole("dialog", { name: "Webhook löschen?" }).waitFor();
    seen.push(await problemsOnPage("the delete confirmation"));
    expect(seen).toEqual(seen.map(({ state }) => clean(state)));
  });

  it("keeps a success message only until the admin's next action", async () => {
    await session.openAdminPage("de");
    await card("Warenwirtschaft").getByRole("button", { name: "Bearbeiten" }).click();
    await form().getByRole("button", { name: "Speichern" }).click();
    const saved = page.getByText("Webhook „Warenwirtschaft“ gespeichert.");
    await saved.waitFor();
    await card("Warenwirtschaft").getByRole("button", { name: "Webhook testen" }).click();
    await card("Warenwirtschaft")
      .getByText(/^Erfolgreich: 200/)
      .waitFor();
    expect(await saved.count()).toBe(0);
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
