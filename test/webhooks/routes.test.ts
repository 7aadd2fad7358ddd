import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { type Caller, call, createWebhook, expectProblem, newCaller, webhookInput } from "../helpers";

const TRIGGERS = [
  "user.new",
  "user.update",
  "user.delete",
  "company.new",
  "company.update",
  "company.delete",
];

async function listIds(caller: Caller): Promise<string[]> {
  const res = await call("GET", "/v1/webhooks?limit=100", { token: caller.token });
  expect(res.status, res.text).toBe(200);
  return res.body.data.map((w: { id: string }) => w.id);
}

describe("POST /v1/webhooks", () => {
  it("creates a webhook with defaults and returns its secret once", async () => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", { token: caller.token, json: webhookInput() });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^wh_[0-9A-Z]{26}$/),
      name: "CRM sync",
      url: "https://hooks.example.com/eventinsight",
      is_active: true,
      triggers: TRIGGERS,
      event_ids: [],
      disabled_reason: null,
      last_delivery_at: null,
      last_status: null,
      consecutive_failures: 0,
    });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(res.body.secret.slice(6))).toHaveLength(32);
    expect(res.headers.get("location")).toBe(`/v1/webhooks/${res.body.id}`);

    const got = await call("GET", `/v1/webhooks/${res.body.id}`, { token: caller.token });
    expect(got.status, got.text).toBe(200);
    expect(got.body).not.toHaveProperty("secret");
    expect(got.text).not.toContain(res.body.secret);
  });

  it("keeps the given triggers, events and active flag, without duplicates", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, {
      is_active: false,
      triggers: ["company.update", "company.update", "user.delete"],
      event_ids: ["ev_2026_fair", "ev_2026_fair", "ev_gala"],
    });
    expect(created).toMatchObject({
      is_active: false,
      triggers: ["company.update", "user.delete"],
      event_ids: ["ev_2026_fair", "ev_gala"],
    });
  });

  it("takes an integer event id as its decimal text, as a change's event_ids are", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { event_ids: [2026, "2026", "ev_gala"] });
    expect(created.event_ids).toEqual(["2026", "ev_gala"]);
    const patched = await call("PATCH", `/v1/webhooks/${created.id}`, {
      token: caller.token,
      json: { event_ids: [7] },
    });
    expect(patched.body.event_ids).toEqual(["7"]);
  });

  it("stores the secret sealed, so a D1 row does not reveal it", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller);
    const row = await env.DB.prepare("SELECT * FROM webhooks WHERE id = ?").bind(created.id).first();
    const dump = JSON.stringify(row);
    expect(dump).not.toContain(created.secret);
    expect(dump).not.toContain(created.secret.slice(6));
  });

  const invalidBodies: [string, Record<string, unknown>, string, string][] = [
    ["name missing", { url: "https://a.example.com" }, "name", "invalid_type"],
    ["name empty", webhookInput({ name: "   " }), "name", "too_small"],
    ["name too long", webhookInput({ name: "x".repeat(101) }), "name", "too_big"],
    ["name not a string", webhookInput({ name: 5 }), "name", "invalid_type"],
    ["name with a line break", webhookInput({ name: "CRM\r\nX-Injected: 1" }), "name", "control_characters"],
    [
      "url with a line break",
      webhookInput({ url: "https://hooks.example.com/\r\nX-Injected: 1" }),
      "url",
      "control_characters",
    ],
    ["url missing", { name: "n" }, "url", "invalid_type"],
    ["url not absolute", webhookInput({ url: "/hooks" }), "url", "invalid_url"],
    ["url plain http", webhookInput({ url: "http://hooks.example.com" }), "url", "url_scheme"],
    [
      "url with user:password",
      webhookInput({ url: "https://me:pw@hooks.example.com" }),
      "url",
      "url_userinfo",
    ],
    ["url private host", webhookInput({ url: "https://10.0.0.1/hook" }), "url", "private_host"],
    ["url loopback", webhookInput({ url: "https://localhost/hook" }), "url", "private_host"],
    [
      "url too long",
      webhookInput({ url: `https://hooks.example.com/${"a".repeat(2048)}` }),
      "url",
      "too_big",
    ],
    ["url not a string", webhookInput({ url: 42 }), "url", "invalid_type"],
    ["is_active not a boolean", webhookInput({ is_active: "yes" }), "is_active", "invalid_type"],
    ["triggers empty", webhookInput({ triggers: [] }), "triggers", "too_small"],
    ["triggers unknown", webhookInput({ triggers: ["user.created"] }), "triggers.0", "invalid_value"],
    ["triggers not an array", webhookInput({ triggers: "user.new" }), "triggers", "invalid_type"],
    ["event_ids not an array", webhookInput({ event_ids: "ev_1" }), "event_ids", "invalid_type"],
    ["event_ids with an empty id", webhookInput({ event_ids: ["ev_1", ""] }), "event_ids.1", "too_small"],
    [
      "event_ids too many",
      webhookInput({ event_ids: Array.from({ length: 101 }, (_, i) => `ev_${i}`) }),
      "event_ids",
      "too_big",
    ],
    ["unknown field", webhookInput({ secret: "whsec_mine" }), "secret", "unknown_field"],
  ];

  it.each(invalidBodies)(
    "refuses %s with a 400 naming the field and the error's code, creating nothing",
    async (_, json, path, code) => {
      const caller = await newCaller();
      const res = await call("POST", "/v1/webhooks", { token: caller.token, json });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path, code, message: expect.any(String) })]);
      expect(await listIds(caller)).toEqual([]);
    },
  );

  it("refuses malformed JSON with 400 on the body's path", async () => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", {
      token: caller.token,
      body: '{"name": ',
      headers: { "content-type": "application/json" },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([{ path: "", code: "malformed_json", message: expect.any(String) }]);
    expect(await listIds(caller)).toEqual([]);
  });

  it("refuses a body that is not valid UTF-8 with 400, creating nothing", async () => {
    const caller = await newCaller();
    const json = new TextEncoder().encode(JSON.stringify(webhookInput({ name: "CRM ~" })));
    const res = await call("POST", "/v1/webhooks", {
      token: caller.token,
      body: json.map((byte) => (byte === 0x7e ? 0xff : byte)), // "~" becomes a lone 0xFF byte
      headers: { "content-type": "application/json" },
    });
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/UTF-8/);
    expect(await listIds(caller)).toEqual([]);
  });

  it("refuses a body that is not JSON with 415", async () => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", {
      token: caller.token,
      body: "name=x&url=https://a.example.com",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectProblem(res, 415);
    expect(await listIds(caller)).toEqual([]);
  });

  it("refuses a body over 64 KiB with 413", async () => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", {
      token: caller.token,
      json: webhookInput({ name: "x".repeat(70 * 1024) }),
    });
    expectProblem(res, 413);
    expect(await listIds(caller)).toEqual([]);
  });
});

