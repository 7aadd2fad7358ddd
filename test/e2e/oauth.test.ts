// OAuth2 client credentials end to end: a real token endpoint and real receivers on 127.0.0.1
// (paths of the test receiver), through the real local queues. The webhook's object fetches the
// token once and hands it to every invocation; a 401 discards it; a token endpoint that hangs,
// fails or redirects fails the attempt (`auth: …`), which is retried, and holds up no other webhook.
import { describe, expect, it } from "vitest";
import { type Caller, call, createWebhook, INGEST_TOKEN, newCaller } from "../helpers";
import { waitFor } from "../wait";
import { type ReceivedRequest, receiverEndpoint, type ScriptedAnswer } from "./receiver-client";

const CLIENT_ID = "event insight/1";
const CLIENT_SECRET = `s3cr:t+/ä%${crypto.randomUUID()}`;

let n = 0;
const push = (caller: Caller, entity_id = n) =>
  call("POST", "/v1/changes", {
    token: INGEST_TOKEN,
    json: {
      account_id: caller.account,
      entity_type: "user",
      entity_id,
      action_type: "update",
      result: { n: n++ },
    },
  });
const logsOf = async (caller: Caller, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/logs`, { token: caller.token })).body.data as any[];
const bearerOf = (request: ReceivedRequest | undefined) => request?.headers.authorization;

/** A token endpoint's answer with this token. */
const token = (access_token: string, extra: Record<string, unknown> = {}): ScriptedAnswer => ({
  status: 200,
  headers: { "content-type": "application/json", "cache-control": "no-store" },
  body: JSON.stringify({ access_token, token_type: "Bearer", expires_in: 3600, ...extra }),
});
const newToken = () => `tok_${crypto.randomUUID()}`;

/** An account with a receiver and a token endpoint, and a webhook that authenticates there. */
async function oauthWebhook(...tokenAnswers: ScriptedAnswer[]) {
  const caller = await newCaller();
  const receiver = receiverEndpoint("crm");
  const tokens = receiverEndpoint("token");
  await tokens.script(...tokenAnswers);
  const auth = {
    type: "oauth2_client_credentials",
    token_url: tokens.url,
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    scope: "webhooks.write crm.read",
  };
  const webhook = await createWebhook(caller, { url: receiver.url, auth });
  return { caller, receiver, tokens, webhook };
}

const arrived = async (endpoint: ReturnType<typeof receiverEndpoint>, count: number) =>
  waitFor(async () => {
    const got = await endpoint.requests();
    return got.length >= count && got;
  });

describe("a webhook with OAuth2 client credentials", () => {
  it("gets one token (HTTP Basic, grant_type and scope as a form) for deliveries of many invocations, the test button and a redelivery", async () => {
    const tokenA = newToken();
    // Slow enough that the first deliveries and the test button all need the token at once.
    const { caller, receiver, tokens, webhook } = await oauthWebhook({ ...token(tokenA), delay_ms: 300 });
    const [test] = await Promise.all([
      call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token }),
      push(caller),
      push(caller),
      push(caller),
    ]);
    expect(test.status, test.text).toBe(200);
    expect(test.body).toMatchObject({ success: true, request: { headers: { authorization: "••••" } } });
    await arrived(receiver, 4);
    // More invocations, one after another, each with the token the webhook's object keeps.
    for (let i = 5; i <= 7; i++) {
      await push(caller);
      await arrived(receiver, i);
    }
    const logs = await logsOf(caller, webhook.id);
    const redelivered = await call("POST", `/v1/webhooks/${webhook.id}/logs/${logs[0].id}/redeliver`, {
      token: caller.token,
    });
    expect(redelivered.status, redelivered.text).toBe(200);

    const received = await receiver.requests();
    expect(received).toHaveLength(8);
    expect(received.map(bearerOf)).toEqual(Array(8).fill(`Bearer ${tokenA}`));
    const [tokenRequest, ...more] = await tokens.requests();
    expect(more).toEqual([]);
    expect(tokenRequest?.method).toBe("POST");
    expect(tokenRequest?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    // RFC 6749 §2.3.1: id and secret form-urlencoded (space as +), then base64 of "id:secret".
    const encodedSecret = new URLSearchParams({ s: CLIENT_SECRET }).toString().slice(2);
    expect(encodedSecret).toMatch(/^s3cr%3At%2B%2F%C3%A4%25/);
    expect(tokenRequest?.headers.authorization).toBe(`Basic ${btoa(`event+insight%2F1:${encodedSecret}`)}`);
    expect(Object.fromEntries(new URLSearchParams(tokenRequest?.body))).toEqual({
      grant_type: "client_credentials",
      scope: "webhooks.write crm.read",
    });

    const answers = [test.text, redelivered.text, JSON.stringify(await logsOf(caller, webhook.id))].join(
      "\n",
    );
    expect(answers).toContain('"authorization":"••••"');
    expect(answers).not.toContain(tokenA);
    expect(answers).not.toContain(CLIENT_SECRET);
    expect(answers).not.toContain(encodedSecret);
  });

  it("gets a new token once the old one's expires_in (less a minute) has run out", async () => {
    const [tokenA, tokenB] = [newToken(), newToken()];
    // Reusable for 2 s: the minute before expires_in is never used.
    const { caller, receiver, tokens } = await oauthWebhook(token(tokenA, { expires_in: 62 }), token(tokenB));
    const received = await waitFor(async () => {
      const before = (await receiver.requests()).length;
      await push(caller);
      const got = await arrived(receiver, before + 1);
      return bearerOf(got.at(-1)) === `Bearer ${tokenB}` && got;
    });
    const bearers = received.map(bearerOf);
    const firstB = bearers.indexOf(`Bearer ${tokenB}`);
    expect(firstB).toBeGreaterThan(0);
    expect(bearers.slice(0, firstB)).toEqual(Array(firstB).fill(`Bearer ${tokenA}`));
    expect(await tokens.requests()).toHaveLength(2);
  });

  it("keeps the token through a rename, and gets a new one with the new credentials once they change", async () => {
    const [tokenA, tokenB] = [newToken(), newToken()];
    const { caller, receiver, tokens, webhook } = await oauthWebhook(token(tokenA), token(tokenB));
    const patch = (json: unknown) =>
      call("PATCH", `/v1/webhooks/${webhook.id}`, { token: caller.token, json });
    await push(caller);
    await arrived(receiver, 1);
    expect((await patch({ name: "CRM (renamed)" })).status).toBe(200);
    await push(caller);
    await arrived(receiver, 2);
    const newSecret = `s3cr_${crypto.randomUUID()}`;
    const patched = await patch({ auth: { ...webhook.auth, client_secret: newSecret } });
    expect(patched.status, patched.text).toBe(200);
    await push(caller);
    const received = await arrived(receiver, 3);
    expect(received.map(bearerOf)).toEqual([`Bearer ${tokenA}`, `Bearer ${tokenA}`, `Bearer ${tokenB}`]);
    const requests = await tokens.requests();
    expect(requests).toHaveLength(2);
    expect(requests[1]?.headers.authorization).toBe(`Basic ${btoa(`event+insight%2F1:${newSecret}`)}`);
  });

  it("discards the token when the receiver answers 401: the retry carries a new one", async () => {
    const [tokenA, tokenB] = [newToken(), newToken()];
    const { caller, receiver, tokens, webhook } = await oauthWebhook(token(tokenA), token(tokenB));
    await receiver.script({ status: 401, body: "token revoked" }, { status: 200 });
    await push(caller);
    const received = await arrived(receiver, 2);
    expect(received.map(bearerOf)).toEqual([`Bearer ${tokenA}`, `Bearer ${tokenB}`]);
    expect(received[1]?.headers["webhook-id"]).toBe(received[0]?.headers["webhook-id"]);
    expect(await tokens.requests()).toHaveLength(2);
    const logs = await waitFor(async () => {
      const entries = await logsOf(caller, webhook.id);
      return entries.length === 2 && entries;
    });
    expect(logs.map((e) => [e.attempt, e.response?.status, e.success])).toEqual([
      [2, 200, true],
      [1, 401, false],
    ]);
  });

  const failures: [string, ScriptedAnswer, string][] = [
    ["answers 500", { status: 500, body: '{"error":"server_error"}' }, "auth: token endpoint answered 500"],
    [
      "refuses the client",
      { status: 401, body: '{"error":"invalid_client"}' },
      "auth: token endpoint answered 401 (invalid_client)",
    ],
    ["redirects", { status: 302, headers: { location: "/elsewhere" } }, "auth: redirect not followed"],
    [
      "answers without a token",
      { status: 200, body: '{"token_type":"Bearer"}' },
      "auth: no access_token in the answer",
    ],
  ];
  it.each(failures)(
    "fails the attempt when the token endpoint %s, and the retry delivers",
    async (_, answer, error) => {
      const tokenA = newToken();
      const { caller, receiver, tokens, webhook } = await oauthWebhook(answer, token(tokenA));
      await push(caller);
      const [delivered] = await arrived(receiver, 1);
      expect(bearerOf(delivered)).toBe(`Bearer ${tokenA}`);
      const logs = await waitFor(async () => {
        const entries = await logsOf(caller, webhook.id);
        return entries.length === 2 && entries;
      });
      expect(logs.map((e) => [e.attempt, e.success, e.error, e.response])).toEqual([
        [2, true, null, expect.objectContaining({ status: 200 })],
        [1, false, error, null],
      ]);
      expect(logs[1].request.headers.authorization).toBe("••••");
      expect(await tokens.requests()).toHaveLength(2);
      expect(JSON.stringify(logs)).not.toContain(CLIENT_SECRET);
    },
  );

  it("fails the attempt with auth: timeout when the token endpoint hangs, while another webhook's deliveries go on", async () => {
    const tokenA = newToken();
    const { caller, receiver, webhook } = await oauthWebhook({ status: 200, hang: true }, token(tokenA));
    const plain = receiverEndpoint("plain");
    await createWebhook(caller, { url: plain.url });
    await push(caller);
    await arrived(plain, 1);
    // A change accepted after the first one's batch met the hanging token endpoint.
    await push(caller);
    const [, second] = await arrived(plain, 2);
    const logs = await waitFor(async () => {
      const entries = await logsOf(caller, webhook.id);
      return entries.some((e) => e.success) && entries;
    });
    const timedOut = logs.filter((e) => e.error === "auth: timeout");
    expect(timedOut.length).toBeGreaterThan(0);
    expect(timedOut.every((e) => e.attempt === 1 && e.response === null)).toBe(true);
    // The other webhook had both deliveries before the token request gave up: no batch waited for it.
    expect(second?.at).toBeLessThan(Math.min(...timedOut.map((e) => Date.parse(e.created_at))));
    await arrived(receiver, 2);
    expect((await receiver.requests()).map(bearerOf)).toEqual([`Bearer ${tokenA}`, `Bearer ${tokenA}`]);
  });
});
