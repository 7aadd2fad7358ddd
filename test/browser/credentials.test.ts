// A webhook's signing scheme and endpoint authentication on the admin page: an Ed25519 webhook's
// card shows, copies and rotates its public key (never a secret); the scheme changes back in the
// form; OAuth2 client credentials are saved with the client secret hidden once saved (kept when
// left empty, revealed on request), asked for again with a new token URL, and removed; field
// errors sit next to their fields, in English and in German.
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, startReceiver } from "../node/receiver";
import { dictionaryOf, englishIn, englishWords, readPageText } from "./page-text";
import { type Session, startSession } from "./session";

const CLIENT_SECRET = "cs_live_8d41f0b2";

describe("signing scheme and authentication on the admin page", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  const ledger = () => endpointOf(receiver.port, "/ledger");
  const card = () => page.getByRole("article", { name: "Ledger" });
  const form = () => page.getByRole("dialog", { name: /webhook/i });
  const webhook = async () => (await session.adminApi("GET", "/v1/webhooks")).data[0];
  const apiKey = async () => session.adminApi("GET", `/v1/webhooks/${(await webhook()).id}/secret`);
  const savedAuth = async () =>
    (await session.adminApi("GET", `/v1/webhooks/${(await webhook()).id}/auth`)).auth;
  const authGroup = () => form().getByRole("group", { name: "Authentication" });

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    page = session.page;
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await ledger().script({ status: 200, body: "{}" });
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  async function save(message: string) {
    await form().getByRole("button", { name: "Save" }).click();
    await form().waitFor({ state: "hidden" });
    await page.getByRole("status").getByText(message).waitFor();
  }

  async function edit(lang: "en" | "de" = "en") {
    await session.openAdminPage(lang);
    await card()
      .getByRole("button", { name: lang === "en" ? "Edit" : "Bearbeiten" })
      .click();
  }

  it("creates an Ed25519 webhook whose card shows, copies and rotates the public key", async () => {
    await session.openAdminPage();
    await page.getByRole("button", { name: "New webhook" }).click();
    await form().getByLabel("Name", { exact: true }).fill("Ledger");
    await form().getByLabel("URL", { exact: true }).fill(ledger().url);
    await form().getByRole("group", { name: "Signing scheme" }).getByLabel("Ed25519 (public key)").check();
    await save("Webhook “Ledger” created.");
    expect((await webhook()).signature_scheme).toBe("ed25519");

    await card().locator("summary", { hasText: "Public key (Ed25519)" }).click();
    const key = card().getByLabel("Public key", { exact: true });
    const { public_key } = await apiKey();
    await expect.poll(() => key.inputValue()).toBe(public_key);
    expect(await card().getByRole("button", { name: "Reveal" }).isVisible()).toBe(false);
    await card().getByRole("button", { name: "Copy" }).click();
    await card().getByText("Public key copied.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(public_key);

    await card().getByRole("button", { name: "Rotate" }).click();
    await page
      .getByRole("dialog", { name: "Rotate the signing secret?" })
      .getByRole("button", { name: "Rotate" })
      .click();
    await card()
      .getByText(/^New key pair created\. The old key keeps signing until .+\.$/)
      .waitFor();
    expect(await key.inputValue()).toBe((await apiKey()).public_key);
    expect(await key.inputValue()).not.toBe(public_key);
    await card().getByRole("button", { name: "Test webhook" }).click();
    await card()
      .getByText(/^Success: 200 in \d+ ms$/)
      .waitFor();
    const [test] = await ledger().requests();
    expect(test?.headers["webhook-signature"]).toMatch(/^v1a,\S+ v1a,\S+$/);
  });

  it("changes the scheme back to HMAC in the form; the card then reveals the signing secret", async () => {
    await edit();
    const scheme = form().getByRole("group", { name: "Signing scheme" });
    expect(await scheme.getByLabel("Ed25519 (public key)").isChecked()).toBe(true);
    await scheme.getByLabel("HMAC-SHA256 (signing secret)").check();
    await save("Webhook “Ledger” saved.");
    expect((await webhook()).signature_scheme).toBe("hmac-sha256");
    await card().locator("summary", { hasText: "Signing secret" }).click();
    await card().getByRole("button", { name: "Reveal" }).click();
    const secret = card().getByLabel("Signing secret", { exact: true });
    await expect.poll(() => secret.inputValue()).toMatch(/^whsec_/);
    expect(await secret.inputValue()).toBe((await apiKey()).secret);
  });

  it("saves OAuth2 client credentials; the client secret stays hidden on the card and in the form", async () => {
    await edit();
    expect(await form().getByLabel("Token URL").isVisible()).toBe(false);
    await authGroup().getByLabel("OAuth2 client credentials").check();
    await form().getByLabel("Token URL").fill("https://login.example.com/oauth/token");
    await form().getByLabel("Client ID").fill("eventinsight");
    await form().getByLabel("Client secret").fill(CLIENT_SECRET);
    await form().getByLabel("Scope").fill("webhooks.write");
    await save("Webhook “Ledger” saved.");
    expect(await savedAuth()).toEqual({
      type: "oauth2_client_credentials",
      token_url: "https://login.example.com/oauth/token",
      client_id: "eventinsight",
      client_secret: CLIENT_SECRET,
      scope: "webhooks.write",
    });
    await card().getByText("OAuth2 client credentials", { exact: true }).waitFor();
    expect(await page.getByText(CLIENT_SECRET).count()).toBe(0);

    await edit();
    const secret = form().getByLabel("Client secret");
    expect(await secret.inputValue()).toBe("");
    expect(await secret.getAttribute("placeholder")).toMatch(/^••••/);
    await form().getByLabel("Scope").fill("webhooks.write crm.read");
    await save("Webhook “Ledger” saved.");
    expect(await savedAuth()).toMatchObject({
      client_secret: CLIENT_SECRET,
      scope: "webhooks.write crm.read",
    });

    await edit();
    await authGroup().getByRole("button", { name: "Reveal" }).click();
    await expect.poll(() => secret.inputValue()).toBe(CLIENT_SECRET);
    await authGroup().getByRole("button", { name: "Hide" }).click();
    expect(await secret.inputValue()).toBe("");
    await form().getByRole("button", { name: "Cancel" }).click();
  });

  it("asks for the client secret again with a new token URL, and puts each field error next to its field", async () => {
    await edit();
    await form().getByLabel("Token URL").fill("https://sso.example.com/token");
    await form().getByRole("button", { name: "Save" }).click();
    await form()
      .locator('[data-error-for="auth.client_secret"]')
      .getByText("Enter the client secret: a new token URL or client ID needs it again", { exact: true })
      .waitFor();
    expect(await form().getByLabel("Client secret").getAttribute("aria-invalid")).toBe("true");

    await form().getByLabel("Token URL").fill("login/token");
    await form().getByLabel("Client ID").fill("");
    await form().getByLabel("Scope").fill('read "all"');
    await form().getByRole("button", { name: "Save" }).click();
    const errorOf = (field: string) => form().locator(`[data-error-for="auth.${field}"]`);
    await errorOf("token_url")
      .getByText("Must be an absolute URL, e.g. https://login.example.com/oauth/token", { exact: true })
      .waitFor();
    expect(await errorOf("client_id").textContent()).toBe("Must not be empty");
    expect(await errorOf("scope").textContent()).toBe(
      'Permissions are names separated by single spaces, without " or \\',
    );
    expect(await errorOf("client_secret").isVisible()).toBe(false);
    await form().getByRole("button", { name: "Cancel" }).click();
    expect((await savedAuth()).token_url).toBe("https://login.example.com/oauth/token");
  });

  it("words the authentication and its errors in German, with no English word on the form", async () => {
    await session.openAdminPage("en");
    const english = englishWords(await dictionaryOf(page));
    await edit("de");
    const auth = form().getByRole("group", { name: "Anmeldung beim Empfänger" });
    expect(await auth.getByLabel("OAuth2 mit Client-Zugangsdaten").isChecked()).toBe(true);
    await form().getByLabel("Token-URL").fill("ftp://login.example.com/token");
    await form().getByLabel("Berechtigungen").fill("lesen  schreiben");
    await form().getByRole("button", { name: "Speichern" }).click();
    const errorOf = (field: string) => form().locator(`[data-error-for="auth.${field}"]`);
    await errorOf("token_url").getByText("Muss https oder http verwenden", { exact: true }).waitFor();
    expect(await errorOf("scope").textContent()).toBe(
      'Berechtigungen sind Namen, getrennt durch einzelne Leerzeichen, ohne " und \\',
    );
    await form().getByLabel("Token-URL").fill("https://sso.example.com/token");
    await form().getByLabel("Berechtigungen").fill("");
    await form().getByRole("button", { name: "Speichern" }).click();
    await errorOf("client_secret")
      .getByText(
        "Geben Sie das Client-Geheimnis ein: Eine neue Token-URL oder Client-ID verlangt es erneut",
        {
          exact: true,
        },
      )
      .waitFor();
    const { texts, brokenWords, wrappedButtons } = await readPageText(page);
    expect({ english: englishIn(texts, english), brokenWords, wrappedButtons }).toEqual({
      english: [],
      brokenWords: [],
      wrappedButtons: [],
    });
    await form().getByRole("button", { name: "Abbrechen" }).click();
    await card().locator("summary", { hasText: "Signaturschlüssel" }).waitFor();
  });

  it("removes the authentication with None", async () => {
    await edit();
    await authGroup().getByLabel("None").check();
    expect(await form().getByLabel("Token URL").isVisible()).toBe(false);
    await save("Webhook “Ledger” saved.");
    expect(await savedAuth()).toBeNull();
    await card().getByRole("definition").getByText("None", { exact: true }).waitFor();
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
