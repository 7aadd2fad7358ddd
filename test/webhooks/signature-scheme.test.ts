// signature_scheme: "ed25519" webhooks answer a whpk_ public key where others answer their
// whsec_ secret, sign every request v1a, and keep the old key signing beside the new one for
// 24 hours after a rotation or a change of scheme. Receivers' own checks (Node's crypto,
// Python's cryptography) are in test/node/ed25519-receivers.test.ts.
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fromBase64, utf8 } from "../../src/crypto/base64";
import { type Caller, call, createWebhook, expectProblem, newCaller, webhookInput } from "../helpers";
import {
  changeMessage,
  fakeDate,
  later,
  QUEUES,
  type Received,
  runBatch,
  spyReceiver,
} from "../queue-helpers";

afterEach(() => vi.useRealTimers());

/** The v1a signatures of a request that its whpk_ public key verifies, by their place in the header. */
async function v1aVerified(publicKey: string, request: Received): Promise<boolean[]> {
  const key = await crypto.subtle.importKey(
    "raw",
    fromBase64(publicKey.slice("whpk_".length)),
    { name: "Ed25519" },
    false,
    ["verify"],
  );
  const signed = utf8(
    `${request.headers["webhook-id"]}.${request.headers["webhook-timestamp"]}.${request.body}`,
  );
  return Promise.all(
    (request.headers["webhook-signature"] ?? "").split(" ").map(async (signature) => {
      if (!signature.startsWith("v1a,")) return false;
      return crypto.subtle.verify({ name: "Ed25519" }, key, fromBase64(signature.slice(4)), signed);
    }),
  );
}

const versionsOf = (request: Received | undefined) =>
  (request?.headers["webhook-signature"] ?? "").split(" ").map((signature) => signature.split(",")[0]);

const deliver = (caller: Caller) => runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);

const secretOf = async (caller: Caller, id: string) =>
  (await call("GET", `/v1/webhooks/${id}/secret`, { token: caller.token })).body;

describe("creating an ed25519 webhook", () => {
  it("answers the public key instead of a secret, and shows the scheme", async () => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", {
      token: caller.token,
      json: webhookInput({ signature_scheme: "ed25519" }),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.signature_scheme).toBe("ed25519");
    expect(res.body.public_key).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(fromBase64(res.body.public_key.slice(5))).toHaveLength(32);
    expect(res.body).not.toHaveProperty("secret");
    expect(await secretOf(caller, res.body.id)).toEqual({ public_key: res.body.public_key });
    const got = await call("GET", `/v1/webhooks/${res.body.id}`, { token: caller.token });
    expect(got.body).toMatchObject({ signature_scheme: "ed25519" });
    expect(got.body).not.toHaveProperty("public_key");
  });

  it("keeps the private key sealed: the D1 row holds no key in the clear", async () => {
    const caller = await newCaller();
    const created = await createWebhook(caller, { signature_scheme: "ed25519" });
    const row = await env.DB.prepare("SELECT * FROM webhooks WHERE id = ?").bind(created.id).first();
    expect(row).toMatchObject({ signature_scheme: "ed25519", secret: expect.stringMatching(/^v1\./) });
    expect(JSON.stringify(row)).not.toMatch(/whsk_|whpk_/);
  });

  it("defaults to hmac-sha256 and refuses an unknown scheme", async () => {
    const caller = await newCaller();
    expect(await createWebhook(caller)).toMatchObject({ signature_scheme: "hmac-sha256" });
    const res = await call("POST", "/v1/webhooks", {
      token: caller.token,
      json: webhookInput({ signature_scheme: "rsa" }),
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: "signature_scheme", code: "invalid_value" }),
    ]);
  });
});

