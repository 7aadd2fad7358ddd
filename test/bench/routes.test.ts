import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { adminToken, call, uniqueId } from "../helpers";

const benchEnv = { ...env, BENCH_MODE: "true" };

/** A request to the Worker as `npm run bench` runs it (BENCH_MODE=true). */
async function benchCall(method: string, path: string, json?: unknown) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://webhooks.test${path}`, {
      method,
      headers: json === undefined ? {} : { "content-type": "application/json" },
      body: json === undefined ? undefined : JSON.stringify(json),
    }),
    benchEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : null };
}

describe("/__bench", () => {
  it("does not exist unless BENCH_MODE is true", async () => {
    expect(env.BENCH_MODE).not.toBe("true");
    for (const [method, path] of [
      ["GET", "/__bench/counters"],
      ["POST", "/__bench/counters/reset"],
      ["POST", "/__bench/noop"],
      ["POST", "/__bench/baseline"],
      ["POST", "/__bench/webhooks"],
      ["GET", "/__bench/explain"],
    ] as const) {
      const res = await call(method, path, method === "POST" ? { json: {} } : {});
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
    }
  });

  it("answers the runtime's ceiling: 202 and nothing else", async () => {
    const res = await benchCall("POST", "/__bench/noop", { anything: 1 });
    expect(res.status, res.text).toBe(202);
    expect(res.text).toBe("");
  });

  it("counts the Worker requests made since the last reset, but not its own routes", async () => {
    expect((await benchCall("POST", "/__bench/counters/reset")).status).toBe(204);
    await benchCall("GET", "/healthz");
    await benchCall("GET", "/healthz");
    const counters = await benchCall("GET", "/__bench/counters");
    expect(counters.status, counters.text).toBe(200);
    expect(counters.body.fetch).toMatchObject({ invocations: 2, inFlight: 0 });
  });

  it("seeds webhooks in bulk that the admin API and fan-out see", async () => {
    const account = uniqueId("acct");
    const seeded = await benchCall("POST", "/__bench/webhooks", {
      account_id: account,
      count: 3,
      url: "https://hooks.example.com/in",
      triggers: ["user.update"],
      event_ids: ["ev_1"],
    });
    expect(seeded.status, seeded.text).toBe(201);
    expect(seeded.body.ids).toHaveLength(3);
    const token = await adminToken({ account_id: account });
    const list = await call("GET", "/v1/webhooks?limit=10", { token });
    expect(list.status, list.text).toBe(200);
    expect(list.body.data).toHaveLength(3);
    expect(list.body.data[0]).toMatchObject({
      triggers: ["user.update"],
      event_ids: ["ev_1"],
      is_active: true,
    });
    const { results } = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM webhook_subscriptions WHERE account_id = ?",
    )
      .bind(account)
      .all<{ n: number }>();
    expect(results[0]?.n).toBe(3);
  });

  it("shows that fan-out finds webhooks by the subscriptions' primary key", async () => {
    const res = await benchCall("GET", "/__bench/explain?account_id=acme&trigger=user.update&event_id=ev_1");
    expect(res.status, res.text).toBe(200);
    const plan = (res.body.plan as { detail: string }[]).map((step) => step.detail).join("\n");
    expect(plan).toMatch(/SEARCH s USING PRIMARY KEY \(account_id=\? AND trigger=\? AND event_id=\?\)/);
    expect(plan).not.toMatch(/SCAN (s|w)\b/);
  });
});