describe("GET /v1/webhooks", () => {
  it("pages through the account's webhooks with a cursor, oldest first", async () => {
    const caller = await newCaller();
    const ids = [];
    for (const name of ["one", "two", "three"]) ids.push((await createWebhook(caller, { name })).id);

    const first = await call("GET", "/v1/webhooks?limit=2", { token: caller.token });
    expect(first.status, first.text).toBe(200);
    expect(first.body.data.map((w: { id: string }) => w.id)).toEqual(ids.slice(0, 2));
    expect(first.body.next_cursor).toEqual(expect.any(String));
    expect(first.text).not.toContain("whsec_");

    const second = await call("GET", `/v1/webhooks?limit=2&cursor=${first.body.next_cursor}`, {
      token: caller.token,
    });
    expect(second.status, second.text).toBe(200);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: ids[2] })], next_cursor: null });
  });

  it("never shows another account's webhooks", async () => {
    const owner = await newCaller();
    const other = await newCaller();
    await createWebhook(owner);
    expect(await listIds(other)).toEqual([]);
  });

  it.each([["limit=0"], ["limit=101"], ["limit=abc"], ["cursor=not-a-cursor"]])(
    "refuses ?%s with 400",
    async (query) => {
      const caller = await newCaller();
      const res = await call("GET", `/v1/webhooks?${query}`, { token: caller.token });
      expectProblem(res, 400);
      expect(res.body.errors[0].path).toBe(query.split("=")[0]);
    },
  );
});

