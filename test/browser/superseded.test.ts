// Superseded failed deliveries on the admin page: once a newer change of a record was delivered,
// an older failed one is never sent again. The Failed deliveries panel says so, Redeliver is
// refused in words the admin understands, and Recover says how many it skipped.
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointOf, type ReceivedRequest, startReceiver } from "../node/receiver";
import { waitFor } from "../wait";
import { type Session, startSession } from "./session";

const POLL = [30_000, 500] as const;

describe("superseded failed deliveries on the admin page", () => {
  let session: Session;
  let page: Page;
  let receiver: { server: Server; port: number };
  let webhookId: string;
  const shop = () => endpointOf(receiver.port, "/shop");
  const card = () => page.getByRole("article", { name: "Shop" });
  const row = (entity: string) => card().locator("li.failed-entry").filter({ hasText: entity });
  const received = async () =>
    (await shop().requests()).map((request: ReceivedRequest) => JSON.parse(request.body).result.name);
  const failed = async () => (await session.adminApi("GET", `/v1/webhooks/${webhookId}/failed`)).data;
  const change = (id: number, name: string) =>
    session.ingest({
      account_id: "acme",
      entity_type: "user",
      entity_id: id,
      action_type: "update",
      result: { name },
    });

  beforeAll(async () => {
    [session, receiver] = await Promise.all([startSession(), startReceiver()]);
    page = session.page;
    // The first request is answered 410 (the webhook is disabled), every later one 200.
    await shop().script({ status: 410 }, { status: 200, body: "ok" });
    webhookId = (await session.adminApi("POST", "/v1/webhooks", { name: "Shop", url: shop().url })).id;
    await change(4, "Anna v1");
    await waitFor(async () => (await failed()).length === 1, ...POLL);
    // Changes that come while the webhook is disabled are kept as failed deliveries.
    await change(5, "Ben v1");
    await change(6, "Cem v1");
    await waitFor(async () => (await failed()).length === 3, ...POLL);
  });

  afterAll(async () => {
    await session?.close();
    receiver?.server.close();
  });

  it("lists the failed deliveries with their reasons", async () => {
    await session.openAdminPage();
    await card().getByRole("button", { name: "Re-activate" }).click();
    await card().getByText("Webhook “Shop” is active again.").waitFor();
    await change(5, "Ben v2");
    await change(6, "Cem v2");
    await waitFor(async () => (await received()).length === 3, ...POLL);
    await card().getByText("Failed deliveries", { exact: true }).click();
    await row("User 4").getByText("410 Gone", { exact: true }).waitFor();
    await row("User 4").getByText("The receiver answered 410 Gone, so the webhook was disabled.").waitFor();
    await row("User 6").getByText("Webhook inactive", { exact: true }).waitFor();
    await row("User 6").getByText("The webhook was inactive when the change came.").waitFor();
  });

  it("refuses to redeliver one a newer change overtook, and explains why", async () => {
    await row("User 6").getByRole("button", { name: "Redeliver" }).click();
    await card()
      .getByText(
        "Not sent: a newer change of the same record was delivered since, so this older one is never sent again. It is now listed as superseded.",
        { exact: true },
      )
      .waitFor();
    await row("User 6").getByText("Superseded", { exact: true }).waitFor();
    await row("User 6")
      .getByText(
        /^A newer change of the same record was delivered since, so this older one is never sent again/,
      )
      .waitFor();
    expect(await row("User 6").getByRole("button", { name: "Redeliver" }).count()).toBe(0);
    expect(await received()).toEqual(["Anna v1", "Ben v2", "Cem v2"]);
  });

  it("recovers the one still due and says how many it skipped as superseded", async () => {
    await card().getByRole("button", { name: "Recover" }).click();
    await card()
      .getByText(
        "1 failed delivery queued again. The count goes down once it is delivered. 1 was not queued: a newer change of the same record was delivered since (superseded).",
        { exact: true },
      )
      .waitFor();
    await waitFor(async () => (await received()).length === 4, ...POLL);
    expect((await received()).at(-1)).toBe("Anna v1");
    await row("User 5").getByText("Superseded", { exact: true }).waitFor();
    const reasons = Object.fromEntries(
      (await failed()).map((delivery: { entity_id: number; reason: string }) => [
        delivery.entity_id,
        delivery.reason,
      ]),
    );
    expect(reasons).toEqual({ 4: "gone", 5: "superseded", 6: "superseded" });
  });

  it("broke no rule of the Content-Security-Policy", () => {
    expect(session.policyViolations).toEqual([]);
  });
});
