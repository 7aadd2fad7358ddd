// A realistic admin session, start to finish, with every answer, log entry, queue message and
// console line captured: a webhook's signing secret appears only in the create, rotate and
// /secret answers. Searched for: the whsec_ secret, its base64 key part, and that key in base64url.
// Its custom header values likewise appear only in the create and PATCH answers and on /headers,
// an endpoint's client secret only in those and on /auth, and an Ed25519 private key nowhere.
import { env } from "cloudflare:workers";
import { afterEach, expect, it, vi } from "vitest";
import { fromBase64, toBase64 } from "../../src/crypto/base64";
import { decryptSecret, secretKeysOf } from "../../src/webhooks/secrets";
import { type CallResult, call, newCaller } from "../helpers";
import {
  captureQueue,
  changeMessage,
  fakeDate,
  later,
  pendingOf,
  QUEUES,
  runAlarm,
  runBatch,
  spyReceiver,
  wake,
} from "../queue-helpers";

afterEach(() => vi.useRealTimers());

function spellings(secret: string): string[] {
  const key = secret.slice("whsec_".length);
  return [secret, key, key.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")];
}

it("never shows a secret outside the create, rotate and /secret answers, nor a header value outside create, PATCH and /headers", async () => {
  const captured: string[] = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  }
  fakeDate();
  const deliveries = captureQueue(env.DELIVERIES);
  const deadLetters = captureQueue(env.DEAD_LETTERS);
  const seen = (res: CallResult) => captured.push(res.text);
  const caller = await newCaller({ email: "ada@example.com" });
  const as = { token: caller.token };

  // Created: the one answer besides rotate and /secret that holds the secret.
  const headerValues = [`hv_${crypto.randomUUID()}`, `hv_${crypto.randomUUID()}`];
  const created = await call("POST", "/v1/webhooks", {
    ...as,
    json: { name: "CRM", url: "https://crm.example.com/in", headers: { "X-Api-Key": headerValues[0] } },
  });
  const id = created.body.id as string;
  const secrets = [created.body.secret as string];
  expect(created.body.headers).toEqual({ "X-Api-Key": headerValues[0] });
  const { received } = spyReceiver(
    (_, n) => new Response(n % 2 ? "ok" : "down", { status: n % 2 ? 200 : 500 }),
  );

  seen(await call("GET", "/v1/webhooks", as));
  seen(await call("GET", `/v1/webhooks/${id}`, as));
  // Every PATCH answer shows the custom headers in full, so only its secret is searched.
  const renamed = await call("PATCH", `/v1/webhooks/${id}`, { ...as, json: { name: "CRM sync" } });
  expect(renamed.body.headers).toEqual({ "X-Api-Key": headerValues[0] });
  captured.push(JSON.stringify({ ...renamed.body, headers: undefined }));
  seen(await call("PATCH", `/v1/webhooks/${id}`, { ...as, json: { url: "http://10.0.0.1/", secret: "x" } }));
  seen(await call("PATCH", `/v1/webhooks/${id}`, { ...as, json: { headers: { Host: headerValues[1] } } }));
  // A PATCH that sets headers answers with them; /headers reveals them: both not searched.
  const patched = await call("PATCH", `/v1/webhooks/${id}`, {
    ...as,
    json: { headers: { "X-Api-Key": headerValues[1], "X-Old": headerValues[0] } },
  });
  expect(patched.body.headers).toMatchObject({ "X-Api-Key": headerValues[1] });
  const revealedHeaders = await call("GET", `/v1/webhooks/${id}/headers`, as);
  expect(revealedHeaders.body.headers).toMatchObject({ "X-Api-Key": headerValues[1] });
  seen(await call("POST", `/v1/webhooks/${id}/test`, as));
  seen(await call("POST", `/v1/webhooks/${id}/test`, as));
  await runBatch(QUEUES.changes, [
    changeMessage({ account_id: caller.account }),
    changeMessage({ account_id: caller.account }),
  ]);
  // What waits in the webhook's object (one change met a 500) is kept as plain jobs.
  captured.push(JSON.stringify(await pendingOf(id)));

  // Rotated: its answer holds the new secret; from then on requests carry two signatures.
  const rotated = await call("POST", `/v1/webhooks/${id}/secret/rotate`, as);
  secrets.push(rotated.body.secret);
  const revealed = await call("GET", `/v1/webhooks/${id}/secret`, as);
  expect(revealed.body.secret).toBe(rotated.body.secret);
  const logs = await call("GET", `/v1/webhooks/${id}/logs`, as);
  seen(logs);
  seen(await call("POST", `/v1/webhooks/${id}/logs/${logs.body.data[0].id}/redeliver`, as));
  later(1500);
  await wake(id); // the retry, signed with both secrets now
  await runAlarm(id);
  seen(await call("GET", `/v1/webhooks/${id}/failed?since=2000-01-01T00:00:00Z`, as));
  seen(await call("POST", `/v1/webhooks/${id}/recover`, { ...as, json: { since: "2000-01-01T00:00:00Z" } }));

  // Errors of every kind, an unexpected one included.
  seen(await call("GET", "/v1/webhooks/wh_nope", as));
  seen(await call("GET", `/v1/webhooks/${id}`, { token: "wrong" }));
  seen(
    await call("POST", "/v1/webhooks", { ...as, body: "{", headers: { "content-type": "application/json" } }),
  );
  const prepare = vi.spyOn(env.DB, "prepare").mockImplementation(() => {
    throw new Error("D1 exploded");
  });
  seen(await call("GET", `/v1/webhooks/${id}/secret`, as));
  seen(await call("POST", `/v1/webhooks/${id}/secret/rotate`, as));
  prepare.mockRestore();
  seen(await call("GET", `/v1/webhooks/${id}`, as));

  captured.push(...[...deliveries.sent, ...deadLetters.sent].map((message) => JSON.stringify(message.body)));
  const everything = captured.join("\n");
  expect(received.length).toBeGreaterThanOrEqual(6);
  expect(received.every((request) => request.headers["x-api-key"] === headerValues[1])).toBe(true);
  expect(captured.some((line) => line.includes("D1 exploded"))).toBe(true); // the console was captured
  for (const secret of secrets)
    for (const spelling of spellings(secret)) expect(everything).not.toContain(spelling);
  for (const value of headerValues) expect(everything).not.toContain(value);
});

