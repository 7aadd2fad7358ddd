// Picking events by name: the catalog an origin service synced through PUT /v1/events appears in
// the webhook form's search, a chosen event is saved and shown on the card by name, and an id the
// catalog lacks can still be added and is shown as the id.
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../wait";
import { type Session, startSession } from "./session";

/** The README's picture of the Events field, written by the test that saves chosen events. */
const PICKER_SCREENSHOT = join(import.meta.dirname, "../../docs/event-picker.png");

describe("picking events by name on the admin page", () => {
  let session: Session;
  let page: Page;
  const card = (name: string) => page.getByRole("article", { name });
  const form = () => page.getByRole("dialog", { name: /webhook/ });
  const chosen = () => form().getByRole("list", { name: "Chosen events" });
  const search = () => form().getByRole("combobox", { name: "Search events" });
  const option = (name: RegExp) =>
    form().getByRole("listbox", { name: "Matching events" }).getByRole("option", { name });
  const chips = () => chosen().getByRole("listitem").allTextContents();

  beforeAll(async () => {
    session = await startSession();
    page = session.page;
    await session.putEvents([
      { id: "ev_2026_fair", name: "Messe 2026", starts_at: "2026-03-01T09:00:00Z" },
      { id: "ev_gala", name: "Gala der Aussteller", starts_at: "2026-03-02T18:30:00Z" },
      { id: "ev_summit", name: "Partner-Summit München" },
      ...Array.from({ length: 25 }, (_, i) => ({
        id: `ev_w${i}`,
        name: `Webinar ${String(i).padStart(2, "0")}`,
      })),
    ]);
  });

  afterAll(() => session?.close());

  /** The New webhook form of a freshly opened page, name and URL filled in. */
  async function newWebhook(name: string) {
    await session.openAdminPage();
    await page.getByRole("button", { name: "New webhook" }).click();
    await form().getByLabel("Name", { exact: true }).fill(name);
    await form().getByLabel("URL", { exact: true }).fill("http://127.0.0.1:9/hooks");
  }

  async function save(): Promise<Locator> {
    await form().getByRole("button", { name: "Save" }).click();
    await form().waitFor({ state: "hidden" });
    return page.getByRole("status");
  }

  /** The names the search lists, once they are `names` (the search answers after a short pause). */
  async function expectMatches(query: string, names: string[]) {
    await form().getByLabel("Search events").fill(query);
    const listed = () => form().locator("#wf-event-options .event-name").allTextContents();
    await waitFor(async () => JSON.stringify(await listed()) === JSON.stringify(names), 10_000).catch(
      () => {},
    );
    expect(await listed()).toEqual(names);
  }

  it("lists the synced catalog by name with its dates, and narrows it by name or id in any case", async () => {
    await newWebhook("Fair CRM");
    await option(/^Gala der Aussteller Mar 2, 2026, 6:30\sPM UTC · ev_gala$/).waitFor();
    await expectMatches("MÜNCHEN", ["Partner-Summit München"]);
    await expectMatches("ev_2026", ["Messe 2026"]);
    await expectMatches("konzert", []);
    await form().getByText("No event matches “konzert”.").waitFor();
  });

  it("pages through a long catalog with Show more", async () => {
    await newWebhook("Webinar CRM");
    await expectMatches(
      "webinar",
      Array.from({ length: 20 }, (_, i) => `Webinar ${String(i).padStart(2, "0")}`),
    );
    await form().getByRole("button", { name: "Show more" }).click();
    await option(/Webinar 24/).waitFor();
    expect(await form().getByRole("button", { name: "Show more" }).isVisible()).toBe(false);
  });

  it("saves the chosen events and shows them by name on the card and in the form", async () => {
    await newWebhook("Fair CRM");
    await option(/Messe 2026/).click();
    await expectMatches("gala", ["Gala der Aussteller"]);
    await option(/Gala der Aussteller/).click();
    expect(await chosen().getByRole("listitem").allTextContents()).toEqual([
      expect.stringContaining("Messe 2026"),
      expect.stringContaining("Gala der Aussteller"),
    ]);
    await form().getByRole("group", { name: "Events", exact: true }).screenshot({ path: PICKER_SCREENSHOT });
    await (await save()).getByText("Webhook “Fair CRM” created.").waitFor();
    const events = card("Fair CRM").getByRole("list");
    expect(await events.getByRole("listitem").allTextContents()).toEqual([
      "Messe 2026",
      "Gala der Aussteller",
    ]);
    const [webhook] = (await session.adminApi("GET", "/v1/webhooks")).data;
    expect(webhook.event_ids).toEqual(["ev_2026_fair", "ev_gala"]);
    await card("Fair CRM").getByRole("button", { name: "Edit" }).click();
    await chosen().getByText("Gala der Aussteller").waitFor();
    await chosen().getByRole("button", { name: "Remove Gala der Aussteller" }).click();
    await (await save()).getByText("Webhook “Fair CRM” saved.").waitFor();
    expect(await events.getByRole("listitem").allTextContents()).toEqual(["Messe 2026"]);
  });

  it("takes an id the catalog lacks and shows it as the id", async () => {
    await newWebhook("Legacy CRM");
    await form().getByLabel("Search events").fill("ev_2019_legacy");
    await form().getByRole("button", { name: "Add the id “ev_2019_legacy”" }).click();
    await chosen().getByText("id, not in the catalog").waitFor();
    await (await save()).getByText("Webhook “Legacy CRM” created.").waitFor();
    await card("Legacy CRM").getByRole("listitem").getByText("ev_2019_legacy", { exact: true }).waitFor();
  });

  it("picks the first catalog match on Enter, not the typed text as an id", async () => {
    await newWebhook("Munich CRM");
    await search().fill("münchen");
    await search().press("Enter");
    await chosen().getByText("Partner-Summit München").waitFor();
    expect(await chips()).toEqual([expect.stringContaining("Partner-Summit München")]);
    expect(await chosen().getByText("id, not in the catalog").count()).toBe(0);
    expect(await option(/Partner-Summit München/).getAttribute("aria-selected")).toBe("true");
    await (await save()).getByText("Webhook “Munich CRM” created.").waitFor();
    const webhooks = (await session.adminApi("GET", "/v1/webhooks")).data;
    expect(webhooks.find((w: { name: string }) => w.name === "Munich CRM").event_ids).toEqual(["ev_summit"]);
  });

  it("takes typed text as an id only through Add the id, and never an id the catalog has", async () => {
    await newWebhook("Careful CRM");
    await expectMatches("ev_2019_legacy", []);
    await search().press("Enter");
    expect(await chosen().getByRole("listitem").count()).toBe(0);
    await form().getByRole("button", { name: "Add the id “ev_2019_legacy”" }).waitFor();
    await expectMatches("ev_gala", ["Gala der Aussteller"]);
    expect(
      await form()
        .getByRole("button", { name: /Add the id/ })
        .isVisible(),
    ).toBe(false);
  });

  it("offers to add typed text as an id only when it could be one, and says so", async () => {
    await newWebhook("Typing CRM");
    const add = () => form().getByRole("button", { name: /Add the id/ });
    await expectMatches("zq", []);
    await form()
      .getByText(/^No event matches “zq”\. An id the catalog lacks can be added when it has no spaces/)
      .waitFor();
    expect(await add().isVisible(), "a letter or two is a search, not an id").toBe(false);
    await expectMatches("zq 7", []);
    expect(await add().isVisible(), "an id has no spaces").toBe(false);
    await expectMatches("zq7", []);
    await form().getByRole("button", { name: "Add the id “zq7”" }).waitFor();
    await expectMatches("4711", []);
    await form().getByRole("button", { name: "Add the id “4711”" }).waitFor();
  });

  it("moves through the matches with the arrow keys and picks one with Enter, without saving", async () => {
    await newWebhook("Keyboard CRM");
    await expectMatches("ev_w1", [
      "Webinar 01",
      ...Array.from({ length: 10 }, (_, i) => `Webinar ${10 + i}`),
    ]);
    await search().press("ArrowDown");
    await search().press("ArrowDown");
    const active = async () =>
      page.evaluate(() => {
        const id = document.activeElement?.getAttribute("aria-activedescendant");
        return id ? document.getElementById(id)?.querySelector(".event-name")?.textContent : null;
      });
    expect(await active()).toBe("Webinar 10");
    await search().press("ArrowUp");
    expect(await active()).toBe("Webinar 01");
    await search().press("Enter");
    expect(await option(/Webinar 01/).getAttribute("aria-selected")).toBe("true");
    await search().press("ArrowDown");
    await search().press("ArrowDown");
    await search().press("Enter");
    expect(await chips()).toEqual([
      expect.stringContaining("Webinar 01"),
      expect.stringContaining("Webinar 11"),
    ]);
    await search().press("Enter");
    expect(await chips()).toEqual([expect.stringContaining("Webinar 01")]);
    expect(await form().isVisible()).toBe(true);
    expect(await page.getByRole("article", { name: "Keyboard CRM" }).count()).toBe(0);
  });

  it("names the event an error is about", async () => {
    await newWebhook("Broken CRM");
    const tooLong = `ev_${"x".repeat(98)}`;
    await form().getByLabel("Search events").fill(tooLong);
    await form()
      .getByRole("button", { name: `Add the id “${tooLong}”` })
      .click();
    await form().getByRole("button", { name: "Save" }).click();
    await form().getByText(`“${tooLong}”: Must be at most 100 characters`, { exact: true }).waitFor();
    expect(await form().getByLabel("Search events").getAttribute("aria-invalid")).toBe("true");
  });

  it("shows an event removed from the catalog as its id", async () => {
    await session.adminApi("POST", "/v1/webhooks", {
      name: "Gala CRM",
      url: "http://127.0.0.1:9/gala",
      event_ids: ["ev_gala"],
    });
    await session.openAdminPage();
    await card("Gala CRM").getByRole("listitem").getByText("Gala der Aussteller").waitFor();
    await session.deleteEvent("ev_gala");
    await session.openAdminPage();
    await card("Gala CRM").getByRole("listitem").getByText("ev_gala", { exact: true }).waitFor();
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
