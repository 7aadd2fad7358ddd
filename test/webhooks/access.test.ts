import { describe, expect, it } from "vitest";
import { adminToken, call, createWebhook, expectProblem, newCaller, webhookInput } from "../helpers";

describe("authentication", () => {
  const routes: [string, string][] = [
    ["GET", "/v1/webhooks"],
    ["POST", "/v1/webhooks"],
    ["GET", "/v1/webhooks/wh_00000000000000000000000000"],
    ["PATCH", "/v1/webhooks/wh_00000000000000000000000000"],
    ["DELETE", "/v1/webhooks/wh_00000000000000000000000000"],
    ["GET", "/v1/webhooks/wh_00000000000000000000000000/secret"],
    ["POST", "/v1/webhooks/wh_00000000000000000000000000/secret/rotate"],
    ["POST", "/v1/webhooks/wh_00000000000000000000000000/test"],
    ["GET", "/v1/webhooks/wh_00000000000000000000000000/logs"],
    ["POST", "/v1/webhooks/wh_00000000000000000000000000/logs/log_1/redeliver"],
    ["GET", "/v1/webhooks/wh_00000000000000000000000000/failed"],
    ["POST", "/v1/webhooks/wh_00000000000000000000000000/recover"],
    ["POST", "/v1/webhooks/wh_00000000000000000000000000/failed/fd_1/redeliver"],
  ];

  const badTokens: [string, () => Promise<string | undefined>][] = [
    ["missing", async () => undefined],
    ["signed with another secret", () => adminToken({}, "not-the-secret")],
    ["expired", () => adminToken({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ["without account_id", () => adminToken({ account_id: undefined })],
    ["without exp", () => adminToken({ exp: undefined })],
    ["not a JWT", async () => "definitely-not-a-jwt"],
  ];

  for (const [method, path] of routes) {
    it.each(badTokens)(`${method} ${path} answers 401 when the token is %s`, async (_, token) => {
      const res = await call(method, path, { token: await token(), json: method === "GET" ? undefined : {} });
      expectProblem(res, 401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    });
  }

  it("refuses an unsigned token (alg none)", async () => {
    const b64 = (o: unknown) =>
      btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const token = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "u", account_id: "acme", exp: 9999999999 })}.`;
    expectProblem(await call("GET", "/v1/webhooks", { token }), 401);
  });

  it("refuses a non-bearer authorization scheme", async () => {
    const res = await call("GET", "/v1/webhooks", { headers: { authorization: `Basic ${btoa("a:b")}` } });
    expectProblem(res, 401);
  });
});

describe("another account's webhook", () => {
  const attempts: [string, string, unknown?][] = [
    ["GET", ""],
    ["PATCH", "", { name: "hijacked" }],
    ["DELETE", ""],
    ["GET", "/secret"],
    ["POST", "/secret/rotate"],
  ];

  it.each(attempts)("%s {id}%s answers 404 and changes nothing", async (method, suffix, json) => {
    const owner = await newCaller();
    const intruder = await newCaller();
    const created = await createWebhook(owner);
    const res = await call(method, `/v1/webhooks/${created.id}${suffix}`, { token: intruder.token, json });
    expectProblem(res, 404);
    expect(res.text).not.toContain(created.secret);
    const after = await call("GET", `/v1/webhooks/${created.id}`, { token: owner.token });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ name: created.name, updated_at: created.updated_at });
    const secret = await call("GET", `/v1/webhooks/${created.id}/secret`, { token: owner.token });
    expect(secret.body.secret).toBe(created.secret);
  });
});

describe("CORS", () => {
  it("answers a dashboard's preflight from another origin without a token", async () => {
    const res = await call("OPTIONS", "/v1/webhooks", {
      headers: {
        origin: "https://dashboard.eventinsight.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });

  it("lets a dashboard read answers and the Location of a created webhook", async () => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", {
      token: caller.token,
      json: webhookInput(),
      headers: { origin: "https://dashboard.eventinsight.example" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-expose-headers")).toContain("location");
  });
});