describe("PATCH /v1/webhooks/{id}", () => {
  it("changes the given fields and keeps the rest", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller);
    const res = await call("PATCH", `/v1/webhooks/${created.id}`, {
      token: caller.token,
      json: {
        name: "ERP",
        url: "https://erp.example.com/in",
        triggers: ["company.new"],
        event_ids: ["ev_9"],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      name: "ERP",
      url: "https://erp.example.com/in",
      is_active: true,
      triggers: ["company.new"],
      event_ids: ["ev_9"],
      created_at: created.created_at,
    });
    expect(res.body).not.toHaveProperty("secret");
    const got = await call("GET", `/v1/webhooks/${created.id}`, { token: caller.token });
    expect(got.body).toEqual(res.body);
  });

  it("re-activating a disabled webhook clears the reason and the failure streak", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller);
    await env.DB.prepare(
      "UPDATE webhooks SET is_active = 0, disabled_reason = 'gone', consecutive_failures = 4, failing_since = ?2 WHERE id = ?1",
    )
      .bind(created.id, new Date().toISOString())
      .run();
    const res = await call("PATCH", `/v1/webhooks/${created.id}`, {
      token: caller.token,
      json: { is_active: true },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      is_active: true,
      disabled_reason: null,
      consecutive_failures: 0,
      failing_since: null,
    });
  });

  it("moves updated_at only when the PATCH changed something", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, {
      name: "CRM",
      event_ids: ["ev_1", "ev_2"],
      triggers: ["user.new", "company.update"],
    });
    const patch = async (json: unknown) => {
      await new Promise((resolve) => setTimeout(resolve, 5)); // a changed PATCH gets a later time
      return (await call("PATCH", `/v1/webhooks/${created.id}`, { token: caller.token, json })).body;
    };
    for (const json of [
      {},
      { name: "CRM" },
      { event_ids: ["ev_2", "ev_1", "ev_2"], is_active: true },
      { triggers: ["company.update", "user.new"] },
      { headers: null },
      { headers: {} },
    ]) {
      const same = await patch(json);
      expect(same.updated_at, JSON.stringify(json)).toBe(created.updated_at);
      expect(same).toMatchObject({ triggers: created.triggers, event_ids: created.event_ids });
    }
    const renamed = (await patch({ name: "CRM 2" })).updated_at;
    expect(renamed > created.updated_at).toBe(true);
    const withKey = await patch({ headers: { "X-Api-Key": "abc" } });
    expect(withKey.updated_at > renamed).toBe(true);
    const again = await patch({ headers: { "X-Api-Key": "abc" } });
    expect(again).toMatchObject({ updated_at: withKey.updated_at, headers: { "X-Api-Key": "abc" } });
    expect((await patch({ headers: { "X-Api-Key": "abd" } })).updated_at > withKey.updated_at).toBe(true);
  });

  it.each([
    [{ name: "" }, "name"],
    [{ url: "https://127.0.0.1/x" }, "url"],
    [{ is_active: null }, "is_active"],
    [{ triggers: [] }, "triggers"],
    [{ event_ids: [7.5] }, "event_ids.0"],
    [{ colour: "red" }, "colour"],
  ])("refuses %j with a 400 and changes nothing", async (json, path) => {
    const caller = await newCaller();
    const created = await createWebhook(caller);
    const before = await call("GET", `/v1/webhooks/${created.id}`, { token: caller.token });
    const res = await call("PATCH", `/v1/webhooks/${created.id}`, { token: caller.token, json });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    const after = await call("GET", `/v1/webhooks/${created.id}`, { token: caller.token });
    expect(after.body).toEqual(before.body);
  });
});

describe("DELETE /v1/webhooks/{id}", () => {
  it("deletes the webhook; it is gone afterwards", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller);
    const res = await call("DELETE", `/v1/webhooks/${created.id}`, { token: caller.token });
    expect(res.status, res.text).toBe(204);
    expectProblem(await call("GET", `/v1/webhooks/${created.id}`, { token: caller.token }), 404);
    expectProblem(await call("DELETE", `/v1/webhooks/${created.id}`, { token: caller.token }), 404);
    expect(await listIds(caller)).toEqual([]);
  });
});

describe("secrets", () => {
  it("reveals the current secret on /secret", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller);
    const res = await call("GET", `/v1/webhooks/${created.id}/secret`, { token: caller.token });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ secret: created.secret });
  });

  it("rotates to a new secret, keeping the old one for 24 hours", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller);
    const res = await call("POST", `/v1/webhooks/${created.id}/secret/rotate`, { token: caller.token });
    expect(res.status, res.text).toBe(200);
    expect(res.body.secret).toMatch(/^whsec_/);
    expect(res.body.secret).not.toBe(created.secret);
    const overlapMs = Date.parse(res.body.previous_secret_expires_at) - Date.now();
    expect(overlapMs).toBeGreaterThan(23.9 * 3600_000);
    expect(overlapMs).toBeLessThanOrEqual(24 * 3600_000);
    const current = await call("GET", `/v1/webhooks/${created.id}/secret`, { token: caller.token });
    expect(current.body).toEqual({ secret: res.body.secret });
  });
});

describe("errors", () => {
  it("answers an unknown path with a 404 problem", async () => {
    expectProblem(await call("GET", "/v1/nothing-here"), 404);
  });

  it("answers an unexpected failure with a 500 that leaks nothing, logged with the request id", async () => {
    const caller = await newCaller();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const prepare = vi.spyOn(env.DB, "prepare").mockImplementation(() => {
      throw new Error("D1 exploded at table webhooks");
    });
    try {
      const res = await call("GET", "/v1/webhooks", { token: caller.token });
      expectProblem(res, 500);
      expect(res.text).not.toContain("exploded");
      expect(res.body.request_id).toEqual(expect.any(String));
      expect(errors).toHaveBeenCalledWith(expect.stringContaining(res.body.request_id));
    } finally {
      prepare.mockRestore();
      errors.mockRestore();
    }
  });
});

describe("other routes", () => {
  it("serves /healthz", async () => {
    const res = await call("GET", "/healthz");
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: "ok" });
  });

  it("serves an OpenAPI 3.1 document of the routes", async () => {
    const res = await call("GET", "/v1/openapi.json");
    expect(res.status, res.text).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(["/v1/webhooks", "/v1/webhooks/{id}", "/v1/webhooks/{id}/secret/rotate"]),
    );
  });
});
