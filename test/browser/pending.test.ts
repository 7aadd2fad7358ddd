// What waits, on the admin page: a receiver answered 500, so its change waits for a retry two
// minutes away (RETRY_DELAYS_S) and five newer changes of the same record are held behind it.
// The card shows them in the page's words, in English and German, on a phone and a wide screen,
// the first five and more on demand; Retry now sends the retry at once, the held changes right
// after it, and the card follows by itself until nothing waits; while the webhook is inactive
// Retry now is explained instead. A recovered delivery reads "being delivered again" while it
// waits, "delivered again" once it went.
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, type ReceivedRequest, startReceiver } from "../node/receiver";
import { waitFor } from "../wait";
import { dictionaryOf, englishIn, englishWords, readPageText } from "./page-text";
import { type Session, startSession } from "./session";

// A retry waits at least 96 s (120 s less 20 % jitter): well beyond how long a test waits.
const RETRY_DELAYS_S = "120,120";
const POLL = [30_000, 500] as const;
/** The newer changes of the record held behind the one waiting for its retry: more than the card shows at first. */
const HELD = ["Anna v2", "Anna v3", "Anna v4", "Anna v5", "Anna v6"];

describe("pending deliveries and Retry now on the admin page", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  let webhookId: string;
  const shop = () => endpointOf(receiver.port, "/shop");
  const card = () => page.getByRole("article", { name: "Shop" });
  const pending = () =>
    card().getByRole("region", { name: /^(Pending deliveries|Ausstehende Zustellungen)$/ });
  const row = (state: string) => pending().getByRole("listitem").filter({ hasText: state });
  const received = async () =>
    (await shop().requests()).map((request: ReceivedRequest) => JSON.parse(request.body).result.name);
  const listed = async () =>
    (await session.adminApi("GET", `/v1/webhooks/${webhookId}/pending`)).data.map(
      (item: { state: string }) => item.state,
    );
  const change = (id: number, name: string) =>
    session.ingest({
      account_id: "acme",
      entity_type: "user",
      entity_id: id,
      action_type: "update",
      result: { name },
    });

  beforeAll(async () => {
    [session, receiver] = await Promise.all([
      startSession({ devArgs: ["--var", `RETRY_DELAYS_S:${RETRY_DELAYS_S}`] }),
      startReceiver(),
    ]);
    page = session.page;
    await shop().script({ status: 500, body: "receiver down for maintenance" }, { status: 200, body: "ok" });
    webhookId = (await session.adminApi("POST", "/v1/webhooks", { name: "Shop", url: shop().url })).id;
    await change(1, "Anna v1");
    await waitFor(async () => (await received()).length === 1, ...POLL);
    for (const name of HELD) await change(1, name);
    await waitFor(
      async () => (await listed()).join() === ["retry", ...HELD.map(() => "held")].join(),
      ...POLL,
    );
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  it("shows the retry with its next attempt and last answer, the changes held behind it, the first five and more on demand", async () => {
    await session.openAdminPage();
    await pending().getByText("6 deliveries wait or are on their way.", { exact: true }).waitFor();
    await row("Retry")
      .getByText(/^Attempt 2 is due .+\. Last attempt: answer 500\.$/)
      .waitFor();
    await row("Retry")
      .getByText(/^Update · User 1 · received .+$/)
      .waitFor();
    await row("Held")
      .first()
      .getByText(
        /^Waits until an earlier change of this record is delivered or has failed for good: Update · User 1, received .+$/,
      )
      .waitFor();
    await pending().getByRole("button", { name: "Retry now" }).waitFor();
    // The first five, oldest first; the rest on demand.
    expect(await pending().getByRole("listitem").count()).toBe(5);
    await pending().getByRole("button", { name: "Show more" }).click();
    await pending().getByRole("listitem").nth(5).waitFor();
    expect(await pending().getByRole("button", { name: "Show more" }).isVisible()).toBe(false);
    expect(
      await card()
        .getByText(/failed for good and can be recovered/)
        .isVisible(),
    ).toBe(false);
  });

  it("says the same in German, and fits a phone and a wide screen in both languages", async () => {
    const english = englishWords(await dictionaryOf(page));
    for (const lang of ["en", "de"] as const) {
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await session.openAdminPage(lang);
        await pending().getByRole("listitem").nth(1).waitFor();
        const sideways = await page.evaluate(
          () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
        );
        expect(sideways, `${lang} at ${width} px`).toBe(false);
        const { texts, brokenWords, wrappedButtons } = await readPageText(page);
        expect({ brokenWords, wrappedButtons }, `${lang} at ${width} px`).toEqual({
          brokenWords: [],
          wrappedButtons: [],
        });
        if (lang === "de") expect(englishIn(texts, english), `at ${width} px`).toEqual([]);
      }
    }
    await pending().getByText("6 Zustellungen warten oder sind unterwegs.", { exact: true }).waitFor();
    await row("Neuer Versuch")
      .getByText(/^Versuch 2 am .+\. Letzter Versuch: Antwort 500\.$/)
      .waitFor();
    await row("Zurückgehalten")
      .first()
      .getByText(
        /^Wartet, bis eine frühere Änderung dieses Datensatzes zugestellt oder endgültig fehlgeschlagen ist: Änderung · Benutzer 1, eingegangen am .+$/,
      )
      .waitFor();
    await pending().getByRole("button", { name: "Jetzt erneut versuchen" }).waitFor();
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("sends the retry at once with Retry now, then the held changes, and follows until nothing waits", async () => {
    // The receiver is back, but takes its time over the first answer: the card sees it on its way.
    await shop().script({ status: 200, body: "ok", delay_ms: 5_000 }, { status: 200, body: "ok" });
    await session.openAdminPage();
    await pending().getByRole("button", { name: "Retry now" }).click();
    await card().getByText("1 delivery is being retried now.", { exact: true }).waitFor();
    await row("Sending").getByText("Attempt 2 is on its way to the receiver.", { exact: true }).waitFor();
    // Both arrive long before the retry's own time, in the order of the record's changes.
    await waitFor(async () => (await received()).length === 2 + HELD.length, ...POLL);
    expect(await received()).toEqual(["Anna v1", "Anna v1", ...HELD]);
    const [first, retried] = await shop().requests();
    expect(retried?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
    // No reload: the card follows what Retry now started.
    await pending().waitFor({ state: "hidden" });
    await card()
      .getByText(/^Last delivery .+: answer 200$/)
      .waitFor();
    expect(await listed()).toEqual([]);
  });

  it("explains Retry now while the webhook is inactive, and shows it inactive", async () => {
    await shop().script({ status: 500, body: "receiver down for maintenance" });
    await change(2, "Ben v1");
    await waitFor(async () => (await listed()).join() === "retry", ...POLL);
    await session.openAdminPage();
    await pending().getByRole("button", { name: "Retry now" }).waitFor();
    // Another admin switches the webhook off meanwhile.
    await session.adminApi("PATCH", `/v1/webhooks/${webhookId}`, { is_active: false });
    await pending().getByRole("button", { name: "Retry now" }).click();
    await card()
      .getByText("Activate the webhook first: an inactive webhook gets no retries.", { exact: true })
      .waitFor();
    await card().getByText("Inactive", { exact: true }).waitFor();
    expect(await received()).toHaveLength(3 + HELD.length);
  });

  it("recovers the delivery the switch-off stopped: being delivered again while it waits, delivered again once it went", async () => {
    const failedRow = card().locator("li.failed-entry").filter({ hasText: "User 2" });
    await session.adminApi("PATCH", `/v1/webhooks/${webhookId}`, { is_active: true });
    await session.openAdminPage();
    await card().getByText("Failed deliveries", { exact: true }).click();
    await failedRow.getByText("Switched off", { exact: true }).waitFor();
    // The receiver still fails: the recovered delivery waits for its retry, two minutes away.
    await card().getByRole("button", { name: "Recover" }).click();
    await waitFor(async () => (await received()).length === 4 + HELD.length, ...POLL);
    await row("Retry")
      .getByText(/^Attempt 2 is due .+\. Last attempt: answer 500\.$/)
      .waitFor();
    await failedRow.getByText("Being delivered again", { exact: true }).waitFor();
    await failedRow.getByText("Before: Switched off.", { exact: true }).waitFor();
    // Nothing will move for two minutes: the card stops following.
    await card().locator("xpath=ancestor::li[not(@data-following)]").waitFor();
    await shop().script({ status: 200, body: "ok" });
    await pending().getByRole("button", { name: "Retry now" }).click();
    await waitFor(async () => (await received()).length === 5 + HELD.length, ...POLL);
    await failedRow.getByText(/^Delivered again at .+$/).waitFor();
    await pending().waitFor({ state: "hidden" });
    await card()
      .getByText(/failed for good and can be recovered/)
      .waitFor({ state: "hidden" });
    expect((await received()).at(-1)).toBe("Ben v1");
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
