// The webhook object's token keeper (pure: the request and the clock are passed in): one request
// at a time for any number of callers, reuse until a minute before expires_in, "pending" for
// callers that may not wait, a failure answered to those that waited, a 401 dropping the token.
import { describe, expect, it, vi } from "vitest";
import type { TokenOutcome } from "../../src/delivery/token-request";
import { FAILURE_KEPT_MS, type TokenSource, Tokens } from "../../src/delivery/tokens";

const source = (overrides: Partial<TokenSource["auth"]> = {}, sealed = "sealed-1"): TokenSource => ({
  auth: {
    type: "oauth2_client_credentials",
    token_url: "https://login.example.com/token",
    client_id: "eventinsight",
    scope: null,
    ...overrides,
  },
  sealed,
});

/** A token keeper whose requests the test answers by hand, on a clock the test moves. */
function keeper() {
  let now = 1_000_000;
  const requests: { source: TokenSource; answer: (outcome: TokenOutcome) => void }[] = [];
  const ended = vi.fn();
  const request = (asked: TokenSource) =>
    new Promise<TokenOutcome>((answer) => {
      requests.push({ source: asked, answer });
    });
  const tokens = new Tokens(request, ended, 5000, () => now);
  return {
    tokens,
    requests,
    ended,
    later: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

const ok = (token: string, lifetimeS = 3600): TokenOutcome => ({ ok: true, token, lifetimeS });

describe("the token keeper", () => {
  it("makes one request for callers that need a token at once, and reuses the token", async () => {
    const { tokens, requests, ended } = keeper();
    const waiting = [tokens.obtain(source()), tokens.obtain(source()), tokens.within(source(), 50)];
    await Promise.resolve();
    expect(requests).toHaveLength(1);
    requests[0]?.answer(ok("tok_a"));
    expect(await Promise.all(waiting)).toEqual([{ token: "tok_a" }, { token: "tok_a" }, { token: "tok_a" }]);
    expect(await tokens.obtain(source())).toEqual({ token: "tok_a" });
    expect(tokens.fresh(source())).toEqual({ token: "tok_a" });
    expect(requests).toHaveLength(1);
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it("reuses a token until 60 s before its lifetime runs out, counted from the request's start", async () => {
    const { tokens, requests, later } = keeper();
    const first = tokens.obtain(source());
    later(2000); // the token endpoint took 2 s
    requests[0]?.answer(ok("tok_a", 600));
    await first;
    later(540_000 - 2001);
    expect(tokens.fresh(source())).toEqual({ token: "tok_a" });
    later(1);
    expect(tokens.fresh(source())).toBeNull();
    const second = tokens.obtain(source());
    await Promise.resolve();
    expect(requests).toHaveLength(2);
    requests[1]?.answer(ok("tok_b"));
    expect(await second).toEqual({ token: "tok_b" });
  });

  it("answers the token to the callers that waited for it, even one too short-lived to keep", async () => {
    const { tokens, requests } = keeper();
    const waiting = tokens.obtain(source());
    requests[0]?.answer(ok("tok_short", 30));
    expect(await waiting).toEqual({ token: "tok_short" });
    expect(tokens.fresh(source())).toBeNull();
  });

  it("answers pending to a caller that may wait only so long, and says when the request has ended", async () => {
    const { tokens, requests, ended } = keeper();
    expect(await tokens.within(source(), 5)).toBe("pending");
    expect(tokens.pendingUntil).not.toBeNull();
    expect(ended).not.toHaveBeenCalled();
    requests[0]?.answer(ok("tok_a"));
    await vi.waitUntil(() => ended.mock.calls.length === 1);
    expect(tokens.pendingUntil).toBeNull();
    expect(await tokens.within(source(), 5)).toEqual({ token: "tok_a" });
    expect(requests).toHaveLength(1);
  });

  it("answers a failure to the callers that waited, keeps it a while for the deliveries due by then, and asks again after", async () => {
    const { tokens, requests, later, now } = keeper();
    const waiting = tokens.obtain(source());
    requests[0]?.answer({ ok: false, error: "auth: token endpoint answered 500" });
    expect(await waiting).toEqual({ error: "auth: token endpoint answered 500" });
    expect(tokens.failure(source())).toEqual({ error: "auth: token endpoint answered 500", at: now() });
    expect(tokens.failure(source({ scope: "other" }))).toBeNull();
    later(FAILURE_KEPT_MS);
    expect(tokens.failure(source())).toBeNull();
    const again = tokens.obtain(source());
    await Promise.resolve();
    expect(requests).toHaveLength(2);
    requests[1]?.answer(ok("tok_b"));
    expect(await again).toEqual({ token: "tok_b" });
  });

  it("never gives a token to other credentials, and ignores a request made with credentials changed since", async () => {
    const { tokens, requests } = keeper();
    const old = tokens.obtain(source());
    const changed = tokens.obtain(source({}, "sealed-2"));
    await Promise.resolve();
    expect(requests.map((r) => r.source.sealed)).toEqual(["sealed-1", "sealed-2"]);
    requests[0]?.answer(ok("tok_old"));
    expect(await old).toEqual({ token: "tok_old" });
    expect(tokens.fresh(source())).toBeNull();
    requests[1]?.answer(ok("tok_new"));
    expect(await changed).toEqual({ token: "tok_new" });
    expect(tokens.fresh(source({ client_id: "someone-else" }, "sealed-2"))).toBeNull();
    expect(tokens.fresh(source({}, "sealed-2"))).toEqual({ token: "tok_new" });
  });

  it("drops the token after a 401 to an attempt that started once it had arrived, not to an older attempt", async () => {
    const { tokens, requests, later, now } = keeper();
    const waiting = tokens.obtain(source());
    later(100);
    requests[0]?.answer(ok("tok_a"));
    await waiting;
    tokens.discard(now() - 1); // an attempt with the token before this one
    expect(tokens.fresh(source())).toEqual({ token: "tok_a" });
    later(10);
    tokens.discard(now());
    expect(tokens.fresh(source())).toBeNull();
  });

  it("tells deliveries what they go with: new ones wait for a request, waiting ones due by a failed request's end take its failure", async () => {
    const { tokens, requests, now, later } = keeper();
    const dueBy = (time: number) => (by: number) => time <= by;
    // Nothing waits that is due: no request.
    expect(await tokens.sending(source(), 5, () => false)).toEqual({ dueBy: now() });
    expect(requests).toHaveLength(0);
    // New deliveries: a request that does not end in time keeps them for later.
    expect(await tokens.sending(source(), 5)).toEqual({ auth: "pending" });
    const dueDuringRequest = now();
    later(2000);
    requests[0]?.answer({ ok: false, error: "auth: timeout" });
    await vi.waitUntil(() => tokens.pendingUntil === null);
    // Those that waited for it take its failure, and only they go.
    const failedAt = now();
    expect(await tokens.sending(source(), 5, dueBy(dueDuringRequest))).toEqual({
      auth: { error: "auth: timeout" },
      dueBy: failedAt,
    });
    // A retry due after it asks again.
    later(1000);
    const retry = tokens.sending(source(), 50, dueBy(now()));
    await Promise.resolve();
    requests[1]?.answer(ok("tok_a"));
    expect(await retry).toEqual({ auth: { token: "tok_a" } });
    expect(await tokens.sending(source(), 5, dueBy(failedAt))).toEqual({ auth: { token: "tok_a" } });
  });

  it("fails without a credential in the error when the request itself throws", async () => {
    const tokens = new Tokens(
      () => Promise.reject(new Error("secret cs_123 in a message")),
      () => {},
      5000,
    );
    expect(await tokens.obtain(source())).toEqual({ error: "auth: the token request failed" });
  });
});
