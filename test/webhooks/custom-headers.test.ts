// Custom request headers of a webhook: validated per header, sealed at rest, shown in full only
// in the create and PATCH answers and on /headers, "••••" everywhere else.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { headerProblems, MASK, maskCustomHeaders } from "../../src/webhooks/custom-headers";
import { type Caller, call, createWebhook, expectProblem, newCaller, webhookInput } from "../helpers";

const API_KEY = "k_live_7c1e9d2b";
const headersOf = (caller: Caller, id: string) =>
  call("GET", `/v1/webhooks/${id}/headers`, { token: caller.token });

describe("which headers are allowed", () => {
  const tenHeaders = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`X-H${i}`, "v"]));
  it.each<[string, Record<string, unknown>]>([
    ["an API key", { "X-Api-Key": API_KEY }],
    ["ten headers", tenHeaders],
    ["Authorization", { Authorization: "Bearer abc.def" }],
    ["every token character in a name", { "!#$%&'*+-.^_`|~09azAZ": "v" }],
    ["an empty value", { "X-Empty": "" }],
    ["a value of 1000 characters", { "X-Long": "x".repeat(1000) }],
    ["inner spaces and punctuation", { "X-Scope": 'a b, c=d; "e"' }],
  ])("allows %s", (_, headers) => {
    expect(headerProblems(headers)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string | null, RegExp, string]>([
    ["eleven headers", { ...tenHeaders, "X-H10": "v" }, null, /At most 10/, "too_many_headers"],
    [
      "content-type",
      { "Content-Type": "text/plain" },
      "Content-Type",
      /Set by the service/,
      "header_name_reserved",
    ],
    [
      "content-length",
      { "content-length": "5" },
      "content-length",
      /Set by the service/,
      "header_name_reserved",
    ],
    ["host", { HOST: "evil.example" }, "HOST", /Set by the service/, "header_name_reserved"],
    ["user-agent", { "User-Agent": "x" }, "User-Agent", /Set by the service/, "header_name_reserved"],
    [
      "webhook-signature",
      { "Webhook-Signature": "v1,x" },
      "Webhook-Signature",
      /Set by the service/,
      "header_name_reserved",
    ],
    [
      "any webhook-* name",
      { "webhook-anything": "x" },
      "webhook-anything",
      /Set by the service/,
      "header_name_reserved",
    ],
    [
      "upgrade (the body would not be sent)",
      { Upgrade: "websocket" },
      "Upgrade",
      /how the request is sent/,
      "header_name_transport",
    ],
    [
      "transfer-encoding",
      { "Transfer-Encoding": "chunked" },
      "Transfer-Encoding",
      /how the request/,
      "header_name_transport",
    ],
    [
      "content-encoding",
      { "Content-Encoding": "gzip" },
      "Content-Encoding",
      /how the request/,
      "header_name_transport",
    ],
    ["a name with a space", { "X Api": "v" }, "X Api", /HTTP header name/, "header_name_invalid"],
    ["a name with a colon", { "X-Api:": "v" }, "X-Api:", /HTTP header name/, "header_name_invalid"],
    ["an empty name", { "": "v" }, "", /HTTP header name/, "header_name_invalid"],
    ["a name with a line break", { "X\r\nY": "v" }, "X\r\nY", /HTTP header name/, "header_name_invalid"],
    [
      "a name of 101 characters",
      { ["X".repeat(101)]: "v" },
      "X".repeat(101),
      /at most 100/,
      "header_name_too_long",
    ],
    ["__proto__", JSON.parse('{"__proto__": "v"}'), "__proto__", /Not allowed/, "header_name_reserved"],
    [
      "the same name twice in other cases",
      { "X-Key": "a", "x-key": "b" },
      "x-key",
      /case-insensitive/,
      "duplicate",
    ],
    [
      "a value of 1001 characters",
      { "X-Long": "x".repeat(1001) },
      "X-Long",
      /at most 1000/,
      "header_value_too_long",
    ],
    [
      "a value with a line break",
      { "X-Key": "a\r\nX-Injected: 1" },
      "X-Key",
      /control characters/,
      "control_characters",
    ],
    ["a value with a NUL", { "X-Key": "a\u0000" }, "X-Key", /control characters/, "control_characters"],
    ["a value with a tab", { "X-Key": "a\tb" }, "X-Key", /control characters/, "control_characters"],
    ["a value beyond ASCII", { "X-Key": "k€y" }, "X-Key", /ASCII/, "header_value_not_ascii"],
    ["a value with a trailing space", { "X-Key": "key " }, "X-Key", /begin or end/, "header_value_spaces"],
    ["a number as value", { "X-Key": 5 }, "X-Key", /string/, "invalid_type"],
    ["an object as value", { "X-Key": { a: 1 } }, "X-Key", /string/, "invalid_type"],
  ])("refuses %s", (_, headers, name, message, code) => {
    expect(headerProblems(headers)).toEqual([
      expect.objectContaining({ name, code, message: expect.stringMatching(message) }),
    ]);
  });

  it("never quotes a value in its messages", () => {
    const problems = headerProblems({ "X-A": `${API_KEY}\n`, "X-B": `${API_KEY}€`, "X-C": `${API_KEY} ` });
    expect(problems).toHaveLength(3);
    expect(JSON.stringify(problems)).not.toContain(API_KEY);
  });

  it("masks every header of a logged request but the five standard ones", () => {
    const standard = {
      "content-type": "application/json",
      "user-agent": "EventInsight-Webhooks/1",
      "webhook-id": "msg_1",
      "webhook-timestamp": "1",
      "webhook-signature": "v1,x",
    };
    expect(maskCustomHeaders({ ...standard, "X-Api-Key": API_KEY })).toEqual({
      ...standard,
      "X-Api-Key": MASK,
    });
  });
});

