// Managing webhooks on the admin page: signing in with a typed token, triggers and events, field
// errors, editing, the signing secret, deleting after a confirmation, and a disabled webhook
// re-activated. Each test opens the page and the dialogs it needs itself.
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, startReceiver } from "../node/receiver";
import { waitFor } from "../wait";
import { type Session, startSession } from "./session";

describe("managing webhooks on the admin page", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  const card = () => page.getByRole("article", { name: "Billing" });
  const dialog = (name: string) => page.getByRole("dialog", { name });

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    page = session.page;
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  it("asks for a token when the link carries none, and takes the one typed in", async () => {
    await page.goto(`${session.service.base}/admin`);
    await page.getByRole("heading", { name: "Sign in with an admin token" }).waitFor();
    // What an admin can do, no developer instructions.
    const panel = page.locator("#token-panel");
    await panel.getByText(/EventInsight's admin area, Settings → Integrations → Webhooks/).waitFor();
    expect(await panel.textContent()).not.toMatch(/npm|start/);
    await page.getByLabel("Admin token", { exact: true }).fill(session.printed("Admin token"));
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("No webhooks yet.").waitFor();
  });

  /** A fresh "New webhook" form for Billing. */
  async function newBilling() {
    await session.openAdminPage();
    await page.getByRole("button", { name: "New webhook" }).click();
    const form = dialog("New webhook");
    await form.getByLabel("Name", { exact: true }).fill("Billing");
    await form.getByLabel("URL", { exact: true }).fill("http://127.0.0.1:9/billing");
    return form;
  }

  /** Adds event ids the catalog does not know, as an admin types them. */
  async function addIds(form: ReturnType<typeof dialog>, ...ids: string[]) {
    for (const id of ids) {
      await form.getByLabel("Search events").fill(id);
      await form.getByRole("button", { name: `Add the id “${id}”` }).click();
    }
  }

  it("shows every field error of the form at once, the URL's among them", async () => {
    const form = await newBilling();
    await form.getByLabel("Name", { exact: true }).fill("  ");
    await form.getByLabel("URL", { exact: true }).fill("ftp://127.0.0.1/billing");
    for (const box of await form.getByRole("group", { name: "Triggers" }).getByRole("checkbox").all())
      await box.uncheck();
    await form.getByRole("button", { name: "Save" }).click();
    await form.locator("#wf-name-error").getByText("Must not be empty", { exact: true }).waitFor();
    await form.locator("#wf-url-error").getByText("Must use https or http", { exact: true }).waitFor();
    await form
      .locator("#wf-triggers-error")
      .getByText("Choose at least one trigger", { exact: true })
      .waitFor();
    await form.getByText("Please correct the marked fields.").waitFor();
  });

  it("says there were too many requests when the service answers Save with 429", async () => {
    await page.route("**/v1/webhooks", (route) =>
      route.request().method() === "POST"
        ? route.fulfill({
            status: 429,
            headers: { "retry-after": "10" },
            contentType: "application/problem+json",
            body: JSON.stringify({
              type: "https://eventinsight.io/problems/webhooks/rate_limited",
              title: "Too Many Requests",
              status: 429,
            }),
          })
        : route.fallback(),
    );
    try {
      const form = await newBilling();
      await form.getByRole("button", { name: "Save" }).click();
      await form.getByText("Too many requests. Please try again in 10 seconds.", { exact: true }).waitFor();
      await form.getByRole("button", { name: "Cancel" }).click();
    } finally {
      await page.unroute("**/v1/webhooks");
    }
  });

  it("creates it with the chosen triggers and events and shows them on its card", async () => {
    const form = await newBilling();
    await addIds(form, "ev_fair", "ev_gala");
    const user = form.getByRole("group", { name: "User" });
    const company = form.getByRole("group", { name: "Company" });
    await user.getByLabel("Delete").uncheck();
    await company.getByLabel("New").uncheck();
    await company.getByLabel("Delete").uncheck();
    await form.getByRole("button", { name: "Save" }).click();
    await card().getByText("User: New, Update · Company: Update").waitFor();
    expect(await card().getByRole("listitem").allTextContents()).toEqual(["ev_fair", "ev_gala"]);
  });

  it("edits it to Inactive, and the badge says so", async () => {
    await session.openAdminPage();
    await card().getByRole("button", { name: "Edit" }).click();
    const form = dialog("Edit webhook");
    expect(await form.getByLabel("Name", { exact: true }).inputValue()).toBe("Billing");
    const chosen = form.getByRole("list", { name: "Chosen events" }).locator(".chip-label");
    expect(await chosen.allTextContents()).toEqual(["ev_fair", "ev_gala"]);
    await form.getByLabel("Inactive").check();
    await form.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").getByText("Webhook “Billing” saved.").waitFor();
    await card().getByText("Inactive", { exact: true }).waitFor();
  });

  it("reveals, copies and rotates the signing secret", async () => {
    await session.openAdminPage();
    await card().locator("summary", { hasText: "Signing secret" }).click();
    const secret = card().getByLabel("Signing secret", { exact: true });
    await card().getByRole("button", { name: "Reveal" }).click();
    await card().getByRole("button", { name: "Hide" }).waitFor();
    const first = await secret.inputValue();
    expect(first).toMatch(/^whsec_/);
    await card().getByRole("button", { name: "Copy" }).click();
    await card().getByText("Signing secret copied.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
    await card().getByRole("button", { name: "Rotate" }).click();
    const confirm = dialog("Rotate the signing secret?");
    await confirm
      .getByText(/^The current signing secret of “Billing” keeps signing for 24 hours only/)
      .waitFor();
    await confirm.getByRole("button", { name: "Cancel" }).click();
    const { data } = await session.adminApi("GET", "/v1/webhooks");
    const billing = data.find((webhook: { name: string }) => webhook.name === "Billing");
    expect((await session.adminApi("GET", `/v1/webhooks/${billing.id}/secret`)).secret, "kept").toBe(first);
    await card().getByRole("button", { name: "Rotate" }).click();
    await confirm.getByRole("button", { name: "Rotate" }).click();
    await card()
      .getByText(/^New signing secret created\. The old one keeps signing until .+\.$/)
      .waitFor();
    expect(await secret.inputValue()).not.toBe(first);
  });

  it("deletes it only after the admin confirms", async () => {
    await session.openAdminPage();
    await card().getByRole("button", { name: "Delete" }).click();
    await dialog("Delete webhook?").getByRole("button", { name: "Cancel" }).click();
    await card().waitFor();
    await card().getByRole("button", { name: "Delete" }).click();
    await dialog("Delete webhook?").getByRole("button", { name: "Delete" }).click();
    await page.getByRole("status").getByText("Webhook “Billing” deleted.").waitFor();
    await page.getByText("No webhooks yet.").waitFor();
  });

  it("shows why a webhook was disabled (410 Gone) and re-activates it in one click", async () => {
    const gone = endpointOf(receiver.port, "/gone");
    await gone.script({ status: 410 });
    await session.adminApi("POST", "/v1/webhooks", { name: "Old CRM", url: gone.url });
    await session.ingest({ account_id: "acme", entity_type: "user", entity_id: "u7", action_type: "delete" });
    const oldCrm = page.getByRole("article", { name: "Old CRM" });
    const reason = oldCrm.getByText("Disabled: the receiver answered 410 Gone.");
    // The admin reloads the page until the delivery has happened.
    await waitFor(
      async () => {
        await session.reloadAdminPage();
        return reason.isVisible();
      },
      30_000,
      1_000,
    );
    await oldCrm.getByText("Inactive", { exact: true }).waitFor();
    await oldCrm.getByRole("button", { name: "Re-activate" }).click();
    await oldCrm.getByText("Webhook “Old CRM” is active again.").waitFor();
    await oldCrm.getByText("Active", { exact: true }).waitFor();
    expect(await reason.isVisible()).toBe(false);
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
