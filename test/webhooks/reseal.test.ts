// Rotating SECRET_ENCRYPTION_KEY: the hourly cron re-encrypts secrets still sealed with the
// former key (SECRET_ENCRYPTION_KEY_PREVIOUS), in bounded batches, until none is left.
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { openHeaders, sealHeaders } from "../../src/webhooks/custom-headers";
import { openEndpointAuth, sealClientSecret } from "../../src/webhooks/endpoint-auth";
import { resealSecrets } from "../../src/webhooks/reseal";
import {
  decryptSecret,
  encryptSecret,
  isSealedWithCurrentKey,
  secretKeysOf,
} from "../../src/webhooks/secrets";
import { shownKey, signingKeyOf } from "../../src/webhooks/signing-keys";
import { getWebhook } from "../../src/webhooks/storage";
import { call, createWebhook, newCaller } from "../helpers";

const FORMER = env.SECRET_ENCRYPTION_KEY;
const rowOf = (id: string) =>
  env.DB.prepare("SELECT secret, previous_secret, headers, auth_secret FROM webhooks WHERE id = ?")
    .bind(id)
    .first<{
      secret: string;
      previous_secret: string | null;
      headers: string | null;
      auth_secret: string | null;
    }>();

const usedKeys: string[] = [];
const newKey = () => {
  usedKeys.push(`key-${crypto.randomUUID()}`);
  return usedKeys.at(-1) as string;
};

/** A rotation in progress: a new current key, the former one still configured to decrypt. */
const rotatedEnv = (current: string): Env => ({
  ...env,
  SECRET_ENCRYPTION_KEY: current,
  SECRET_ENCRYPTION_KEY_PREVIOUS: `some-older-key,${FORMER}`,
});

// The tests of this file share one database: every test starts with all rows under the usual key.
afterEach(async () => {
  await resealSecrets(env.DB, { current: FORMER, previous: usedKeys });
});

async function runCron(cronEnv: Env) {
  const logs = vi.spyOn(console, "log").mockImplementation(() => {});
  await worker.scheduled(
    createScheduledController({ scheduledTime: Date.now() }),
    cronEnv,
    createExecutionContext(),
  );
  const line = logs.mock.calls
    .map(([text]) => JSON.parse(String(text)))
    .find((entry) => entry.msg === "maintenance");
  logs.mockRestore();
  return line;
}

