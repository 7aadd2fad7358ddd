// The German admin page's errors: every field error of a form at once, worded by its code, and
// every refusal by its problem type (the API's English never shown), a superseded delivery among them.
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, startReceiver } from "../node/receiver";
import type { ScriptedAnswer } from "../receiver-script";
import { waitFor } from "../wait";
import { type Session, startSession } from "./session";

describe("errors on the German admin page", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  const card = (name: string) => page.getByRole("article", { name });
  const form = () => page.getByRole("dialog", { name: /Webhook/ });

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    page = session.page;
    const [shop, gone] = [endpointOf(receiver.port, "/erp"), endpointOf(receiver.port, "/lager")];
    await shop.script({ status: 200, body: '{"ok":true}' });
    await gone.script({ status: 410 });
    await session.adminApi("POST", "/v1/webhooks", { name: "Warenwirtschaft", url: shop.url });
    const lager = await session.adminApi("POST", "/v1/webhooks", { name: "Lager", url: gone.url });
    await session.ingest({ account_id: "acme", entity_type: "user", entity_id: 5, action_type: "delete" });
    const failed = () => session.adminApi("GET", `/v1/webhooks/${lager.id}/failed`);
    await waitFor(async () => (await failed()).data.length > 0, 30_000, 500);
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  it("shows all field errors of the form at once, each by its code in German", async () => {
    await session.openAdminPage("de");
    await page.getByRole("button", { name: "Neuer Webhook" }).click();
    await form().getByLabel("URL", { exact: true }).fill("ftp://127.0.0.1/hooks");
    await form()
      .getByLabel("Veranstaltungen suchen")
      .fill(`ev_${"x".repeat(98)}`);
    await form()
      .getByRole("button", { name: `ID „ev_${"x".repeat(98)}“ übernehmen` })
      .click();
    await form().getByRole("button", { name: "Speichern" }).click();
    await form().locator("#wf-name-error").getByText("Darf nicht leer sein", { exact: true }).waitFor();
    await form()
      .locator("#wf-url-error")
      .getByText("Muss https oder http verwenden", { exact: true })
      .waitFor();
    await form()
      .getByText(`„ev_${"x".repeat(98)}“: Darf höchstens 100 Zeichen lang sein`, { exact: true })
      .waitFor();
  });

  it.each([
    [409, {}, "Im aktuellen Zustand des Webhooks nicht möglich."],
    [413, {}, "Zu viele Daten für eine Anfrage."],
    [429, { "retry-after": "10" }, "Zu viele Anfragen. Bitte versuchen Sie es in 10 Sekunden erneut."],
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
      await card("Warenwirtschaft").getByRole("button", { name: "Webhook testen" }).click();
      await card("Warenwirtschaft").getByText(expected, { exact: true }).waitFor();
    } finally {
      await page.unroute("**/v1/webhooks/*/test");
    }
  });

  /** Redeliver on Lager's first failed delivery, answered with the 409 problem `type`. */
  async function redeliverRefused(type: "superseded" | "conflict") {
    const problem = {
      type: `https://eventinsight.io/problems/webhooks/${type}`,
      title: "Conflict",
      status: 409,
    };
    await page.route("**/v1/webhooks/*/failed/*/redeliver", (route) =>
      route.fulfill({ status: 409, contentType: "application/problem+json", body: JSON.stringify(problem) }),
    );
    try {
      await session.openAdminPage("de");
      await card("Lager").getByText("Fehlgeschlagene Zustellungen", { exact: true }).click();
      await card("Lager")
        .locator("li.failed-entry")
        .getByRole("button", { name: "Erneut senden" })
        .first()
        .click();
      await card("Lager").locator('[data-slot="failed-status"] p').waitFor();
      return await card("Lager").locator('[data-slot="failed-status"]').textContent();
    } finally {
      await page.unroute("**/v1/webhooks/*/failed/*/redeliver");
    }
  }

  it("says in German why a delivery a newer change overtook is not sent again", async () => {
    expect(await redeliverRefused("superseded")).toMatch(
      /^Nicht gesendet: Eine neuere Änderung desselben Datensatzes wurde inzwischen zugestellt/,
    );
  });

  it("says in German that a delivery on its way already is not sent twice", async () => {
    expect(await redeliverRefused("conflict")).toBe(
      "Jetzt nicht gesendet: Diese Zustellung oder eine frühere Änderung desselben Datensatzes ist gerade unterwegs. Die Änderungen eines Datensatzes bleiben in ihrer Reihenfolge: siehe „Ausstehende Zustellungen“.",
    );
  });

  it("explains a superseded delivery as overtaken by a change delivered since", async () => {
    const superseded = {
      id: "fd_superseded",
      message_id: "msg_superseded",
      action_type: "update",
      entity_type: "user",
      entity_id: 8,
      reason: "superseded",
      attempts: 1,
      payload: { entity_id: 8, entity_type: "user", action_type: "update", result: { name: "Alt" } },
      last_status: 503,
      last_error: null,
      last_response: { status: 503, body: "Wartung", body_truncated: false },
      failed_at: "2026-12-01T10:00:00Z",
      recovery_queued_at: null,
      recovered_at: null,
    };
    await page.route("**/v1/webhooks/*/failed?*", (route) =>
      route.fulfill({ status: 200, json: { data: [superseded], next_cursor: null } }),
    );
    try {
      await session.openAdminPage("de");
      await card("Lager").getByText("Fehlgeschlagene Zustellungen", { exact: true }).click();
      await card("Lager")
        .locator("li.failed-entry")
        .getByText(/^Eine neuere Änderung desselben Datensatzes wurde inzwischen zugestellt, deshalb/)
        .waitFor();
    } finally {
      await page.unroute("**/v1/webhooks/*/failed?*");
    }
  });

  /** A webhook of its own to a receiver path answering `answer`, tested on the German page. */
  async function testWebhookAnswering(name: string, answer: ScriptedAnswer) {
    const endpoint = endpointOf(receiver.port, `/${name.toLowerCase()}`);
    await endpoint.script(answer);
    await session.adminApi("POST", "/v1/webhooks", { name, url: endpoint.url });
    await session.openAdminPage("de");
    await card(name).getByRole("button", { name: "Webhook testen" }).click();
    await card(name)
      .getByText(/^Fehlgeschlagen: /)
      .waitFor();
    await card(name).getByText("Log-Übersicht", { exact: true }).click();
    return card(name).locator("li.log-entry").first();
  }

  it("says in German that the connection failed, the runtime's English only in the detail", async () => {
    const entry = await testWebhookAnswering("Abgerissen", { status: 200, reset: true });
    await card("Abgerissen")
      .getByText(
        /^Fehlgeschlagen: keine Antwort \(Netzwerkfehler: Die Verbindung zum Empfänger ist fehlgeschlagen\) in \d+ ms$/,
      )
      .waitFor();
    const status = entry.locator('.cell-status [data-slot="status"]');
    expect(await status.textContent()).toBe("Netzwerk");
    const { height, lineHeight } = await status.evaluate((element) => ({
      height: element.getBoundingClientRect().height,
      lineHeight: Number.parseFloat(getComputedStyle(element).lineHeight),
    }));
    expect(height).toBeLessThan(lineHeight * 1.5);
    await entry.locator("summary").click();
    await entry
      .getByText("Fehler: Netzwerkfehler: Die Verbindung zum Empfänger ist fehlgeschlagen", { exact: true })
      .waitFor();
    const raw = entry.locator('[data-slot="response-raw"]');
    expect(await raw.textContent()).toMatch(/^Originalmeldung \(englisch\): \S/);
    expect(await raw.locator("code").getAttribute("translate")).toBe("no");
  });

  it("says that a redirect was not followed", async () => {
    const entry = await testWebhookAnswering("Umgezogen", {
      status: 302,
      headers: { location: "https://example.com/new" },
    });
    await card("Umgezogen")
      .getByText(/^Fehlgeschlagen: 302 \(Weiterleitung nicht gefolgt\) in \d+ ms$/)
      .waitFor();
    await entry.locator("summary").click();
    await entry.getByText("Fehler: Weiterleitung nicht gefolgt", { exact: true }).waitFor();
    expect(await entry.locator('[data-slot="response-raw"]').isVisible()).toBe(false);
  });

  it("comments the signature snippet in German", async () => {
    await session.openAdminPage("de");
    await card("Warenwirtschaft").getByText("Signaturschlüssel", { exact: true }).first().click();
    const snippet = await card("Warenwirtschaft").locator("pre.code").textContent();
    expect(snippet).toContain("// rawBody: der Inhalt der Anfrage unverändert, wie er ankam");
    expect(snippet).not.toContain("the request body");
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
