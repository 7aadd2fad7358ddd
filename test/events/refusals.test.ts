// What the events catalog refuses: bad events (the whole batch, every error at once, nothing
// written), the wrong token, too large bodies and too many requests.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { call, expectProblem, newCaller } from "../helpers";
import { allEvents, deleteEvent, ingestToken, putEvents, searchEvents } from "./helpers";

const good = (i: number) => ({ id: `ev_${i}`, name: `Event ${i}` });

describe("PUT /v1/events with bad events", () => {
  it.each([
    ["an empty name", { id: "ev_x", name: "  " }, "events.3.name", "too_small"],
    ["a name over 200 characters", { id: "ev_x", name: "n".repeat(201) }, "events.3.name", "too_big"],
    ["a name with a line break", { id: "ev_x", name: "Messe\n2026" }, "events.3.name", "control_characters"],
    ["no name", { id: "ev_x" }, "events.3.name", "invalid_type"],
    ["an id over 100 characters", { id: "e".repeat(101), name: "Messe" }, "events.3.id", "too_big"],
    [
      "a date that is no date",
      { id: "ev_x", name: "Messe", starts_at: "1. März" },
      "events.3.starts_at",
      "invalid_format",
    ],
    ["an unknown field", { id: "ev_x", name: "Messe", city: "Köln" }, "events.3.city", "unknown_field"],
    ["the id of an earlier event", good(1), "events.3.id", "duplicate"],
  ])("refuses a batch with %s, naming it, and writes none of it", async (_, bad, path, code) => {
    const admin = await newCaller();
    const res = await putEvents(admin.account, [good(0), good(1), good(2), bad, good(4)]);
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path, code, message: expect.any(String) })]);
    expect(await allEvents(admin)).toEqual([]);
  });

  it("names every bad field of the batch in one answer", async () => {
    const admin = await newCaller();
    const res = await putEvents(admin.account, [{ id: "", name: "" }, good(1), { id: "ev_2", name: 7 }], {
      colour: "red",
    });
    expectProblem(res, 400);
    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(
      ["colour", "events.0.id", "events.0.name", "events.2.name"].sort(),
    );
  });

  it.each([
    ["no events", []],
    ["101 events", Array.from({ length: 101 }, (_, i) => good(i))],
  ])("refuses %s", async (_, events) => {
    const admin = await newCaller();
    const res = await putEvents(admin.account, events);
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "events" })]);
    expect(await allEvents(admin)).toEqual([]);
  });

  it("refuses a batch without account_id", async () => {
    const res = await call("PUT", "/v1/events", { token: ingestToken(), json: { events: [good(1)] } });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "account_id", code: "invalid_type" })]);
  });

  it("refuses a body over 256 KiB with 413, writing nothing", async () => {
    const admin = await newCaller();
    const res = await putEvents(admin.account, [good(1)], { padding: "x".repeat(256 * 1024) });
    expectProblem(res, 413);
    expect(await allEvents(admin)).toEqual([]);
  });
});

describe("the catalog's credentials", () => {
  it("takes writes with an ingest token only", async () => {
    const admin = await newCaller();
    const json = { account_id: admin.account, events: [good(1)] };
    for (const token of [admin.token, "wrong", undefined]) {
      expectProblem(await call("PUT", "/v1/events", { token, json }), 401);
      expectProblem(await call("DELETE", `/v1/events/${admin.account}/ev_1`, { token }), 401);
    }
    expect(await allEvents(admin)).toEqual([]);
  });

  it("lists for an admin token only", async () => {
    for (const token of [ingestToken(), "wrong", undefined]) {
      expectProblem(await call("GET", "/v1/events", { token }), 401);
    }
  });
});

describe("the catalog's rate limit", () => {
  it("refuses writes over the account's ingest limit with 429, changing nothing", async () => {
    const admin = await newCaller();
    await putEvents(admin.account, [good(1)]);
    const limit = vi.spyOn(env.INGEST_LIMITER, "limit").mockResolvedValue({ success: false });
    expectProblem(await putEvents(admin.account, [good(2)]), 429);
    expectProblem(await deleteEvent(admin.account, "ev_1"), 429);
    expect(limit.mock.calls.map(([options]) => options.key)).toEqual([admin.account, admin.account]);
    limit.mockRestore();
    expect((await searchEvents(admin)).body.data).toEqual([{ ...good(1), starts_at: null }]);
  });
});

describe("the OpenAPI document", () => {
  it("describes the catalog's routes with their operation ids", async () => {
    const { body } = await call("GET", "/v1/openapi.json");
    expect(body.paths["/v1/events"].put.operationId).toBe("upsertEvents");
    expect(body.paths["/v1/events"].get.operationId).toBe("listEvents");
    expect(body.paths["/v1/events/{account_id}/{event_id}"].delete.operationId).toBe("deleteEvent");
    expect(body.components.schemas.FieldError.properties.code.enum).toContain("duplicate");
  });
});
