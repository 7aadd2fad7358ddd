// The events catalog as origin services keep it and admins search it: upsert by id, delete,
// search by id or name in any case, pages, and one account never seeing another's events.
import { describe, expect, it } from "vitest";
import { call, expectProblem, newCaller } from "../helpers";
import { allEvents, deleteEvent, namesOf, putEvents, searchEvents } from "./helpers";

describe("PUT /v1/events", () => {
  it("adds the events to the account's catalog; the admin lists them in name order", async () => {
    const admin = await newCaller();
    const res = await putEvents(admin.account, [
      { id: "ev_2026_fair", name: "Messe 2026", starts_at: "2026-03-01T10:00:00+01:00" },
      { id: "ev_gala", name: "gala night" },
      { id: "ev_expo", name: "Expo Berlin", starts_at: null },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ upserted: 3 });
    expect(await allEvents(admin)).toEqual([
      { id: "ev_expo", name: "Expo Berlin", starts_at: null },
      { id: "ev_gala", name: "gala night", starts_at: null },
      { id: "ev_2026_fair", name: "Messe 2026", starts_at: "2026-03-01T09:00:00.000Z" },
    ]);
  });

  it("replaces an event sent again with the same id, keeping the others", async () => {
    const admin = await newCaller();
    await putEvents(admin.account, [
      { id: "ev_1", name: "Messe 2026", starts_at: "2026-03-01T09:00:00Z" },
      { id: "ev_2", name: "Gala" },
    ]);
    const res = await putEvents(admin.account, [{ id: "ev_1", name: "Messe 2026 (verschoben)" }]);
    expect(res.body).toEqual({ upserted: 1 });
    expect(await allEvents(admin)).toEqual([
      { id: "ev_2", name: "Gala", starts_at: null },
      { id: "ev_1", name: "Messe 2026 (verschoben)", starts_at: null },
    ]);
  });

  it("keeps each account's catalog apart, even for the same event id", async () => {
    const [acme, globex] = [await newCaller(), await newCaller()];
    await putEvents(acme.account, [{ id: "ev_1", name: "ACME Messe" }]);
    await putEvents(globex.account, [{ id: "ev_1", name: "Globex Summit" }]);
    expect(namesOf(await allEvents(acme))).toEqual(["ACME Messe"]);
    expect(namesOf(await allEvents(globex))).toEqual(["Globex Summit"]);
  });
});

describe("DELETE /v1/events/{account_id}/{event_id}", () => {
  it("removes the event from that account's catalog only", async () => {
    const [acme, globex] = [await newCaller(), await newCaller()];
    await putEvents(acme.account, [
      { id: "ev 1/ü", name: "Messe" },
      { id: "ev_2", name: "Gala" },
    ]);
    await putEvents(globex.account, [{ id: "ev 1/ü", name: "Summit" }]);
    const res = await deleteEvent(acme.account, "ev 1/ü");
    expect(res.status, res.text).toBe(204);
    expect(namesOf(await allEvents(acme))).toEqual(["Gala"]);
    expect(namesOf(await allEvents(globex))).toEqual(["Summit"]);
  });

  it("answers 204 for an event that is not in the catalog", async () => {
    const admin = await newCaller();
    expect((await deleteEvent(admin.account, "ev_never")).status).toBe(204);
  });
});

describe("GET /v1/events", () => {
  async function catalog() {
    const admin = await newCaller();
    await putEvents(admin.account, [
      { id: "ev_2026_fair", name: "Messe München 2026" },
      { id: "ev_gala", name: "Gala" },
      { id: "FAIR_HAMBURG", name: "Hamburger Treffen" },
    ]);
    return admin;
  }

  it.each([
    ["messe", ["Messe München 2026"]],
    ["MÜNCHEN", ["Messe München 2026"]],
    ["munchen", ["Messe München 2026"]],
    ["fair", ["Hamburger Treffen", "Messe München 2026"]],
    ["ev_", ["Gala", "Messe München 2026"]],
    ["  ", ["Gala", "Hamburger Treffen", "Messe München 2026"]],
    ["concert", []],
  ])("?query=%j matches part of the id or the name in any case: %j", async (query, names) => {
    const admin = await catalog();
    expect(namesOf(await allEvents(admin, { query }))).toEqual(names);
  });

  it("pages through the catalog with next_cursor, each event once", async () => {
    const admin = await newCaller();
    const names = ["Ä-Tag", "Gala", "Messe", "Summit", "Zoo", "expo"];
    await putEvents(
      admin.account,
      names.map((name, i) => ({ id: `ev_${i}`, name })),
    );
    const first = await searchEvents(admin, { limit: 4 });
    expect(first.body.data).toHaveLength(4);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await searchEvents(admin, { limit: 4, cursor: first.body.next_cursor });
    expect(second.body.next_cursor).toBeNull();
    expect(namesOf([...first.body.data, ...second.body.data])).toEqual([
      "Ä-Tag",
      "expo",
      "Gala",
      "Messe",
      "Summit",
      "Zoo",
    ]);
  });

  it("shows an admin the events of their own account only", async () => {
    const [acme, globex] = [await newCaller(), await newCaller()];
    await putEvents(acme.account, [{ id: "ev_secret", name: "ACME Geheimtreffen" }]);
    expect(await allEvents(globex, { query: "ev_secret" })).toEqual([]);
    const res = await call("GET", `/v1/events?account_id=${acme.account}`, { token: globex.token });
    expect(res.body.data).toEqual([]);
  });

  it("refuses a cursor it did not hand out and a query with a line break", async () => {
    const admin = await newCaller();
    const cursor = await searchEvents(admin, { cursor: "bm9wZQ" });
    expectProblem(cursor, 400);
    expect(cursor.body.errors).toEqual([expect.objectContaining({ path: "cursor", code: "invalid_cursor" })]);
    const query = await searchEvents(admin, { query: "a\nb" });
    expectProblem(query, 400);
    expect(query.body.errors).toEqual([
      expect.objectContaining({ path: "query", code: "control_characters" }),
    ]);
  });
});

describe("CORS", () => {
  it("lets a dashboard on another origin search the catalog", async () => {
    const origin = "https://dashboard.eventinsight.example";
    const preflight = await call("OPTIONS", "/v1/events?query=messe", {
      headers: {
        origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const admin = await newCaller();
    const res = await call("GET", "/v1/events", { token: admin.token, headers: { origin } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});