/** Every spelling of an Ed25519 private key (whsk_ + base64 of seed ‖ public key) worth searching for. */
function privateKeySpellings(whsk: string): string[] {
  const base64 = whsk.slice("whsk_".length);
  const seed = fromBase64(base64).subarray(0, 32);
  const url = (text: string) => text.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  // The seed alone: its base64 shares its first 40 characters with the whole key's.
  const seedBase64 = toBase64(seed).slice(0, 40);
  const hex = [...seed].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return [whsk, base64, url(base64), seedBase64, url(seedBase64), hex];
}

it("never shows an Ed25519 private key, nor a client secret outside the create and PATCH answers and /auth", async () => {
  const captured: string[] = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  }
  const queues = [env.CHANGES, env.DELIVERIES, env.DEAD_LETTERS].map(captureQueue);
  const seen = (res: CallResult) => captured.push(res.text);
  const caller = await newCaller({ email: "ada@example.com" });
  const as = { token: caller.token };
  const clientSecret = `cs_${crypto.randomUUID()}`;
  const auth = {
    type: "oauth2_client_credentials",
    token_url: "https://login.crm.example.com/oauth/token",
    client_id: "eventinsight",
    client_secret: clientSecret,
  };
  const privateKeys: string[] = [];
  const keepPrivateKey = async (id: string) => {
    const row = await env.DB.prepare("SELECT secret FROM webhooks WHERE id = ?")
      .bind(id)
      .first<{ secret: string }>();
    privateKeys.push(await decryptSecret(row?.secret ?? "", id, secretKeysOf(env)));
  };

  // The create answer holds the client secret (searched for the private key only).
  const created = await call("POST", "/v1/webhooks", {
    ...as,
    json: { name: "CRM", url: "https://crm.example.com/in", signature_scheme: "ed25519", auth },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  await keepPrivateKey(id);
  captured.push(JSON.stringify({ ...created.body, auth: undefined }));
  expect(created.body.auth.client_secret).toBe(clientSecret);
  // The token endpoint hands out one token; the receiver's fourth request answers 410.
  const accessToken = `at_${crypto.randomUUID()}`;
  let deliveries = 0;
  const { received } = spyReceiver((request) => {
    if (request.url === auth.token_url)
      return Response.json({ access_token: accessToken, token_type: "Bearer", expires_in: 3600 });
    deliveries++;
    return new Response(deliveries === 4 ? "gone" : "ok", { status: deliveries === 4 ? 410 : 200 });
  });

  seen(await call("GET", "/v1/webhooks", as));
  seen(await call("GET", `/v1/webhooks/${id}`, as));
  seen(await call("GET", `/v1/webhooks/${id}/secret`, as));
  const renamed = await call("PATCH", `/v1/webhooks/${id}`, { ...as, json: { name: "CRM sync" } });
  expect(renamed.body.auth.client_secret).toBe(clientSecret);
  captured.push(JSON.stringify({ ...renamed.body, auth: undefined }));
  const revealed = await call("GET", `/v1/webhooks/${id}/auth`, as);
  expect(revealed.body.auth.client_secret).toBe(clientSecret);
  // A refused PATCH that carried the client secret does not echo it.
  seen(
    await call("PATCH", `/v1/webhooks/${id}`, {
      ...as,
      json: { auth: { ...auth, token_url: "http://10.0.0.1/token", client_secret: `${clientSecret}\n` } },
    }),
  );
  seen(await call("POST", `/v1/webhooks/${id}/test`, as));
  await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);

  // Rotated, and then the scheme changed: both keys signed requests, neither shows.
  seen(await call("POST", `/v1/webhooks/${id}/secret/rotate`, as));
  await keepPrivateKey(id);
  const logs = await call("GET", `/v1/webhooks/${id}/logs`, as);
  seen(logs);
  seen(await call("POST", `/v1/webhooks/${id}/logs/${logs.body.data[0].id}/redeliver`, as));
  // The 410: the webhook is disabled, and the account told (a notice carries the webhook's object).
  await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
  const toHmac = await call("PATCH", `/v1/webhooks/${id}`, {
    ...as,
    json: { signature_scheme: "hmac-sha256" },
  });
  captured.push(JSON.stringify({ ...toHmac.body, auth: undefined }));
  seen(await call("POST", `/v1/webhooks/${id}/test`, as));
  seen(await call("GET", `/v1/webhooks/${id}/failed?since=2000-01-01T00:00:00Z`, as));

  const prepare = vi.spyOn(env.DB, "prepare").mockImplementation(() => {
    throw new Error("D1 exploded");
  });
  seen(await call("GET", `/v1/webhooks/${id}/auth`, as));
  seen(await call("GET", `/v1/webhooks/${id}/secret`, as));
  prepare.mockRestore();

  captured.push(JSON.stringify(await pendingOf(id)));
  for (const queue of queues) captured.push(...queue.sent.map((message) => JSON.stringify(message.body)));
  // The token endpoint gets the client credentials (HTTP Basic), the receiver the token: nobody else.
  const tokenRequests = received.filter((request) => request.url === auth.token_url);
  const basic = tokenRequests[0]?.headers.authorization ?? "";
  expect(basic).toBe(`Basic ${btoa(`eventinsight:${clientSecret}`)}`);
  const service = captured.join("\n");
  for (const credential of [accessToken, basic.slice("Basic ".length)])
    expect(service).not.toContain(credential);
  captured.push(...received.map((request) => JSON.stringify(request)));
  const everything = captured.join("\n");
  expect(received.length - tokenRequests.length).toBeGreaterThanOrEqual(5);
  expect(
    received.every(
      (request) =>
        request.url === auth.token_url || request.headers.authorization === `Bearer ${accessToken}`,
    ),
  ).toBe(true);
  expect(received.some((request) => request.headers["webhook-signature"]?.includes("v1a,"))).toBe(true);
  expect(queues[0]?.sent.some((message) => message.body.type === "notice")).toBe(true);
  expect(everything).toContain('"client_secret":"••••"');
  expect(captured.some((line) => line.includes("D1 exploded"))).toBe(true);
  expect(privateKeys).toHaveLength(2);
  for (const key of privateKeys)
    for (const spelling of privateKeySpellings(key)) expect(everything).not.toContain(spelling);
  expect(everything).not.toContain(clientSecret);
});
