// The German page as an EventInsight admin reads it at 1280 px: every dictionary key and every
// state of the page in German (no English UI word), no word broken across lines, no button
// wrapped, errors of every kind in German, and a success message gone once the admin moves on.
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
    await session.putEvents([{ id: "ev_messe", name: "Messe 2026", starts_at: "2026-03-01T09:00:00Z" }]);
    const erp = await session.adminApi("POST", "/v1/webhooks", {
      name: "Warenwirtschaft",
      url: shop.url,
      event_ids: ["ev_messe", "ev_alt"],
    });
    await session.adminApi("POST", "/v1/webhooks", { name: "Lager", url: gone.url });
    await session.adminApi("POST", `/v1/webhooks/${erp.id}/test`, {});
    await session.ingest({ account_id: "acme", entity_type: "user", entity_id: 5, action_type: "delete" });
    await session.openAdminPage("en");
    english = englishWords(await dictionaryOf(page));
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

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
    for (const summary of await page.locator("summary", { hasText: /Signaturschlüssel|Log-Übersicht/ }).all())
      await summary.click();
    await card("Warenwirtschaft").locator("li.log-entry summary").first().click();
    await card("Warenwirtschaft").getByRole("button", { name: "Test-Webhook" }).click();
    await card("Warenwirtschaft")
      .getByText(/^Erfolgreich: 200 in \d+ ms$/)
      .waitFor();
    seen.push(await problemsOnPage("the list, panels open, a test sent"));
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
    await form().getByLabel("Veranstaltungen suchen").fill("konzert");
    await form().getByText("Keine Veranstaltung passt zu „konzert“.").waitFor();
    await form().getByRole("button", { name: "Speichern" }).click();
    await form().getByText("Bitte korrigieren Sie die markierten Felder.").waitFor();
    seen.push(await problemsOnPage("the edit form with field errors"));
    await form().getByRole("button", { name: "Abbrechen" }).click();
    await card("Lager").getByRole("button", { name: "Löschen" }).click();
    await page.getByRole("dialog", { name: "Webhook löschen?" }).waitFor();
    seen.push(await problemsOnPage("the delete confirmation"));
    expect(seen).toEqual(seen.map(({ state }) => clean(state)));
  });

  it("shows all field errors of the form at once, each by its code in German", async () => {
    await session.openAdminPage("de");
    await page.getByRole("button", { name: "Neuer Webhook" }).click();
    await form().getByLabel("URL", { exact: true }).fill("ftp://127.0.0.1/hooks");
    await form().getByLabel("Veranstaltungen suchen").fill("x".repeat(101));
    await form().getByLabel("Veranstaltungen suchen").press("Enter");
    await form().getByRole("button", { name: "Speichern" }).click();
    await form().locator("#wf-name-error").getByText("Darf nicht leer sein", { exact: true }).waitFor();
    await form()
      .locator("#wf-url-error")
      .getByText("Muss https oder http verwenden", { exact: true })
      .waitFor();
    await form()
      .getByText(`„${"x".repeat(101)}“: Darf höchstens 100 Zeichen lang sein`, { exact: true })
      .waitFor();
  });

  it.each([
    [409, {}, "Im aktuellen Zustand des Webhooks nicht möglich."],
    [413, {}, "Zu viele Daten für eine Anfrage."],
    [
      429,
      { "retry-after": "10" },
      "Zu viele Änderungen auf einmal. Bitte versuchen Sie es in 10 Sekunden erneut.",
    ],
    [
      503,
      {},
      "Der Dienst konnte den Auftrag gerade nicht annehmen. Bitte versuchen Sie es gleich noch einmal.",
    ],
    [
      500,
      {},
      "Auf unserer Seite ist ein Fehler aufgetreten. Falls er wieder auftritt, geben Sie bei Rückfragen die Anfrage-ID 7f3c2a9e an.",
    ],
  ])("says in German what a %i answer means", async (status, headers, expected) => {
    const code = { 409: "conflict", 413: "payload_too_large", 429: "rate_limited", 503: "queue_unavailable" };
    const type = `https://eventinsight.io/problems/webhooks/${code[status as keyof typeof code] ?? "internal_error"}`;
    const problem = {
      type,
      title: "English title",
      status,
      detail: "English detail",
      request_id: "7f3c2a9e",
    };
    await page.route("**/v1/webhooks/*/test", (route) =>
      route.fulfill({
        status,
        headers,
        contentType: "application/problem+json",
        body: JSON.stringify(problem),
      }),
    );
    try {
      await session.openAdminPage("de");
      await card("Warenwirtschaft").getByRole("button", { name: "Test-Webhook" }).click();
      await card("Warenwirtschaft").getByText(expected, { exact: true }).waitFor();
    } finally {
      await page.unroute("**/v1/webhooks/*/test");
    }
  });

  it("keeps a success message only until the admin's next action", async () => {
    await session.openAdminPage("de");
    await card("Warenwirtschaft").getByRole("button", { name: "Bearbeiten" }).click();
    await form().getByRole("button", { name: "Speichern" }).click();
    const saved = page.getByText("Webhook „Warenwirtschaft“ gespeichert.");
    await saved.waitFor();
    await card("Warenwirtschaft").getByRole("button", { name: "Test-Webhook" }).click();
    await card("Warenwirtschaft")
      .getByText(/^Erfolgreich: 200/)
      .waitFor();
    expect(await saved.count()).toBe(0);
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
