import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { checkDestination, judgeAddresses, readDohAnswer } from "../../src/webhooks/destination";
import { call, createWebhook, newCaller } from "../helpers";
import {
  changeMessage,
  dueAtOf,
  fakeDate,
  later,
  pendingOf,
  QUEUES,
  type Resolve,
  runAlarm,
  runBatch,
  spyReceiver,
  wake,
} from "../queue-helpers";

const A = (data: string, TTL = 300) => ({ name: "h", type: 1, TTL, data });
const CNAME = { name: "h", type: 5, TTL: 300, data: "elsewhere.example.net." };

describe("reading a DNS-over-HTTPS answer", () => {
  it.each([
    [
      "the A records, CNAMEs skipped, shortest TTL",
      { Status: 0, Answer: [CNAME, A("1.1.1.1", 30), A("8.8.8.8")] },
      { ok: true, addresses: ["1.1.1.1", "8.8.8.8"], ttlS: 30 },
    ],
    ["a TTL over a minute as a minute", { Status: 0, Answer: [A("1.1.1.1", 86400)] }, { ok: true, ttlS: 60 }],
    ["no record (NODATA) as no address", { Status: 0 }, { ok: true, addresses: [] }],
    ["NXDOMAIN as no address", { Status: 3 }, { ok: true, addresses: [] }],
    ["SERVFAIL as unusable", { Status: 2 }, { ok: false, reason: "DNS status 2" }],
    ["something else as unusable", "<html>", { ok: false }],
  ])("reads %s", (_, json, expected) => {
    expect(readDohAnswer(json, "A")).toMatchObject(expected);
  });
});

describe("judging a host's addresses", () => {
  it.each([
    [["93.184.215.14", "2606:4700:4700::1111"], { ok: true }],
    [
      ["93.184.215.14", "10.0.0.8"],
      {
        ok: false,
        error: "destination_blocked: hooks.example.com resolves to 10.0.0.8, not a public address",
        blocked: "hooks.example.com resolves to 10.0.0.8, not a public address",
      },
    ],
    [
      ["::ffff:169.254.169.254"],
      { ok: false, error: expect.stringMatching(/^destination_blocked/), blocked: expect.any(String) },
    ],
    [
      ["fd00:ec2::254"],
      { ok: false, error: expect.stringMatching(/^destination_blocked/), blocked: expect.any(String) },
    ],
    [
      ["not an address"],
      { ok: false, error: expect.stringMatching(/^destination_blocked/), blocked: expect.any(String) },
    ],
    [[], { ok: false, error: expect.stringMatching(/^destination_unresolved: .* no A or AAAA record/) }],
  ])("%j: %j", (addresses, expected) => {
    expect(judgeAddresses("hooks.example.com", addresses)).toEqual(expected);
  });
});

const uniqueHost = () => `h${crypto.randomUUID().slice(0, 8)}.example.com`;
const check = (host: string, nowMs = Date.now()) =>
  checkDestination(host, { dohUrl: env.DOH_URL, timeoutMs: 500, nowMs });

