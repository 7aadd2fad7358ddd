// How a webhook sends, edited on the admin page: custom headers as name/value rows (values hidden
// once saved, revealed on request, kept when the admin edits something else), the deliveries per
// second, and the operational triggers (news about the account's other webhooks).
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, startReceiver } from "../node/receiver";
import { type Session, startSession } from "./session";

describe("custom headers, deliveries per second and operational triggers on the admin page", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  const gateway = () => endpointOf(receiver.port, "/gateway");
  const card = () => page.getByRole("article", { name: "Gateway CRM" });
  const form = () => page.getByRole("dialog", { name: /webhook/ });
  const rows = () => form().locator("#wf-header-rows > li");
  const headerFact = () => card().locator('[data-slot="headers"]');
  const webhook = async () => (await session.adminApi("GET", "/v1/webhooks")).data[0];
  const savedHeaders = async () =>
    (await session.adminApi("GET", `/v1/webhooks/${(await webhook()).id}/headers`)).headers;

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    page = session.page;
    await gateway().script({ status: 200, body: "{}" });
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  async function addHeader(name: string, value: string) {
    await form().getByRole("button", { name: "Add header" }).click();
    await rows().last().getByLabel("Header name").fill(name);
    await rows().last().getByLabel("Value").fill(value);
  }

  async function save(message: string) {
    await form().getByRole("button", { name: "Save" }).click();
    await form().waitFor({ state: "hidden" });
    await page.getByRole("status").getByText(message).waitFor();
  }

  async function edit() {
    await session.openAdminPage();
    await card().getByRole("button", { name: "Edit" }).click();
  }

  it("creates a webhook with two headers and a limit; the card shows the values hidden", async () => {
    await session.openAdminPage();
    await page.getByRole("button", { name: "New webhook" }).click();
    await form().getByLabel("Name", { exact: true }).fill("Gateway CRM");
    await form().getByLabel("URL", { exact: true }).fill(gateway().url);
    await addHeader("X-Api-Key", "k_live_4f9a");
    await addHeader("X-Tenant", "acme");
    await form().getByLabel("Deliveries per second").fill("20");
    await save("Webhook “Gateway CRM” created.");
    expect(await headerFact().getByRole("listitem").allTextContents()).toEqual([
      "X-Api-Key: ••••",
      "X-Tenant: ••••",
    ]);
    await card().getByText("at most 20", { exact: true }).waitFor();
    expect(await card().getByText("k_live_4f9a").count()).toBe(0);
    expect(await savedHeaders()).toEqual({ "X-Api-Key": "k_live_4f9a", "X-Tenant": "acme" });
    expect((await webhook()).max_per_second).toBe(20);
  });

  it("reveals the values on the card, keeps them revealed while the card loads again, and hides them again", async () => {
    await session.openAdminPage();
    await card().getByRole("button", { name: "Reveal values" }).click();
    await headerFact().getByText("X-Api-Key: k_live_4f9a", { exact: true }).waitFor();
    // Refreshing the log loads the card again, as every action on it does (and following one, every 2 s).
    await card().getByText("Log overview").click();
    await card().locator('[data-action="refresh-log"]').click();
    await card().locator('[data-slot="log-status"]').getByText(/./).waitFor();
    expect(await headerFact().locator("li").allTextContents()).toEqual([
      "X-Api-Key: k_live_4f9a",
      "X-Tenant: acme",
    ]);
    await card().getByRole("button", { name: "Hide values" }).click();
    await headerFact().getByText("X-Api-Key: ••••", { exact: true }).waitFor();
  });

  it("keeps the headers when the admin edits something else, and sends them with a test", async () => {
    await edit();
    expect(
      await rows()
        .getByLabel("Header name")
        .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value)),
    ).toEqual(["X-Api-Key", "X-Tenant"]);
    expect(await rows().first().getByLabel("Value").inputValue()).toBe("");
    expect(await rows().first().getByLabel("Value").getAttribute("placeholder")).toMatch(/^••••/);
    await form().getByLabel("Name", { exact: true }).fill("Gateway CRM");
    await form().getByLabel("URL", { exact: true }).fill(`${gateway().url}?v=2`);
    await save("Webhook “Gateway CRM” saved.");
    expect(await savedHeaders()).toEqual({ "X-Api-Key": "k_live_4f9a", "X-Tenant": "acme" });
    // The PATCH answer holds the values in full; the card still shows them hidden.
    await headerFact().getByText("X-Api-Key: ••••", { exact: true }).waitFor();
    expect(await card().getByText("k_live_4f9a").count()).toBe(0);
    await card().getByRole("button", { name: "Test webhook" }).click();
    await card()
      .getByText(/^Success: 200 in \d+ ms$/)
      .waitFor();
    const [test] = await gateway().requests();
    expect(test?.headers).toMatchObject({ "x-api-key": "k_live_4f9a", "x-tenant": "acme" });
  });

  it("replaces one value without revealing the others, and reveals them in the form", async () => {
    await edit();
    await rows().nth(1).getByLabel("Value").fill("umbrella");
    await save("Webhook “Gateway CRM” saved.");
    expect(await savedHeaders()).toEqual({ "X-Api-Key": "k_live_4f9a", "X-Tenant": "umbrella" });
    await edit();
    await form().getByRole("button", { name: "Reveal values" }).click();
    await form().getByRole("button", { name: "Hide values" }).waitFor();
    expect(await rows().first().getByLabel("Value").inputValue()).toBe("k_live_4f9a");
  });

  it("shows each of the API's errors about a header next to its row, worded by its kind, and about the limit next to the field", async () => {
    await edit();
    await addHeader("Host", "crm.example.com");
    await addHeader("X Api", "v");
    await addHeader("X-Region", "Köln");
    await form().getByLabel("Deliveries per second").fill("5000");
    await form().getByRole("button", { name: "Save" }).click();
    const rowError = (n: number) => rows().nth(n).locator(".field-error");
    await rowError(2)
      .getByText("The service sets this header itself; choose another name", { exact: true })
      .waitFor();
    expect(await rowError(3).textContent()).toBe(
      "Names may contain only letters, digits and !#$%&'*+-.^_`|~ (no spaces)",
    );
    expect(await rowError(4).textContent()).toBe(
      "Values may contain only ASCII characters (no accented letters, €, …)",
    );
    const invalid = async (n: number, label: string) =>
      rows().nth(n).getByLabel(label).getAttribute("aria-invalid");
    expect([await invalid(2, "Header name"), await invalid(2, "Value")]).toEqual(["true", null]);
    expect([await invalid(4, "Header name"), await invalid(4, "Value")]).toEqual([null, "true"]);
    expect(await rows().first().locator(".field-error").isVisible()).toBe(false);
    await form()
      .locator("#wf-max_per_second-error")
      .getByText("A whole number from 1 to 1000, or empty for no limit", { exact: true })
      .waitFor();
    await form().getByRole("button", { name: "Cancel" }).click();
    expect(await savedHeaders()).toEqual({ "X-Api-Key": "k_live_4f9a", "X-Tenant": "umbrella" });
  });

  it("shows every field error at once when a header row has a value but no name", async () => {
    await session.openAdminPage();
    await page.getByRole("button", { name: "New webhook" }).click();
    await form().getByLabel("URL", { exact: true }).fill("notaurl");
    await form().getByLabel("Deliveries per second").fill("abc");
    await addHeader("X-Tenant", "acme");
    await addHeader("", "k_live_4f9a");
    await form().getByRole("button", { name: "Save" }).click();
    await form().locator("#wf-name-error").getByText("Must not be empty", { exact: true }).waitFor();
    await form()
      .locator("#wf-url-error")
      .getByText("Must be an absolute URL, e.g. https://crm.example.com/hooks", { exact: true })
      .waitFor();
    await form()
      .locator("#wf-max_per_second-error")
      .getByText("A whole number from 1 to 1000, or empty for no limit", { exact: true })
      .waitFor();
    await rows().last().locator(".field-error").getByText("Required", { exact: true }).waitFor();
    expect(await rows().last().getByLabel("Header name").getAttribute("aria-invalid")).toBe("true");
    expect(await rows().last().getByLabel("Value").getAttribute("aria-invalid")).toBeNull();
    expect(await rows().first().locator(".field-error").isVisible()).toBe(false);
    expect(await form().locator("#wf-headers-error").isVisible()).toBe(false);
    await form().getByRole("button", { name: "Cancel" }).click();
    expect((await session.adminApi("GET", "/v1/webhooks")).data).toHaveLength(1);
  });

  it("removes every header and the limit", async () => {
    await edit();
    await rows().first().getByRole("button", { name: "Remove header X-Api-Key" }).click();
    await rows().first().getByRole("button", { name: "Remove header X-Tenant" }).click();
    await form().getByLabel("Deliveries per second").fill("");
    await save("Webhook “Gateway CRM” saved.");
    await headerFact().getByText("none", { exact: true }).waitFor();
    await card().getByText("no limit", { exact: true }).waitFor();
    expect(await savedHeaders()).toEqual({});
    expect((await webhook()).max_per_second).toBeNull();
  });

  it("offers the operational triggers unticked on a new webhook", async () => {
    await session.openAdminPage();
    await page.getByRole("button", { name: "New webhook" }).click();
    const news = form().getByRole("group", { name: "Other webhooks" });
    for (const name of ["Failing", "Disabled", "Recovered"]) {
      expect(await news.getByLabel(name).isChecked(), name).toBe(false);
    }
    await form().getByRole("button", { name: "Cancel" }).click();
  });

  it("saves a webhook with only operational triggers, and keeps them through another edit", async () => {
    await edit();
    for (const box of await form()
      .getByRole("group", { name: /^(User|Company)$/ })
      .getByRole("checkbox")
      .all())
      await box.uncheck();
    const news = form().getByRole("group", { name: "Other webhooks" });
    await news.getByLabel("Failing").check();
    await news.getByLabel("Recovered").check();
    await save("Webhook “Gateway CRM” saved.");
    await card().getByText("Other webhooks: Failing, Recovered", { exact: true }).waitFor();
    await edit();
    expect(
      await form().getByRole("group", { name: "Other webhooks" }).getByLabel("Failing").isChecked(),
    ).toBe(true);
    await save("Webhook “Gateway CRM” saved.");
    expect((await webhook()).triggers).toEqual(["webhook.failing", "webhook.recovered"]);
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
