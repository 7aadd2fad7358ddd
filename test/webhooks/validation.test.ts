// A refused webhook body as API clients and the admin page read it: every bad field in one
// answer, the URL policy's verdict among them, each with a stable code and the numbers of its limit.
import { describe, expect, it } from "vitest";
import { call, expectProblem, newCaller, webhookInput } from "../helpers";

const listIds = async (caller: { token: string }) =>
  ((await call("GET", "/v1/webhooks?limit=100", { token: caller.token })).body.data as { id: string }[]).map(
    (webhook) => webhook.id,
  );

describe("POST /v1/webhooks with several bad fields", () => {
  it("gives each limit's number with its code, for a translation to use", async () => {
    const caller = await newCaller();
    const json = webhookInput({ name: "x".repeat(101), triggers: [], url: "http://hooks.example.com" });
    const res = await call("POST", "/v1/webhooks", { token: caller.token, json });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: "name", code: "too_big", params: { maximum: 100, origin: "string" } }),
      expect.objectContaining({
        path: "triggers",
        code: "too_small",
        params: { minimum: 1, origin: "array" },
      }),
      expect.objectContaining({ path: "url", code: "url_scheme", params: { allowed: ["https"] } }),
    ]);
  });

  it("reports a URL the policy refuses in the same answer as the other bad fields", async () => {
    const caller = await newCaller();
    const json = { name: "", url: "https://10.0.0.1/hook", is_active: "yes", colour: "red" };
    const res = await call("POST", "/v1/webhooks", { token: caller.token, json });
    expectProblem(res, 400);
    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(
      ["colour", "is_active", "name", "url"].sort(),
    );
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path: "url", code: "private_host" }));
    expect(await listIds(caller)).toEqual([]);
  });
});
