// Every API answer, problems included, tells browsers not to guess its content type.
import { describe, expect, it } from "vitest";
import { call, createWebhook, newCaller } from "../helpers";

describe("x-content-type-options: nosniff", () => {
  it("is on every answer, /healthz and errors included", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const answers = [
      await call("GET", "/v1/webhooks", { token: caller.token }),
      await call("GET", `/v1/webhooks/${webhook.id}`, { token: caller.token }),
      await call("GET", `/v1/webhooks/${webhook.id}/logs`, { token: caller.token }),
      await call("GET", "/v1/openapi.json"),
      await call("GET", "/v1/webhooks"),
      await call("GET", "/v1/webhooks/wh_nope", { token: caller.token }),
      await call("POST", "/v1/webhooks", { token: caller.token, json: { name: "" } }),
      await call("POST", "/v1/changes", { token: "wrong", json: {} }),
      await call("GET", "/v1/nothing-here"),
      await call("DELETE", `/v1/webhooks/${webhook.id}`, { token: caller.token }),
      await call("GET", "/healthz"),
      await call("POST", "/healthz"),
      await call("GET", "/nothing-here"),
    ];
    expect(answers.map((a) => a.status)).toEqual([
      200, 200, 200, 200, 401, 404, 400, 401, 404, 204, 200, 404, 404,
    ]);
    for (const res of answers) expect(res.headers.get("x-content-type-options"), res.text).toBe("nosniff");
  });
});