describe("headers through the API", () => {
  it("shows the values in full when created, masked in get, list and rotate, in full on /headers", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { headers: { "X-Api-Key": API_KEY, "X-Tenant": "acme" } });
    expect(created.headers).toEqual({ "X-Api-Key": API_KEY, "X-Tenant": "acme" });
    const masked = { "X-Api-Key": MASK, "X-Tenant": MASK };

    const got = await call("GET", `/v1/webhooks/${created.id}`, { token: caller.token });
    expect(got.status, got.text).toBe(200);
    expect(got.body.headers).toEqual(masked);
    const list = await call("GET", "/v1/webhooks", { token: caller.token });
    expect(list.body.data[0].headers).toEqual(masked);
    const rotated = await call("POST", `/v1/webhooks/${created.id}/secret/rotate`, { token: caller.token });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body.headers).toEqual(masked);
    for (const res of [got, list, rotated]) expect(res.text).not.toContain(API_KEY);

    const revealed = await headersOf(caller, created.id);
    expect(revealed.status, revealed.text).toBe(200);
    expect(revealed.body).toEqual({ headers: { "X-Api-Key": API_KEY, "X-Tenant": "acme" } });
  });

  it("creates webhooks without headers with an empty set", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller);
    expect(created.headers).toEqual({});
    expect((await headersOf(caller, created.id)).body).toEqual({ headers: {} });
    expect((await createWebhook(caller, { headers: null })).headers).toEqual({});
  });

  it("stores the values sealed, so a D1 row does not reveal them", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { headers: { "X-Api-Key": API_KEY } });
    const row = await env.DB.prepare("SELECT * FROM webhooks WHERE id = ?").bind(created.id).first();
    expect(JSON.stringify(row)).not.toContain(API_KEY);
    expect(row?.headers).toMatch(/^v1\./);
  });

  it("replaces the whole set on PATCH; every PATCH answers with them in full; null and {} remove them all", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { headers: { "X-Old": "old", "X-Api-Key": "first" } });
    const patch = (json: unknown) =>
      call("PATCH", `/v1/webhooks/${created.id}`, { token: caller.token, json });

    const replaced = await patch({ headers: { "X-Api-Key": API_KEY } });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.body.headers).toEqual({ "X-Api-Key": API_KEY });
    expect((await headersOf(caller, created.id)).body.headers).toEqual({ "X-Api-Key": API_KEY });

    const renamed = await patch({ name: "ERP" });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.headers).toEqual({ "X-Api-Key": API_KEY });
    expect((await headersOf(caller, created.id)).body.headers).toEqual({ "X-Api-Key": API_KEY });

    for (const cleared of [null, {}]) {
      await patch({ headers: { "X-Again": "v" } });
      const res = await patch({ headers: cleared });
      expect(res.status, res.text).toBe(200);
      expect(res.body.headers).toEqual({});
      expect((await headersOf(caller, created.id)).body.headers).toEqual({});
    }
  });

  it.each<[string, unknown, string]>([
    ["a reserved name", { "Webhook-Id": "x" }, "headers.Webhook-Id"],
    ["a value with a line break", { "X-Api-Key": "a\r\nX-Injected: 1" }, "headers.X-Api-Key"],
    ["a value too long", { "X-Api-Key": "x".repeat(1001) }, "headers.X-Api-Key"],
    [
      "too many headers",
      Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`X-${i}`, "v"])),
      "headers",
    ],
    ["an array", [["X-Api-Key", "v"]], "headers"],
    ["a string", "X-Api-Key: v", "headers"],
  ])("refuses %s on create and PATCH with a 400 on its path, changing nothing", async (_, headers, path) => {
    const caller = await newCaller();
    const create = await call("POST", "/v1/webhooks", {
      token: caller.token,
      json: webhookInput({ headers }),
    });
    expectProblem(create, 400);
    expect(create.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect((await call("GET", "/v1/webhooks", { token: caller.token })).body.data).toEqual([]);

    const created = await createWebhook(caller, { headers: { "X-Api-Key": API_KEY } });
    const res = await call("PATCH", `/v1/webhooks/${created.id}`, { token: caller.token, json: { headers } });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect((await headersOf(caller, created.id)).body.headers).toEqual({ "X-Api-Key": API_KEY });
  });

  it("names every bad header at once, never quoting a value", async () => {
    const caller = await newCaller();
    const headers = { Host: "x", "X-Ok": "fine", "X-Bad": `${API_KEY}\n`, "Bad Name": "v" };
    const res = await call("POST", "/v1/webhooks", { token: caller.token, json: webhookInput({ headers }) });
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "headers.Bad Name",
      "headers.Host",
      "headers.X-Bad",
    ]);
    const codes = Object.fromEntries(
      res.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]),
    );
    expect(codes).toEqual({
      "headers.Bad Name": "header_name_invalid",
      "headers.Host": "header_name_reserved",
      "headers.X-Bad": "control_characters",
    });
    expect(res.text).not.toContain(API_KEY);
  });

  it("answers /headers of another account's webhook with 404", async () => {
    const owner = await newCaller();
    const created = await createWebhook(owner, { headers: { "X-Api-Key": API_KEY } });
    const res = await headersOf(await newCaller(), created.id);
    expectProblem(res, 404);
    expect(res.text).not.toContain(API_KEY);
  });
});