describe("re-encrypting secrets after a key rotation", () => {
  it("works through the rows in bounded batches until none is left", async () => {
    const caller = await newCaller();
    for (let i = 0; i < 5; i++) await createWebhook(caller);
    const keys = secretKeysOf(rotatedEnv(newKey()));
    const first = await resealSecrets(env.DB, keys, { batchSize: 2, batches: 2 });
    expect(first).toMatchObject({ resealed: 4, unreadable: 0 });
    expect(first.remaining).toBeGreaterThanOrEqual(1);
    const second = await resealSecrets(env.DB, keys);
    expect(second).toEqual({ resealed: first.remaining, unreadable: 0, remaining: 0 });
    expect(await resealSecrets(env.DB, keys)).toEqual({ resealed: 0, unreadable: 0, remaining: 0 });
  });

  it("is done by the hourly cron: secret and previous secret end up under the new key alone, unchanged", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const rotated = await call("POST", `/v1/webhooks/${webhook.id}/secret/rotate`, { token: caller.token });
    const key = newKey();

    const report = await runCron(rotatedEnv(key));
    expect(report).toMatchObject({
      level: "info",
      secrets_resealed: expect.any(Number),
      secrets_to_reseal: 0,
    });

    const row = await rowOf(webhook.id);
    const onlyNewKey = { current: key, previous: [] };
    expect(await isSealedWithCurrentKey(row?.secret ?? "", onlyNewKey)).toBe(true);
    expect(await decryptSecret(row?.secret ?? "", webhook.id, onlyNewKey)).toBe(rotated.body.secret);
    expect(await decryptSecret(row?.previous_secret ?? "", webhook.id, onlyNewKey)).toBe(webhook.secret);
    await expect(
      decryptSecret(row?.secret ?? "", webhook.id, { current: FORMER, previous: [] }),
    ).rejects.toThrow();
  });

  it("re-seals custom headers too, and the webhook still sends them with the new key alone", async () => {
    const caller = await newCaller();
    const headers = { "X-Api-Key": "k_reseal_1" };
    const webhook = await createWebhook(caller, { headers });
    const key = newKey();

    expect(await runCron(rotatedEnv(key))).toMatchObject({ secrets_to_reseal: 0 });
    const row = await rowOf(webhook.id);
    const onlyNewKey = { current: key, previous: [] };
    expect(await isSealedWithCurrentKey(row?.headers ?? "", onlyNewKey)).toBe(true);
    expect(await openHeaders(row?.headers ?? null, webhook.id, onlyNewKey)).toEqual(headers);
    await expect(
      openHeaders(row?.headers ?? null, webhook.id, { current: FORMER, previous: [] }),
    ).rejects.toThrow();
  });

  it("re-seals a row whose headers alone are still under the former key", async () => {
    const caller = await newCaller();
    const headers = { "X-Api-Key": "k_reseal_2" };
    const webhook = await createWebhook(caller, { headers });
    const key = newKey();
    const keys = secretKeysOf(rotatedEnv(key));
    await resealSecrets(env.DB, keys);
    const stale = await sealHeaders(headers, webhook.id, { current: FORMER, previous: [] });
    await env.DB.prepare("UPDATE webhooks SET headers = ? WHERE id = ?").bind(stale, webhook.id).run();

    expect(await resealSecrets(env.DB, keys)).toEqual({ resealed: 1, unreadable: 0, remaining: 0 });
    const row = await rowOf(webhook.id);
    expect(await openHeaders(row?.headers ?? null, webhook.id, { current: key, previous: [] })).toEqual(
      headers,
    );
  });

  it("re-seals an Ed25519 signing key and an endpoint's client secret, even when only the client secret is stale", async () => {
    const caller = await newCaller();
    const auth = {
      type: "oauth2_client_credentials" as const,
      token_url: "https://login.example.com/token",
      client_id: "eventinsight",
      client_secret: "cs_reseal_1",
      scope: null,
    };
    const webhook = await createWebhook(caller, { signature_scheme: "ed25519", auth });
    const key = newKey();
    const onlyNewKey = { current: key, previous: [] };
    expect(await runCron(rotatedEnv(key))).toMatchObject({ secrets_to_reseal: 0 });
    const row = await rowOf(webhook.id);
    const opened = signingKeyOf(await decryptSecret(row?.secret ?? "", webhook.id, onlyNewKey));
    expect(shownKey(opened)).toEqual({ public_key: webhook.public_key });
    const record = await getWebhook(env.DB, caller.account, webhook.id);
    expect(await openEndpointAuth(record as NonNullable<typeof record>, onlyNewKey)).toEqual(auth);

    const stale = await sealClientSecret(auth, webhook.id, { current: FORMER, previous: [] });
    await env.DB.prepare("UPDATE webhooks SET auth_secret = ? WHERE id = ?").bind(stale, webhook.id).run();
    const keys = secretKeysOf(rotatedEnv(key));
    expect(await resealSecrets(env.DB, keys)).toEqual({ resealed: 1, unreadable: 0, remaining: 0 });
    expect(await isSealedWithCurrentKey((await rowOf(webhook.id))?.auth_secret ?? "", onlyNewKey)).toBe(true);
  });

  it("skips a row no configured key decrypts, reports it, and re-encrypts the rest", async () => {
    const caller = await newCaller();
    const lost = await createWebhook(caller);
    const fine = await createWebhook(caller);
    const stranger = await encryptSecret("whsec_x", lost.id, { current: "a-key-nobody-has", previous: [] });
    await env.DB.prepare("UPDATE webhooks SET secret = ? WHERE id = ?").bind(stranger, lost.id).run();
    const key = newKey();

    const report = await runCron(rotatedEnv(key)).finally(() =>
      env.DB.prepare("DELETE FROM webhooks WHERE id = ?").bind(lost.id).run(),
    );
    expect(report).toMatchObject({ secrets_unreadable: 1, secrets_to_reseal: 1 });
    expect(
      await isSealedWithCurrentKey((await rowOf(fine.id))?.secret ?? "", secretKeysOf(rotatedEnv(key))),
    ).toBe(true);
  });

  it("leaves everything alone when no rotation is going on", async () => {
    await createWebhook(await newCaller());
    const settled = newKey();
    await runCron(rotatedEnv(settled));
    expect(await runCron({ ...env, SECRET_ENCRYPTION_KEY: settled })).toMatchObject({
      secrets_resealed: 0,
      secrets_to_reseal: 0,
    });
  });
});