describe("requests of an ed25519 webhook", () => {
  it("carry one v1a signature the public key verifies: a delivery, a test request and a redelivery", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller, { signature_scheme: "ed25519" });
    const { received } = spyReceiver();
    await deliver(caller);
    const test = await call("POST", `/v1/webhooks/${webhook.id}/test`, { token: caller.token });
    expect(test.status, test.text).toBe(200);
    const again = await call("POST", `/v1/webhooks/${webhook.id}/logs/${test.body.id}/redeliver`, {
      token: caller.token,
    });
    expect(again.status, again.text).toBe(200);
    expect(received).toHaveLength(3);
    for (const request of received) expect(await v1aVerified(webhook.public_key, request)).toEqual([true]);
    const tampered = {
      ...(received[0] as Received),
      body: (received[0] as Received).body.replace("Ada", "Eve"),
    };
    expect(await v1aVerified(webhook.public_key, tampered)).toEqual([false]);
  });

  it("carry two v1a signatures for 24 hours after a rotation, the new key's first", async () => {
    fakeDate();
    const caller = await newCaller();
    const webhook = await createWebhook(caller, { signature_scheme: "ed25519" });
    const rotated = await call("POST", `/v1/webhooks/${webhook.id}/secret/rotate`, { token: caller.token });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body).toMatchObject({
      signature_scheme: "ed25519",
      public_key: expect.stringMatching(/^whpk_/),
    });
    expect(rotated.body).not.toHaveProperty("secret");
    expect(rotated.body.public_key).not.toBe(webhook.public_key);
    expect(await secretOf(caller, webhook.id)).toEqual({ public_key: rotated.body.public_key });
    const { received } = spyReceiver();
    await deliver(caller);
    expect(await v1aVerified(rotated.body.public_key, received[0] as Received)).toEqual([true, false]);
    expect(await v1aVerified(webhook.public_key, received[0] as Received)).toEqual([false, true]);
    later(24 * 3600_000 + 1000);
    await deliver(caller);
    expect(await v1aVerified(rotated.body.public_key, received[1] as Received)).toEqual([true]);
  });
});

describe("changing signature_scheme with PATCH", () => {
  const patch = (caller: Caller, id: string, json: unknown) =>
    call("PATCH", `/v1/webhooks/${id}`, { token: caller.token, json });

  it("creates an Ed25519 key; for 24 hours requests carry a v1a signature, then the old v1 one", async () => {
    fakeDate();
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const res = await patch(caller, webhook.id, { signature_scheme: "ed25519" });
    expect(res.status, res.text).toBe(200);
    expect(res.body.signature_scheme).toBe("ed25519");
    expect(res.body).not.toHaveProperty("secret");
    const { public_key } = await secretOf(caller, webhook.id);
    expect(public_key).toMatch(/^whpk_/);
    const { received } = spyReceiver();
    await deliver(caller);
    expect(versionsOf(received[0])).toEqual(["v1a", "v1"]);
    expect(await v1aVerified(public_key, received[0] as Received)).toEqual([true, false]);
    const { body, headers } = received[0] as Received;
    expect(new Webhook(webhook.secret).verify(body, headers)).toEqual(JSON.parse(body));
    later(24 * 3600_000 + 1000);
    await deliver(caller);
    expect(versionsOf(received[1])).toEqual(["v1a"]);
  });

  it("back to hmac-sha256 creates a new secret; the Ed25519 key signs second for 24 hours", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller, { signature_scheme: "ed25519" });
    await patch(caller, webhook.id, { signature_scheme: "hmac-sha256" });
    const { secret } = await secretOf(caller, webhook.id);
    expect(secret).toMatch(/^whsec_/);
    const { received } = spyReceiver();
    await deliver(caller);
    expect(versionsOf(received[0])).toEqual(["v1", "v1a"]);
    const { body, headers } = received[0] as Received;
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(await v1aVerified(webhook.public_key, received[0] as Received)).toEqual([false, true]);
  });

  it("to the scheme it has changes nothing: same key, same updated_at", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller, { signature_scheme: "ed25519" });
    const res = await patch(caller, webhook.id, { signature_scheme: "ed25519" });
    expect(res.body.updated_at).toBe(webhook.updated_at);
    expect(await secretOf(caller, webhook.id)).toEqual({ public_key: webhook.public_key });
    const { received } = spyReceiver();
    await deliver(caller);
    expect(versionsOf(received[0])).toEqual(["v1a"]);
  });
});
