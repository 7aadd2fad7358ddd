import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { REQUIRED_SECRETS } from "../../src/http/health";
import { adminToken, expectProblem, uniqueId, webhookInput } from "../helpers";

const app = createApp();

/** Every configured secret value, each of a comma-separated list on its own too. */
const secretValues = REQUIRED_SECRETS.flatMap((name) => [env[name], ...env[name].split(",")]);

/** A request to a deployment whose env lacks `name` (unset, or set to `value`). */
async function callWithout(name: string, value: string | undefined, path: string, init: RequestInit = {}) {
  const deployment = { ...env, [name]: value };
  const res = await app.request(`https://webhooks.test${path}`, init, deployment, createExecutionContext());
  const text = await res.text();
  return { res, text, body: JSON.parse(text) };
}

describe("GET /healthz", () => {
  it("answers 200 ok with the version when every required secret is set", async () => {
    const res = await app.request("https://webhooks.test/healthz", {}, env, createExecutionContext());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", version: expect.any(String) });
  });

  for (const name of REQUIRED_SECRETS) {
    for (const [how, value] of [
      ["unset", undefined],
      ["empty", ""],
    ] as const) {
      it(`answers 503 misconfigured naming ${name} when it is ${how}, and shows no secret value`, async () => {
        const { res, text, body } = await callWithout(name, value, "/healthz");
        expect(res.status, text).toBe(503);
        expect(body).toEqual({ status: "misconfigured", missing: [name] });
        for (const secret of secretValues) expect(text).not.toContain(secret);
      });
    }
  }

  it("names every missing secret at once", async () => {
    const deployment = { ...env, ADMIN_JWT_SECRET: "  ", SECRET_ENCRYPTION_KEY: undefined };
    const res = await app.request("https://webhooks.test/healthz", {}, deployment, createExecutionContext());
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: "misconfigured",
      missing: ["ADMIN_JWT_SECRET", "SECRET_ENCRYPTION_KEY"],
    });
  });
});

describe("a deployment missing a secret the admin API needs", () => {
  for (const name of ["SECRET_ENCRYPTION_KEY", "ADMIN_JWT_SECRET"]) {
    it(`refuses a create with a 500 problem that stores nothing when ${name} is missing`, async () => {
      const account = uniqueId("acct");
      const token = await adminToken({ account_id: account });
      const init = {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(webhookInput()),
      };
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        const { res, text, body } = await callWithout(name, undefined, "/v1/webhooks", init);
        expectProblem({ status: res.status, headers: res.headers, body, text }, 500);
        const logged = errors.mock.calls.flat().join("\n");
        for (const secret of secretValues) expect(text + logged).not.toContain(secret);
      } finally {
        errors.mockRestore();
      }

      const list = await app.request(
        "https://webhooks.test/v1/webhooks",
        { headers: { authorization: `Bearer ${token}` } },
        env,
        createExecutionContext(),
      );
      expect(await list.json()).toEqual({ data: [], next_cursor: null });
    });
  }
});

describe("a deployment without INGEST_TOKEN", () => {
  it("refuses every ingest with 401, also with a token another deployment accepts", async () => {
    const { res, text, body } = await callWithout("INGEST_TOKEN", undefined, "/v1/changes", {
      method: "POST",
      headers: {
        authorization: `Bearer ${env.INGEST_TOKEN.split(",")[0]}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ account_id: "acme", entity_type: "user", entity_id: 1, action_type: "delete" }),
    });
    expectProblem({ status: res.status, headers: res.headers, body, text }, 401);
  });
});
