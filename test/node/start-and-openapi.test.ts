import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StartedService, startService } from "./started-service";

describe("npm start", () => {
  let service: StartedService;
  beforeAll(async () => {
    service = await startService();
  }, 120_000);
  afterAll(() => service?.stop());

  it("serves /healthz", async () => {
    const res = await fetch(`${service.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  it("prints an admin link whose dev token the admin API accepts", async () => {
    const token = /\/admin#token=([\w.-]+)/.exec(service.output())?.[1];
    expect(token, service.output()).toBeDefined();
    const res = await fetch(`${service.base}/v1/webhooks`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ data: [], next_cursor: null });
  });

  it("serves an OpenAPI 3.1 document that validates", async () => {
    const res = await fetch(`${service.base}/v1/openapi.json`);
    expect(res.status).toBe(200);
    const document = await res.json();
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
