// Admin tokens: only an unexpired HS256 JWT signed with ADMIN_JWT_SECRET, carrying sub,
// account_id and an exp at most 24 h ahead, gets in. Everything else is a 401 problem, whatever
// route it is sent to.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, newCaller } from "../helpers";

const now = () => Math.floor(Date.now() / 1000);
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const part = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));

async function hmac(hash: "SHA-256" | "SHA-384" | "SHA-512", key: string, data: string) {
  const imported = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(key),
    { name: "HMAC", hash },
    false,
    ["sign"],
  );
  return b64url(new Uint8Array(await crypto.subtle.sign("HMAC", imported, new TextEncoder().encode(data))));
}

const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: "u_1",
  account_id: "acme",
  exp: now() + 3600,
  ...overrides,
});

/** A JWT with any header and payload, its signature an HMAC made with `hash` (SHA-256 by default). */
async function forge(
  header: Record<string, unknown>,
  payload: unknown,
  {
    hash = "SHA-256",
    key = env.ADMIN_JWT_SECRET,
  }: { hash?: "SHA-256" | "SHA-384" | "SHA-512"; key?: string } = {},
) {
  const signed = `${part(header)}.${part(payload)}`;
  return `${signed}.${await hmac(hash, key, signed)}`;
}

const HS256 = { alg: "HS256", typ: "JWT" };

const refused: [string, () => Promise<string>][] = [
  ["expired", () => forge(HS256, claims({ exp: now() - 1 }))],
  ["expiring this very second", () => forge(HS256, claims({ exp: now() }))],
  ["expiring in 100 years", () => forge(HS256, claims({ exp: now() + 100 * 365 * 24 * 3600 }))],
  [
    "expiring a minute more than 24 hours from now",
    () => forge(HS256, claims({ exp: now() + 24 * 3600 + 60 })),
  ],
  ["expiring at the end of time", () => forge(HS256, claims({ exp: Number.MAX_SAFE_INTEGER }))],
  ["not yet valid (nbf in the future)", () => forge(HS256, claims({ nbf: now() + 600 }))],
  ["issued in the future (iat)", () => forge(HS256, claims({ iat: now() + 600 }))],
  ["unsigned, alg none", async () => `${part({ alg: "none", typ: "JWT" })}.${part(claims())}.`],
  ["unsigned, alg None", async () => `${part({ alg: "None" })}.${part(claims())}.`],
  [
    "alg none carrying a valid HS256 signature",
    async () => {
      const real = (await forge(HS256, claims())).split(".")[2];
      return `${part({ alg: "none" })}.${part(claims())}.${real}`;
    },
  ],
  ["HS384, signed with the secret", () => forge({ alg: "HS384", typ: "JWT" }, claims(), { hash: "SHA-384" })],
  ["HS512, signed with the secret", () => forge({ alg: "HS512", typ: "JWT" }, claims(), { hash: "SHA-512" })],
  [
    "RS256 in the header, HMAC-signed with the secret (key confusion)",
    () => forge({ alg: "RS256", typ: "JWT" }, claims()),
  ],
  ["ES256 in the header, HMAC-signed with the secret", () => forge({ alg: "ES256", typ: "JWT" }, claims())],
  ["a header without alg", () => forge({ typ: "JWT" }, claims())],
  ["a header with crit", () => forge({ ...HS256, crit: ["exp"] }, claims())],
  ["signed with another secret", () => forge(HS256, claims(), { key: "not-the-secret" })],
  [
    "a payload changed after signing",
    async () => {
      const [header, , signature] = (await forge(HS256, claims())).split(".");
      return `${header}.${part(claims({ account_id: "someone-else" }))}.${signature}`;
    },
  ],
  ["without sub", () => forge(HS256, claims({ sub: undefined }))],
  ["with an empty sub", () => forge(HS256, claims({ sub: "" }))],
  ["without account_id", () => forge(HS256, claims({ account_id: undefined }))],
  ["with an empty account_id", () => forge(HS256, claims({ account_id: "" }))],
  ["with a numeric account_id", () => forge(HS256, claims({ account_id: 42 }))],
  ["without exp", () => forge(HS256, claims({ exp: undefined }))],
  ["with exp as a string", () => forge(HS256, claims({ exp: String(now() + 3600) }))],
  ["with a payload that is null", () => forge(HS256, null)],
  ["with a payload that is an array", () => forge(HS256, [claims()])],
  ["with two parts", async () => (await forge(HS256, claims())).split(".").slice(0, 2).join(".")],
  ["with four parts", async () => `${await forge(HS256, claims())}.x`],
  ["with a header that is not base64url JSON", async () => `!!!.${part(claims())}.sig`],
  [
    "with a payload that is not JSON",
    async () => `${part(HS256)}.${b64url(new TextEncoder().encode("{oops"))}.sig`,
  ],
  [
    "with a signature that is not base64url",
    async () => `${(await forge(HS256, claims())).slice(0, -4)}+/==`,
  ],
  ["that is empty", async () => ""],
  ["that is three dots", async () => "..."],
];

const routes: [string, string, unknown?][] = [
  ["GET", "/v1/webhooks"],
  ["POST", "/v1/webhooks", { name: "n", url: "https://hooks.example.com/" }],
];

describe("admin tokens", () => {
  it("lets a well-formed HS256 token in (the control for everything below)", async () => {
    const res = await call("GET", "/v1/webhooks", {
      token: await forge(HS256, claims({ account_id: "jwt-control" })),
    });
    expect(res.status, res.text).toBe(200);
  });

  for (const [method, path, json] of routes) {
    it.each(refused)(`${method} ${path} answers 401 to a token %s`, async (_, token) => {
      const caller = await newCaller();
      const res = await call(method, path, { headers: { authorization: `Bearer ${await token()}` }, json });
      expect(res.status, res.text).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(res.body).toMatchObject({ status: 401, type: expect.stringMatching(/unauthorized$/) });
      expect((await call("GET", "/v1/webhooks", { token: caller.token })).body.data).toEqual([]);
    });
  }

  it("lets in a token that expires exactly 24 hours from now", async () => {
    const res = await call("GET", "/v1/webhooks", {
      token: await forge(HS256, claims({ exp: now() + 24 * 3600 })),
    });
    expect(res.status, res.text).toBe(200);
  });

  it("says why a long-lived token is refused", async () => {
    const token = await forge(HS256, claims({ exp: now() + 30 * 24 * 3600 }));
    const res = await call("GET", "/v1/webhooks", { token });
    expect(res.status, res.text).toBe(401);
    expect(res.body.detail).toMatch(/more than 24 hours/);
  });

  it("accepts the scheme in any case but refuses other schemes and a missing token", async () => {
    const token = await forge(HS256, claims());
    expect(
      (await call("GET", "/v1/webhooks", { headers: { authorization: `bearer ${token}` } })).status,
    ).toBe(200);
    for (const authorization of [
      `Token ${token}`,
      `Basic ${token}`,
      "Bearer",
      `Bearer ${token} extra`,
      token,
    ]) {
      const res = await call("GET", "/v1/webhooks", { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
    }
  });
});
