// A refused webhook body as API clients and the admin page read it: every bad field in one
// answer, the URL policy's verdict among them, each with a stable code and the numbers of its limit.
import { describe, expect, it, vi } from "vitest";
import { call, expectProblem, newCaller, webhookInput } from "../helpers";
import { dnsAnswer, PUBLIC_ADDRESSES } from "../queue-helpers";

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

  it.each([
    ["a next line (U+0085)", "CRM\u0085sync"],
    ["a line separator (U+2028)", "CRM\u2028sync"],
    ["a paragraph separator (U+2029)", "CRM\u2029sync"],
    ["a C1 control (U+009B)", "CRM\u009b31msync"],
    ["a tab", "CRM\tsync"],
    ["a lone surrogate", "CRM \ud83d sync"],
  ])("refuses a name with %s, as a line break, saving nothing", async (_, name) => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", { token: caller.token, json: webhookInput({ name }) });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "name", code: "control_characters" })]);
    expect(await listIds(caller)).toEqual([]);
  });

  it("keeps a name in any script, emoji included", async () => {
    const caller = await newCaller();
    const name = "Köln CRM 😀 — 東京";
    const res = await call("POST", "/v1/webhooks", { token: caller.token, json: webhookInput({ name }) });
    expect(res.status, res.text).toBe(201);
    expect(res.body.name).toBe(name);
  });

  it("refuses a URL with port 0, which nothing can be reached on", async () => {
    const caller = await newCaller();
    const json = webhookInput({ url: "https://hooks.example.com:0/hook" });
    const res = await call("POST", "/v1/webhooks", { token: caller.token, json });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "url", code: "url_port" })]);
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

describe("a webhook URL whose host resolves", () => {
  /** A DNS-over-HTTPS resolver that knows these names; any other request fails. */
  function resolver(names: Record<string, { A: string[]; AAAA: string[] }>) {
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      const answer = dnsAnswer(request, (name, type) =>
        name in names ? (names[name]?.[type] ?? []) : new Response("down", { status: 503 }),
      );
      if (answer) return answer;
      throw new Error(`unexpected request to ${request.url}`);
    });
  }

  it("to a non-public address is refused on save, on create and on change, and nothing is saved", async () => {
    resolver({
      "intranet.example.com": { A: ["10.0.0.5"], AAAA: [] },
      "dual.example.com": { A: [PUBLIC_ADDRESSES.A], AAAA: ["fd00::1"] },
      "crm.example.com": { A: [PUBLIC_ADDRESSES.A], AAAA: [PUBLIC_ADDRESSES.AAAA] },
    });
    const caller = await newCaller();
    for (const host of ["intranet.example.com", "dual.example.com"]) {
      const res = await call("POST", "/v1/webhooks", {
        token: caller.token,
        json: webhookInput({ url: `https://${host}/hook` }),
      });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          path: "url",
          code: "private_host",
          message: expect.stringContaining(host),
        }),
      ]);
    }
    expect(await listIds(caller)).toEqual([]);

    const created = await call("POST", "/v1/webhooks", {
      token: caller.token,
      json: webhookInput({ url: "https://crm.example.com/hook" }),
    });
    expect(created.status, created.text).toBe(201);
    const patched = await call("PATCH", `/v1/webhooks/${created.body.id}`, {
      token: caller.token,
      json: { url: "https://intranet.example.com/hook", name: "moved" },
    });
    expectProblem(patched, 400);
    const kept = await call("GET", `/v1/webhooks/${created.body.id}`, { token: caller.token });
    expect(kept.body).toMatchObject({ url: "https://crm.example.com/hook", name: created.body.name });
  });

  it("that does not resolve now (not set up yet, DNS unreachable) is saved: it is looked up again before each send", async () => {
    resolver({ "new.example.com": { A: [], AAAA: [] } });
    const caller = await newCaller();
    for (const host of ["new.example.com", "dns-is-down.example.com"]) {
      const res = await call("POST", "/v1/webhooks", {
        token: caller.token,
        json: webhookInput({ url: `https://${host}/hook` }),
      });
      expect(res.status, res.text).toBe(201);
    }
  });
});
