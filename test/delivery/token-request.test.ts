// One token request: built as RFC 6749 §4.4 and §2.3.1 say, its answer read into a token or an
// `auth: …` reason without credentials, and sent under the rules of a delivery (URL policy, DNS
// check, no redirect followed, the timeout).
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import {
  basicCredentials,
  DEFAULT_TOKEN_LIFETIME_S,
  readTokenAnswer,
  requestToken,
  tokenRequestOf,
} from "../../src/delivery/token-request";
import { spyReceiver } from "../queue-helpers";

const auth = (overrides: Record<string, unknown> = {}) => ({
  type: "oauth2_client_credentials" as const,
  token_url: "https://login.crm.example.com/oauth/token",
  client_id: "eventinsight",
  client_secret: "cs_9f2b7c41d8e0",
  scope: null as string | null,
  ...overrides,
});

describe("the token request", () => {
  it("sends the client credentials as HTTP Basic, each form-urlencoded first (RFC 6749 §2.3.1)", () => {
    // The example of RFC 6749 §2.3.1.
    expect(basicCredentials("s6BhdRkqt3", "7Fjfp0ZBr1KtDRbnfVdmIw")).toBe(
      "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3",
    );
    expect(basicCredentials("event insight", "a:b+c/ä")).toBe(
      `Basic ${btoa("event+insight:a%3Ab%2Bc%2F%C3%A4")}`,
    );
  });

  it("posts grant_type=client_credentials as a form, and the scope when there is one", () => {
    const request = tokenRequestOf(auth({ scope: "webhooks.write crm.read" }));
    expect(request).toMatchObject({
      url: "https://login.crm.example.com/oauth/token",
      method: "POST",
      headers: {
        accept: "application/json",
        "content-type": "application/x-www-form-urlencoded",
        authorization: basicCredentials("eventinsight", "cs_9f2b7c41d8e0"),
      },
      body: "grant_type=client_credentials&scope=webhooks.write+crm.read",
    });
    expect(tokenRequestOf(auth()).body).toBe("grant_type=client_credentials");
  });
});

describe("the token endpoint's answer", () => {
  const answer = (json: unknown) => JSON.stringify(json);
  const cases: [string, number, string, ReturnType<typeof readTokenAnswer>][] = [
    [
      "a token with expires_in",
      200,
      answer({ access_token: "tok", token_type: "Bearer", expires_in: 600 }),
      { ok: true, token: "tok", lifetimeS: 600 },
    ],
    [
      "expires_in as a string",
      200,
      answer({ access_token: "tok", token_type: "bearer", expires_in: "600" }),
      { ok: true, token: "tok", lifetimeS: 600 },
    ],
    [
      "no expires_in: an hour",
      200,
      answer({ access_token: "tok" }),
      { ok: true, token: "tok", lifetimeS: DEFAULT_TOKEN_LIFETIME_S },
    ],
    [
      "an unusable expires_in: an hour",
      200,
      answer({ access_token: "tok", expires_in: -5 }),
      { ok: true, token: "tok", lifetimeS: DEFAULT_TOKEN_LIFETIME_S },
    ],
    ["a redirect", 302, "", { ok: false, error: "auth: redirect not followed" }],
    ["a 500", 500, "<html>oops</html>", { ok: false, error: "auth: token endpoint answered 500" }],
    [
      "an OAuth error",
      400,
      answer({ error: "invalid_grant", error_description: "cs_9f2b7c41d8e0 is wrong" }),
      { ok: false, error: "auth: token endpoint answered 400 (invalid_grant)" },
    ],
    [
      "an error code that is not OAuth's",
      400,
      answer({ error: "cs_9f2b7c41d8e0" }),
      { ok: false, error: "auth: token endpoint answered 400" },
    ],
    ["no JSON", 200, "tok", { ok: false, error: "auth: no access_token in the answer" }],
    [
      "no access_token",
      200,
      answer({ token: "tok" }),
      { ok: false, error: "auth: no access_token in the answer" },
    ],
    [
      "a token that cannot be a header",
      200,
      answer({ access_token: "tok en\n" }),
      { ok: false, error: "auth: the access_token is not usable in a header" },
    ],
    [
      "another token type",
      200,
      answer({ access_token: "tok", token_type: "mac" }),
      { ok: false, error: "auth: the token_type is not Bearer" },
    ],
  ];
  it.each(cases)("%s", (_, status, body, outcome) => {
    expect(readTokenAnswer(status, body)).toEqual(outcome);
  });
});

describe("requesting a token", () => {
  it("refuses a token URL the URL policy refuses, sending nothing", async () => {
    const { received } = spyReceiver();
    const outcome = await requestToken(env, auth({ token_url: "https://10.1.2.3/token" }));
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/^auth: destination_blocked: /) });
    expect(received).toEqual([]);
  });

  it("refuses a token URL whose host resolves to a private address now, sending nothing", async () => {
    // (DNS verdicts are kept a minute per isolate: this host is this test's own.)
    const { received } = spyReceiver(undefined, (name, type) =>
      name === "inside.crm.example.com" && type === "A" ? ["10.0.0.7"] : [],
    );
    const outcome = await requestToken(env, auth({ token_url: "https://inside.crm.example.com/token" }));
    expect(outcome).toEqual({
      ok: false,
      error: "auth: destination_blocked: inside.crm.example.com resolves to 10.0.0.7, not a public address",
    });
    expect(received).toEqual([]);
  });

  it("does not follow a redirect", async () => {
    const { spy } = spyReceiver(
      () => new Response(null, { status: 307, headers: { location: "https://x.example.com/" } }),
    );
    expect(await requestToken(env, auth())).toEqual({ ok: false, error: "auth: redirect not followed" });
    const init = spy.mock.calls.at(-1)?.[1];
    expect(init?.redirect).toBe("manual");
  });

  it("gives up at the delivery timeout", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = new Request(input).url;
      if (url.startsWith(env.DOH_URL))
        return Response.json({ Status: 0, Answer: [{ type: 1, TTL: 60, data: "93.184.215.14" }] });
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      );
    });
    expect(await requestToken(env, auth())).toEqual({ ok: false, error: "auth: timeout" });
  });

  it("answers the token", async () => {
    const { received } = spyReceiver(() => Response.json({ access_token: "tok_1", expires_in: 120 }));
    expect(await requestToken(env, auth({ scope: "a b" }))).toEqual({
      ok: true,
      token: "tok_1",
      lifetimeS: 120,
    });
    expect(received).toEqual([
      expect.objectContaining({
        url: "https://login.crm.example.com/oauth/token",
        body: "grant_type=client_credentials&scope=a+b",
      }),
    ]);
  });
});