describe("checking a destination before the send", () => {
  it("asks for A and AAAA records and refuses a host with any non-public address", async () => {
    const { spy } = spyReceiver(undefined, (_, type) => (type === "A" ? ["93.184.215.14"] : ["::1"]));
    const host = uniqueHost();
    expect(await check(host)).toEqual({
      ok: false,
      error: expect.stringContaining("::1"),
      blocked: expect.stringContaining("::1"),
    });
    const asked = spy.mock.calls.map(([input]) => new URL(String(input)));
    expect(asked.map((url) => url.searchParams.get("type")).sort()).toEqual(["A", "AAAA"]);
    expect(asked.every((url) => url.searchParams.get("name") === host)).toBe(true);
  });

  it("keeps a verdict for the answer's TTL but never longer than a minute", async () => {
    const { spy } = spyReceiver(undefined, () =>
      Response.json({ Status: 0, Answer: [A("93.184.215.14", 86400)] }),
    );
    const host = uniqueHost();
    const now = Date.now();
    await check(host, now);
    await check(host, now + 59_000);
    expect(spy).toHaveBeenCalledTimes(2);
    await check(host, now + 61_000);
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it("needs no lookup for an IP literal: the URL policy judged it", async () => {
    const { spy } = spyReceiver();
    expect(await check("93.184.215.14")).toEqual({ ok: true });
    expect(await check("[2606:4700:4700::1111]")).toEqual({ ok: true });
    expect(spy).not.toHaveBeenCalled();
  });

  const unreachable: [string, Resolve][] = [
    ["the resolver answers 503", () => new Response("busy", { status: 503 })],
    [
      "the resolver answers SERVFAIL for AAAA",
      (_, type) => (type === "A" ? ["93.184.215.14"] : Response.json({ Status: 2 })),
    ],
    ["the resolver answers garbage", () => new Response("<html>", { status: 200 })],
    ["the host has no address", () => []],
  ];
  it.each(unreachable)("calls the host unresolved when %s, sending nothing", async (_, resolve) => {
    const { spy } = spyReceiver(undefined, resolve);
    const host = uniqueHost();
    expect(await check(host)).toEqual({
      ok: false,
      error: expect.stringMatching(/^destination_unresolved: /),
    });
    if (spy.mock.calls.length === 0) throw new Error("no lookup made");
  });

  it("calls the host unresolved when the resolver cannot be reached", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("Network connection lost."));
    expect(await check(uniqueHost())).toEqual({
      ok: false,
      error: expect.stringMatching(/^destination_unresolved: .*DNS lookup failed/),
    });
  });
});

const push = (account: string, testEnv: Env = env) =>
  runBatch(QUEUES.changes, [changeMessage({ account_id: account })], testEnv);

describe("a delivery to a host that resolves to a private address", () => {
  const privateDns: Resolve = (_, type) => (type === "A" ? ["10.0.0.8"] : []);

  it("is not sent, is logged as destination_blocked, and is retried on the normal schedule", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller, { url: `https://${uniqueHost()}/in` });
    const { received } = spyReceiver(undefined, privateDns);
    const { acked } = await push(caller.account);
    expect(acked).toEqual([true]);
    expect(received).toEqual([]);
    const [entry] = (await call("GET", `/v1/webhooks/${webhook.id}/logs`, { token: caller.token })).body.data;
    expect(entry).toMatchObject({
      success: false,
      response: null,
      error: expect.stringMatching(/^destination_blocked: .*10\.0\.0\.8/),
    });
    const [retry] = await pendingOf(webhook.id);
    expect(retry).toMatchObject({ state: "retry", attempt: 2, last_status: null });
    expect(dueAtOf(retry)).toBeLessThanOrEqual(Date.now() + 1200); // RETRY_DELAYS_S=1,1,1: W ≤ 1.2 s
  });

  it("is recorded as failed once the schedule is spent, not retried forever", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller, { url: `https://${uniqueHost()}/in` });
    spyReceiver(undefined, privateDns);
    fakeDate();
    try {
      await push(caller.account);
      for (let i = 0; i < 3; i++) {
        later(1500); // RETRY_DELAYS_S=1,1,1: four attempts
        await wake(webhook.id);
      }
    } finally {
      vi.useRealTimers();
    }
    expect(await pendingOf(webhook.id)).toEqual([]);
    await runAlarm(webhook.id);
    const failed = await call("GET", `/v1/webhooks/${webhook.id}/failed`, { token: caller.token });
    expect(failed.body.data).toEqual([
      expect.objectContaining({
        reason: "exhausted",
        attempts: 4,
        last_error: expect.stringMatching(/^destination_blocked/),
      }),
    ]);
  });

  it("is refused for the test button too", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller, { url: `https://${uniqueHost()}/in` });
    const { received } = spyReceiver(undefined, privateDns);
    const res = await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ success: false, error: expect.stringMatching(/^destination_blocked/) });
    expect(received).toEqual([]);
  });

  it("is sent when ALLOW_PRIVATE_URLS=true (local development), without a lookup", async () => {
    const caller = await newCaller();
    await createWebhook(caller, { url: `https://${uniqueHost()}/in` });
    const { received, spy } = spyReceiver(undefined, privateDns);
    await push(caller.account, { ...env, ALLOW_PRIVATE_URLS: "true" });
    expect(received).toHaveLength(1);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
