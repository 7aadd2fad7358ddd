// auth: OAuth2 client credentials for the receiver. Validated field by field (token_url under the
// same URL policy and DNS check as url), the client secret sealed at rest and shown in full only
// in the create and PATCH answers and on GET …/auth; PATCH may keep the stored client secret
// only for the same token URL and client id. The engine opens it with openEndpointAuth.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openEndpointAuth } from "../../src/webhooks/endpoint-auth";
import { secretKeysOf } from "../../src/webhooks/secrets";
import { getWebhook } from "../../src/webhooks/storage";
import { type Caller, call, createWebhook, expectProblem, newCaller, webhookInput } from "../helpers";
import { spyReceiver } from "../queue-helpers";

const CLIENT_SECRET = "cs_4b8e1f0a9d7c";
const oauth = (overrides: Record<string, unknown> = {}) => ({
  type: "oauth2_client_credentials",
  token_url: "https://login.crm.example.com/oauth/token",
  client_id: "eventinsight",
  client_secret: CLIENT_SECRET,
  scope: "webhooks.write crm.read",
  ...overrides,
});
const masked = (overrides: Record<string, unknown> = {}) => oauth({ client_secret: "••••", ...overrides });

const authOf = async (caller: Caller, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/auth`, { token: caller.token })).body;
const patch = (caller: Caller, id: string, json: unknown) =>
  call("PATCH", `/v1/webhooks/${id}`, { token: caller.token, json });

describe("creating a webhook with auth", () => {
  it("answers the credentials in full once; every other answer masks the client secret", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { auth: oauth() });
    expect(created.auth).toEqual(oauth());
    const got = await call("GET", `/v1/webhooks/${created.id}`, { token: caller.token });
    expect(got.body.auth).toEqual(masked());
    const list = await call("GET", "/v1/webhooks", { token: caller.token });
    expect(list.body.data[0].auth).toEqual(masked());
    expect(`${got.text}${list.text}`).not.toContain(CLIENT_SECRET);
    expect(await authOf(caller, created.id)).toEqual({ auth: oauth() });
  });

  it("stores the client secret sealed, and opens it for the engine", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { auth: oauth({ scope: undefined }) });
    const row = await env.DB.prepare("SELECT * FROM webhooks WHERE id = ?").bind(created.id).first();
    expect(JSON.stringify(row)).not.toContain(CLIENT_SECRET);
    const record = await getWebhook(env.DB, caller.account, created.id);
    expect(await openEndpointAuth(record as NonNullable<typeof record>, secretKeysOf(env))).toEqual(
      oauth({ scope: null }),
    );
  });

  it("has none by default", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller);
    expect(created.auth).toBeNull();
    expect(await authOf(caller, created.id)).toEqual({ auth: null });
    const record = await getWebhook(env.DB, caller.account, created.id);
    expect(await openEndpointAuth(record as NonNullable<typeof record>, secretKeysOf(env))).toBeNull();
  });

  const refused: [string, Record<string, unknown>, string, string][] = [
    ["another type", oauth({ type: "basic" }), "auth.type", "invalid_value"],
    ["no token URL", oauth({ token_url: undefined }), "auth.token_url", "invalid_type"],
    ["a token URL that is no URL", oauth({ token_url: "login/token" }), "auth.token_url", "invalid_url"],
    [
      "a plain http token URL",
      oauth({ token_url: "http://login.example.com/t" }),
      "auth.token_url",
      "url_scheme",
    ],
    ["a private token URL", oauth({ token_url: "https://10.1.2.3/token" }), "auth.token_url", "private_host"],
    [
      "a token URL with user:password",
      oauth({ token_url: "https://me:pw@login.example.com/t" }),
      "auth.token_url",
      "url_userinfo",
    ],
    ["an empty client id", oauth({ client_id: "" }), "auth.client_id", "too_small"],
    ["a client id of 501 characters", oauth({ client_id: "c".repeat(501) }), "auth.client_id", "too_big"],
    ["no client secret", oauth({ client_secret: undefined }), "auth.client_secret", "invalid_type"],
    [
      "a client secret with a line break",
      oauth({ client_secret: "a\nb" }),
      "auth.client_secret",
      "control_characters",
    ],
    ["a scope with a quote", oauth({ scope: 'read "all"' }), "auth.scope", "invalid_format"],
    ["a scope with two spaces", oauth({ scope: "read  write" }), "auth.scope", "invalid_format"],
    ["an unknown field", oauth({ audience: "crm" }), "auth.audience", "unknown_field"],
  ];

  it.each(refused)("refuses %s with a field error", async (_, auth, path, code) => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", { token: caller.token, json: webhookInput({ auth }) });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path, code })]);
    expect(res.text).not.toContain(CLIENT_SECRET);
    expect((await call("GET", "/v1/webhooks", { token: caller.token })).body.data).toEqual([]);
  });

  it("refuses a token URL whose host resolves to a private address, like the webhook's url", async () => {
    const caller = await newCaller();
    // A host of its own: the verdict on a host is kept for its DNS answer's TTL.
    const host = `${crypto.randomUUID()}.login.example.com`;
    const { spy } = spyReceiver(undefined, (name, type) =>
      name === host ? (type === "A" ? ["10.0.0.7"] : []) : ["93.184.215.14"],
    );
    const res = await call("POST", "/v1/webhooks", {
      token: caller.token,
      json: webhookInput({ auth: oauth({ token_url: `https://${host}/oauth/token` }) }),
    });
    spy.mockRestore();
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        path: "auth.token_url",
        code: "private_host",
        message: expect.stringContaining("10.0.0.7"),
      }),
    ]);
  });

  it("refuses a custom Authorization header beside it: the service sends that one", async () => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", {
      token: caller.token,
      json: webhookInput({ auth: oauth(), headers: { Authorization: "Bearer static" } }),
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: "headers.Authorization", code: "header_name_reserved" }),
    ]);
  });
});

