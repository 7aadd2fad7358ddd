// Rotating ADMIN_JWT_SECRET without downtime: while ADMIN_JWT_SECRET_PREVIOUS names the former
// secrets (comma-separated), tokens signed with any of them still get in, with every other rule
// unchanged; once it is removed, they no longer do. The former secrets only verify.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { adminToken, uniqueId } from "../helpers";

const app = createApp();

/** GET /v1/webhooks on a deployment with these secrets, as the holder of `token`. */
async function listWith(secrets: { ADMIN_JWT_SECRET_PREVIOUS?: string }, token: string) {
  const deployment = { ...env, ...secrets };
  const res = await app.request(
    "https://webhooks.test/v1/webhooks",
    { headers: { authorization: `Bearer ${token}` } },
    deployment,
    createExecutionContext(),
  );
  return { status: res.status, text: await res.text(), challenge: res.headers.get("www-authenticate") };
}

const tokenSignedWith = (secret: string, claims: Record<string, unknown> = {}) =>
  adminToken({ account_id: uniqueId("acct"), ...claims }, secret);

describe("admin tokens during a rotation of ADMIN_JWT_SECRET", () => {
  const former = "former-admin-secret";
  const older = "older-admin-secret";

  it("lets in tokens signed with the current secret and with each former one", async () => {
    const rotating = { ADMIN_JWT_SECRET_PREVIOUS: ` ${former} , ${older} ` };
    for (const secret of [env.ADMIN_JWT_SECRET, former, older]) {
      const res = await listWith(rotating, await tokenSignedWith(secret));
      expect(res.status, `${secret}: ${res.text}`).toBe(200);
    }
  });

  it("refuses a token signed with a secret that is neither", async () => {
    const res = await listWith({ ADMIN_JWT_SECRET_PREVIOUS: former }, await tokenSignedWith("someone-elses"));
    expect(res.status, res.text).toBe(401);
    expect(res.challenge).toMatch(/^Bearer/);
  });

  it("still refuses a token of a former secret that breaks another rule (expired, long-lived)", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const exp of [now - 1, now + 30 * 24 * 3600]) {
      const res = await listWith(
        { ADMIN_JWT_SECRET_PREVIOUS: former },
        await tokenSignedWith(former, { exp }),
      );
      expect(res.status, res.text).toBe(401);
    }
  });

  it("refuses tokens of the former secret once the rotation is finished (unset or empty)", async () => {
    const token = await tokenSignedWith(former);
    for (const finished of [{}, { ADMIN_JWT_SECRET_PREVIOUS: "" }, { ADMIN_JWT_SECRET_PREVIOUS: " , " }]) {
      const res = await listWith(finished, token);
      expect(res.status, `${JSON.stringify(finished)}: ${res.text}`).toBe(401);
    }
  });

  it("never lets a former secret's token in when ADMIN_JWT_SECRET itself is missing", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const deployment = { ...env, ADMIN_JWT_SECRET: "", ADMIN_JWT_SECRET_PREVIOUS: former };
    const res = await app.request(
      "https://webhooks.test/v1/webhooks",
      { headers: { authorization: `Bearer ${await tokenSignedWith(former)}` } },
      deployment,
      createExecutionContext(),
    );
    expect(res.status).toBe(500);
    vi.restoreAllMocks();
  });
});