describe("changing auth with PATCH", () => {
  it("answers the credentials in full; null removes them", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { auth: oauth() });
    const renamed = await patch(caller, created.id, { name: "CRM" });
    expect(renamed.body.auth).toEqual(oauth());
    const removed = await patch(caller, created.id, { auth: null });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.auth).toBeNull();
    expect(await authOf(caller, created.id)).toEqual({ auth: null });
  });

  it("keeps the stored client secret when it is left out and the token URL and client id stay", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { auth: oauth() });
    const res = await patch(caller, created.id, {
      auth: oauth({ client_secret: undefined, scope: "crm.read" }),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.auth).toEqual(oauth({ scope: "crm.read" }));
    expect(await authOf(caller, created.id)).toEqual({ auth: oauth({ scope: "crm.read" }) });
  });

  it.each([
    ["another token URL", { token_url: "https://sso.crm.example.com/token" }],
    ["another client id", { client_id: "someone-else" }],
  ])("asks for the client secret again with %s, and changes nothing", async (_, change) => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { auth: oauth() });
    const res = await patch(caller, created.id, {
      name: "Renamed",
      auth: oauth({ ...change, client_secret: undefined }),
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: "auth.client_secret", code: "required" }),
    ]);
    expect(res.text).not.toContain(CLIENT_SECRET);
    expect(await authOf(caller, created.id)).toEqual({ auth: oauth() });
    expect((await call("GET", `/v1/webhooks/${created.id}`, { token: caller.token })).body.name).toBe(
      created.name,
    );
  });

  it("asks for a client secret when the webhook had no auth", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller);
    const res = await patch(caller, created.id, { auth: oauth({ client_secret: undefined }) });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: "auth.client_secret", code: "required" }),
    ]);
  });

  it("replaces the client secret when a new one is given; the same credentials change nothing", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { auth: oauth() });
    const same = await patch(caller, created.id, { auth: oauth({ scope: "webhooks.write crm.read" }) });
    expect(same.body.updated_at).toBe(created.updated_at);
    const res = await patch(caller, created.id, { auth: oauth({ client_secret: "cs_new" }) });
    expect(res.body.auth.client_secret).toBe("cs_new");
    expect((await authOf(caller, created.id)).auth.client_secret).toBe("cs_new");
  });

  it("checks the token URL by the same policy as on create", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { auth: oauth() });
    const res = await patch(caller, created.id, { auth: oauth({ token_url: "https://localhost/token" }) });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: "auth.token_url", code: "private_host" }),
    ]);
  });

  it("refuses auth beside a custom Authorization header, whichever of the two the PATCH adds", async () => {
    const caller = await newCaller();
    const withHeader = await createWebhook(caller, { headers: { authorization: "Bearer static" } });
    const adding = await patch(caller, withHeader.id, { auth: oauth() });
    expectProblem(adding, 400);
    expect(adding.body.errors).toEqual([
      expect.objectContaining({ path: "headers.authorization", code: "header_name_reserved" }),
    ]);
    const withAuth = await createWebhook(caller, { auth: oauth() });
    const header = await patch(caller, withAuth.id, { headers: { Authorization: "Bearer static" } });
    expectProblem(header, 400);
    const both = await patch(caller, withHeader.id, { auth: oauth(), headers: {} });
    expect(both.status, both.text).toBe(200);
  });
});
